/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>

#include "ip-prefix.h"
#include "macro.h"

static size_t family_bytes(int family) {
        return family == AF_INET ? 4 : 16;
}

static void mask(IPPrefix *p) {
        size_t bytes = family_bytes(p->family);

        for (size_t i = 0; i < bytes; i++) {
                unsigned bit0 = (unsigned) i * 8;

                if (p->prefixlen <= bit0)
                        p->addr[i] = 0;
                else if (p->prefixlen < bit0 + 8)
                        p->addr[i] &= (uint8_t) (0xFFu << (8 - (p->prefixlen - bit0)));
        }
}

int ip_prefix_parse(const char *s, IPPrefix *ret) {
        char buf[INET6_ADDRSTRLEN + 8];
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t) (slash - s) : strlen(s);
        IPPrefix p = {};
        unsigned max;

        if (n == 0 || n >= INET6_ADDRSTRLEN)
                return -EINVAL;
        memcpy(buf, s, n);
        buf[n] = '\0';

        if (inet_pton(AF_INET, buf, p.addr) == 1)
                p.family = AF_INET;
        else if (inet_pton(AF_INET6, buf, p.addr) == 1)
                p.family = AF_INET6;
        else
                return -EINVAL;
        max = p.family == AF_INET ? 32 : 128;

        if (slash) {
                char *end;
                unsigned long l;

                if (!slash[1] || slash[1] < '0' || slash[1] > '9')
                        return -EINVAL;
                errno = 0;
                l = strtoul(slash + 1, &end, 10);
                if (errno || *end || l > max)
                        return -EINVAL;
                p.prefixlen = (unsigned) l;
        } else
                p.prefixlen = max;

        mask(&p);
        *ret = p;
        return 0;
}

const char *ip_prefix_to_string(const IPPrefix *p, char buf[static IP_PREFIX_STRLEN]) {
        char a[INET6_ADDRSTRLEN];

        if (!inet_ntop(p->family, p->addr, a, sizeof(a)))
                snprintf(a, sizeof(a), "?");
        snprintf(buf, IP_PREFIX_STRLEN, "%s/%u", a, p->prefixlen);
        return buf;
}

bool ip_prefix_contains(const IPPrefix *p, const IPPrefix *a) {
        IPPrefix m;

        if (p->family != a->family || a->prefixlen < p->prefixlen)
                return false;
        m = *a;
        m.prefixlen = p->prefixlen;
        mask(&m);
        return memcmp(m.addr, p->addr, family_bytes(p->family)) == 0;
}

static bool same(const IPPrefix *a, const IPPrefix *b) {
        return a->family == b->family && a->prefixlen == b->prefixlen &&
               memcmp(a->addr, b->addr, family_bytes(a->family)) == 0;
}

int ip_prefix_set_add(IPPrefixSet *s, const IPPrefix *p) {
        for (size_t i = 0; i < s->n; i++)
                if (same(&s->items[i], p))
                        return 0;
        if (GROW(s->items, s->cap, s->n + 1) < 0)
                return -ENOMEM;
        s->items[s->n++] = *p;
        return 0;
}

void ip_prefix_set_clear(IPPrefixSet *s) {
        free(s->items);
        *s = (IPPrefixSet) {};
}

bool ip_prefix_set_contains(const IPPrefixSet *s, const IPPrefix *a) {
        for (size_t i = 0; i < s->n; i++)
                if (ip_prefix_contains(&s->items[i], a))
                        return true;
        return false;
}

int ip_prefix_set_copy(IPPrefixSet *dst, const IPPrefixSet *src) {
        *dst = (IPPrefixSet) {};
        for (size_t i = 0; i < src->n; i++)
                if (ip_prefix_set_add(dst, &src->items[i]) < 0)
                        return -ENOMEM;
        return 0;
}

int ip_prefix_set_add_keyword(IPPrefixSet *s, const char *word) {
        static const struct {
                const char *word, *v4, *v6;
        } table[] = {
                { "any",        "0.0.0.0/0",      "::/0" },
                { "localhost",  "127.0.0.0/8",    "::1/128" },
                { "link-local", "169.254.0.0/16", "fe80::/64" },
                { "multicast",  "224.0.0.0/4",    "ff00::/8" },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                IPPrefix a, b;

                if (!streq(word, table[i].word))
                        continue;
                if (ip_prefix_parse(table[i].v4, &a) < 0 || ip_prefix_parse(table[i].v6, &b) < 0)
                        return -EINVAL;
                if (ip_prefix_set_add(s, &a) < 0 || ip_prefix_set_add(s, &b) < 0)
                        return -ENOMEM;
                return 1;
        }
        return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <arpa/inet.h>
#include <ctype.h>
#include <sys/socket.h>

#include "macro.h"
#include "servers.h"
#include "strv.h"

#define MAXNS 3

void server_list_done(ServerList *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].value);
                free(l->items[i].origin);
        }
        free(l->items);
        free(l->unexpressible);
        *l = (ServerList) {};
}

static int add_server(ServerList *l, const IPPrefix *p, unsigned n, const char *value, const char *origin) {
        Server s = { .n_prefixes = n };

        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i].value, value))
                        return 0;
        for (unsigned i = 0; i < n; i++)
                s.prefixes[i] = p[i];
        s.value = strdup(value);
        s.origin = strdup(origin);
        if (!s.value || !s.origin || GROW(l->items, l->cap, l->n + 1) < 0) {
                free(s.value);
                free(s.origin);
                return -ENOMEM;
        }
        l->items[l->n++] = s;
        return 0;
}

static int add_address(ServerList *l, const char *addr, const char *origin) {
        char buf[INET6_ADDRSTRLEN + 1];
        IPPrefix p;

        /* "fe80::1%eth0": the scope does not matter to IPAddressAllow=. */
        snprintf(buf, sizeof(buf), "%.*s", (int) strcspn(addr, "%"), addr);
        if (ip_prefix_parse(buf, &p) < 0 || strchr(buf, '/'))
                return -EINVAL;
        return add_server(l, &p, 1, buf, origin);
}

static int note_unexpressible(ServerList *l, const char *why) {
        char *s;

        if (l->unexpressible) {
                s = strjoin(l->unexpressible, "; ", why);
                free(l->unexpressible);
        } else
                s = strdup(why);
        l->unexpressible = s;
        return s ? 0 : -ENOMEM;
}

int servers_localhost(ServerList *l) {
        IPPrefix p[2];

        if (ip_prefix_parse("127.0.0.0/8", &p[0]) < 0 || ip_prefix_parse("::1", &p[1]) < 0)
                return -EINVAL;
        return add_server(l, p, 2, "localhost", "localhost");
}

/* Iterate over the lines of a file of the root: fn(line, lineno, data). */
static int for_each_line(const Root *root, const char *path,
                         int (*fn)(char *line, unsigned lineno, void *data), void *data) {
        _cleanup_free_ char *text = NULL;
        unsigned n = 0;
        char *save;
        int r;

        r = root_read_file(root, path, ROOT_FILE_MAX, &text, NULL);
        if (r < 0)
                return r;
        for (char *l = text; l; l = save) {
                save = strchr(l, '\n');
                if (save)
                        *save++ = '\0';
                r = fn(l, ++n, data);
                if (r < 0)
                        return r;
        }
        return 0;
}

typedef struct LineCtx {
        ServerList *list;
        const Root *root;
        const char *path;               /* inside the root, for evidence */
        const char *host_path;          /* for diagnostics */
        DiagList *diags;
        unsigned count;
} LineCtx;

static int resolv_line(char *line, unsigned lineno, void *data) {
        LineCtx *c = data;
        _cleanup_free_ char *origin = NULL;
        const char *v = startswith(line, "nameserver");
        char addr[128];
        int r;

        if (!v || !isspace((unsigned char) *v))
                return 0;
        if (sscanf(v, " %127s", addr) != 1)
                return 0;
        if (c->count >= MAXNS) {
                diag_add(c->diags, DIAG_NOTICE, c->host_path, lineno,
                         "more than %d nameservers: glibc uses only the first %d, ignoring.", MAXNS, MAXNS);
                return 0;
        }
        if (asprintf_safe(&origin, "%s:%u", c->path, lineno) < 0)
                return -ENOMEM;
        r = add_address(c->list, addr, origin);
        if (r == -EINVAL) {
                diag_add(c->diags, DIAG_WARNING, c->host_path, lineno, "invalid nameserver address '%s', ignoring.", addr);
                return 0;
        }
        if (r >= 0)
                c->count++;
        return r;
}

int servers_load_resolv_conf(ServerList *l, const Root *root, DiagList *diags) {
        _cleanup_free_ char *hp = root_host_path(root, "/etc/resolv.conf");
        LineCtx c = { .list = l, .root = root, .diags = diags, .path = "/etc/resolv.conf", .host_path = hp };
        int r;

        *l = (ServerList) {};
        if (!hp)
                return -ENOMEM;
        r = for_each_line(root, "/etc/resolv.conf", resolv_line, &c);
        if (r == -ENOMEM)
                return r;
        if (r < 0 && r != -ENOENT)
                diag_add(diags, DIAG_WARNING, hp, 0, "cannot read: %s; assuming glibc's default nameserver.", strerror(-r));
        if (l->n == 0) {
                _cleanup_free_ char *origin = strdup("no nameserver in /etc/resolv.conf: glibc's default");

                if (!origin)
                        return -ENOMEM;
                return add_address(l, "127.0.0.1", origin);
        }
        return 0;
}

/* A host name of yp.conf, looked up in the root's /etc/hosts. */
static int lookup_hosts_file(const Root *root, const char *name, char ***ret) {
        _cleanup_free_ char *text = NULL;
        char *save;

        *ret = NULL;
        if (root_read_file(root, "/etc/hosts", ROOT_FILE_MAX, &text, NULL) < 0)
                return 0;
        for (char *l = text; l; l = save) {
                _cleanup_strv_free_ char **w = NULL;

                save = strchr(l, '\n');
                if (save)
                        *save++ = '\0';
                l[strcspn(l, "#")] = '\0';
                if (strv_split(l, " \t", &w) < 0)
                        return -ENOMEM;
                for (size_t i = 1; w && w[0] && w[i]; i++)
                        if (strcasecmp(w[i], name) == 0 && strv_extend(ret, w[0]) < 0)
                                return -ENOMEM;
        }
        return 0;
}

static int add_host(LineCtx *c, const char *host, unsigned lineno) {
        _cleanup_free_ char *origin = NULL;
        _cleanup_strv_free_ char **addrs = NULL;
        int r;

        if (asprintf_safe(&origin, "%s:%u", c->path, lineno) < 0)
                return -ENOMEM;
        r = add_address(c->list, host, origin);
        if (r != -EINVAL)
                return r;
        r = lookup_hosts_file(c->root, host, &addrs);
        if (r < 0)
                return r;
        if (!addrs) {
                _cleanup_free_ char *why = NULL;

                diag_add(c->diags, DIAG_WARNING, c->host_path, lineno,
                         "NIS server '%s' is not an address and not in /etc/hosts; it cannot be allowed.", host);
                if (asprintf_safe(&why, "NIS server '%s' (%s) has no known address", host, origin) < 0)
                        return -ENOMEM;
                return note_unexpressible(c->list, why);
        }
        STRV_FOREACH(a, addrs) {
                r = add_address(c->list, *a, origin);
                if (r == -ENOMEM)
                        return r;
        }
        return 0;
}

static int yp_line(char *line, unsigned lineno, void *data) {
        _cleanup_strv_free_ char **w = NULL;
        LineCtx *c = data;

        line[strcspn(line, "#")] = '\0';
        if (strv_split(line, " \t\r", &w) < 0)
                return -ENOMEM;
        if (!w)
                return 0;
        if (streq(w[0], "ypserver") && w[1])
                return add_host(c, w[1], lineno);
        if (streq(w[0], "domain") && w[1] && w[2] && streq(w[2], "server") && w[3])
                return add_host(c, w[3], lineno);
        if (streq(w[0], "domain") && w[1] && w[2] && streq(w[2], "broadcast")) {
                _cleanup_free_ char *why = NULL;

                diag_add(c->diags, DIAG_WARNING, c->host_path, lineno,
                         "'broadcast' binds any NIS server that answers; IPAddressAllow= cannot express that.");
                if (asprintf_safe(&why, "%s:%u: NIS domain %s uses broadcast", c->path, lineno, w[1]) < 0)
                        return -ENOMEM;
                return note_unexpressible(c->list, why);
        }
        return 0;
}

int servers_load_yp_conf(ServerList *l, const Root *root, DiagList *diags) {
        _cleanup_free_ char *hp = root_host_path(root, "/etc/yp.conf");
        LineCtx c = { .list = l, .root = root, .diags = diags, .path = "/etc/yp.conf", .host_path = hp };
        int r;

        *l = (ServerList) {};
        if (!hp)
                return -ENOMEM;
        r = for_each_line(root, "/etc/yp.conf", yp_line, &c);
        if (r == -ENOMEM)
                return r;
        if (r < 0 && r != -ENOENT)
                diag_add(diags, DIAG_WARNING, hp, 0, "cannot read: %s", strerror(-r));
        if (r == -ENOENT)
                return note_unexpressible(l, "no /etc/yp.conf: ypbind finds its server by broadcast");
        return 0;
}

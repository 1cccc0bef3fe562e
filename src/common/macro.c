/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdint.h>

#include "macro.h"

char *strstrip(char *s) {
        size_t l;

        s += strspn(s, WHITESPACE);
        l = strlen(s);
        while (l > 0 && strchr(WHITESPACE, s[l - 1]))
                l--;
        s[l] = '\0';
        return s;
}

int asprintf_safe(char **ret, const char *fmt, ...) {
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(ret, fmt, ap);
        va_end(ap);
        if (r < 0) {
                *ret = NULL;
                return -ENOMEM;
        }
        return 0;
}

int parse_boolean(const char *v) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(v, yes[i]) == 0)
                        return 1;
                if (strcasecmp(v, no[i]) == 0)
                        return 0;
        }
        return -EINVAL;
}

char *strjoin_internal(const char *first, ...) {
        va_list ap;
        size_t l = 0;
        char *r, *p;

        va_start(ap, first);
        for (const char *s = first; s; s = va_arg(ap, const char *))
                l += strlen(s);
        va_end(ap);

        r = malloc(l + 1);
        if (!r)
                return NULL;

        p = r;
        va_start(ap, first);
        for (const char *s = first; s; s = va_arg(ap, const char *))
                p = stpcpy(p, s);
        va_end(ap);
        *p = '\0';
        return r;
}

int grow_array(void **p, size_t *cap, size_t need, size_t sz) {
        size_t n;
        void *q;

        if (need <= *cap)
                return 0;
        n = *cap ? *cap * 2 : 8;
        while (n < need)
                n *= 2;
        if (n > SIZE_MAX / sz)
                return -ENOMEM;
        q = realloc(*p, n * sz);
        if (!q)
                return -ENOMEM;
        *p = q;
        *cap = n;
        return 0;
}

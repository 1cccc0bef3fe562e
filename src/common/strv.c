/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>

#include "macro.h"
#include "strv.h"

char **strv_free(char **l) {
        STRV_FOREACH(s, l)
                free(*s);
        free(l);
        return NULL;
}

size_t strv_length(char * const *l) {
        size_t n = 0;

        while (l && l[n])
                n++;
        return n;
}

bool strv_contains(char * const *l, const char *s) {
        for (size_t i = 0; l && l[i]; i++)
                if (streq(l[i], s))
                        return true;
        return false;
}

int strv_consume(char ***l, char *s) {
        size_t n = strv_length(*l);
        char **m;

        if (!s)
                return -ENOMEM;
        m = realloc(*l, (n + 2) * sizeof(char *));
        if (!m) {
                free(s);
                return -ENOMEM;
        }
        m[n] = s;
        m[n + 1] = NULL;
        *l = m;
        return 0;
}

int strv_extend(char ***l, const char *s) {
        return strv_consume(l, strdup(s));
}

int strv_extend_uniq(char ***l, const char *s) {
        return strv_contains(*l, s) ? 0 : strv_extend(l, s);
}

static char *vformat(const char *fmt, va_list ap) {
        char *s = NULL;

        return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

int strv_extend_uniqf(char ***l, const char *fmt, ...) {
        va_list ap;
        char *s;
        int r;

        va_start(ap, fmt);
        s = vformat(fmt, ap);
        va_end(ap);
        if (!s)
                return -ENOMEM;
        r = strv_extend_uniq(l, s);
        free(s);
        return r;
}

int strv_extendf(char ***l, const char *fmt, ...) {
        va_list ap;
        char *s;

        va_start(ap, fmt);
        s = vformat(fmt, ap);
        va_end(ap);
        return s ? strv_consume(l, s) : -ENOMEM;
}

char **strv_copy(char * const *l) {
        size_t n = strv_length(l);
        char **c = calloc(n + 1, sizeof(char *));

        for (size_t i = 0; c && i < n; i++)
                if (!(c[i] = strdup(l[i])))
                        return strv_free(c);
        return c;
}

static int str_cmp(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

void strv_sort(char **l) {
        if (l)
                qsort(l, strv_length(l), sizeof(char *), str_cmp);
}

char *strv_join(char * const *l, const char *sep) {
        size_t n = 0, k = strlen(sep);
        char *r, *p;

        for (size_t i = 0; l && l[i]; i++)
                n += strlen(l[i]) + k;
        r = malloc(n + 1);
        if (!r)
                return NULL;
        p = r;
        *p = '\0';
        for (size_t i = 0; l && l[i]; i++) {
                if (i > 0)
                        p = stpcpy(p, sep);
                p = stpcpy(p, l[i]);
        }
        return r;
}

int strv_split(const char *s, const char *seps, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        int r;

        for (;;) {
                size_t n;

                s += strspn(s, seps);
                if (!*s)
                        break;
                n = strcspn(s, seps);
                r = strv_consume(&l, strndup(s, n));
                if (r < 0)
                        return r;
                s += n;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

int strv_remove(char **l, const char *s) {
        size_t n = 0;

        for (size_t i = 0; l && l[i]; i++) {
                if (streq(l[i], s)) {
                        free(l[i]);
                        continue;
                }
                l[n++] = l[i];
        }
        if (l)
                l[n] = NULL;
        return 0;
}

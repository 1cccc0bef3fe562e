/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "macro.h"
#include "unit-name.h"

#define LETTERS_DIGITS "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define VALID_CHARS LETTERS_DIGITS ":-_.\\"

static const char *const unit_types[] = {
        "service", "mount", "swap", "socket", "target", "device",
        "automount", "timer", "path", "slice", "scope",
};

bool unit_type_is_valid(const char *type) {
        for (size_t i = 0; i < ELEMENTSOF(unit_types); i++)
                if (streq(type, unit_types[i]))
                        return true;
        return false;
}

bool unit_name_is_valid(const char *n, UnitNameFlags flags) {
        const char *e, *at = NULL;

        if (isempty(n) || strlen(n) >= UNIT_NAME_MAX)
                return false;
        e = strrchr(n, '.');
        if (!e || e == n || !unit_type_is_valid(e + 1))
                return false;

        for (const char *i = n; i < e; i++) {
                if (*i == '@' && !at)
                        at = i;
                if (*i != '@' && !strchr(VALID_CHARS, *i))
                        return false;
                if (*i == '\0')
                        return false;
        }
        if (at == n)
                return false;

        if ((flags & UNIT_NAME_PLAIN) && !at)
                return true;
        if ((flags & UNIT_NAME_INSTANCE) && at && e > at + 1)
                return true;
        if ((flags & UNIT_NAME_TEMPLATE) && at && e == at + 1)
                return true;
        return false;
}

const char *unit_name_type(const char *n) {
        const char *e = strrchr(n, '.');

        return e && unit_type_is_valid(e + 1) ? e + 1 : NULL;
}

bool unit_prefix_is_valid(const char *p) {
        return !isempty(p) && strspn(p, VALID_CHARS) == strlen(p);
}

int unit_name_to_instance(const char *n, char **ret_instance) {
        const char *at, *e;

        *ret_instance = NULL;
        if (!unit_name_is_valid(n, UNIT_NAME_ANY))
                return -EINVAL;
        at = strchr(n, '@');
        if (!at)
                return UNIT_NAME_PLAIN;
        e = strrchr(n, '.');
        if (e == at + 1)
                return UNIT_NAME_TEMPLATE;
        *ret_instance = strndup(at + 1, (size_t) (e - at - 1));
        return *ret_instance ? UNIT_NAME_INSTANCE : -ENOMEM;
}

int unit_name_template(const char *n, char **ret) {
        const char *at, *e;

        if (!unit_name_is_valid(n, UNIT_NAME_INSTANCE))
                return -EINVAL;
        at = strchr(n, '@');
        e = strrchr(n, '.');
        *ret = malloc((size_t) (at - n) + 1 + strlen(e) + 1);
        if (!*ret)
                return -ENOMEM;
        memcpy(*ret, n, (size_t) (at - n) + 1);
        strcpy(*ret + (at - n) + 1, e);
        return 0;
}

int unit_name_replace_instance(const char *tmpl, const char *instance, char **ret) {
        const char *at, *e;
        char *s;

        if (!unit_name_is_valid(tmpl, UNIT_NAME_TEMPLATE | UNIT_NAME_INSTANCE))
                return -EINVAL;
        at = strchr(tmpl, '@');
        e = strrchr(tmpl, '.');
        s = malloc((size_t) (at - tmpl) + 1 + strlen(instance) + strlen(e) + 1);
        if (!s)
                return -ENOMEM;
        memcpy(s, tmpl, (size_t) (at - tmpl) + 1);
        strcpy(stpcpy(s + (at - tmpl) + 1, instance), e);
        if (!unit_name_is_valid(s, UNIT_NAME_INSTANCE)) {
                free(s);
                return -EINVAL;
        }
        *ret = s;
        return 0;
}

int unit_name_to_prefix(const char *n, char **ret) {
        const char *p;

        if (!unit_name_is_valid(n, UNIT_NAME_ANY))
                return -EINVAL;
        p = strchr(n, '@');
        if (!p)
                p = strrchr(n, '.');
        *ret = strndup(n, (size_t) (p - n));
        return *ret ? 0 : -ENOMEM;
}

static char *escape_char(char c, char *t) {
        static const char hex[] = "0123456789abcdef";

        *t++ = '\\';
        *t++ = 'x';
        *t++ = hex[((unsigned char) c) >> 4];
        *t++ = hex[((unsigned char) c) & 15];
        return t;
}

char *unit_name_escape(const char *s) {
        char *r = malloc(strlen(s) * 4 + 1), *t = r;

        if (!r)
                return NULL;
        /* No leading '.', which would make a hidden file. */
        if (*s == '.')
                t = escape_char(*s++, t);
        for (; *s; s++) {
                if (*s == '/')
                        *t++ = '-';
                else if (*s == '-' || *s == '\\' || !strchr(VALID_CHARS, *s))
                        t = escape_char(*s, t);
                else
                        *t++ = *s;
        }
        *t = '\0';
        return r;
}

static int unhexchar(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int unit_name_unescape(const char *s, char **ret) {
        char *r = malloc(strlen(s) + 1), *t = r;

        if (!r)
                return -ENOMEM;
        for (; *s; s++) {
                if (*s == '-')
                        *t++ = '/';
                else if (*s == '\\') {
                        int a, b;

                        if (s[1] != 'x' || (a = unhexchar(s[2])) < 0 || (b = unhexchar(s[3])) < 0) {
                                free(r);
                                return -EINVAL;
                        }
                        *t++ = (char) (a << 4 | b);
                        s += 3;
                } else
                        *t++ = *s;
        }
        *t = '\0';
        *ret = r;
        return 0;
}

int unit_name_path_unescape(const char *s, char **ret) {
        _cleanup_free_ char *w = NULL;
        int r;

        if (isempty(s))
                return -EINVAL;
        if (streq(s, "-")) {
                *ret = strdup("/");
                return *ret ? 0 : -ENOMEM;
        }
        r = unit_name_unescape(s, &w);
        if (r < 0)
                return r;
        if (w[0] == '/' || (*w && w[strlen(w) - 1] == '/'))
                return -EINVAL;
        *ret = strjoin("/", w);
        return *ret ? 0 : -ENOMEM;
}

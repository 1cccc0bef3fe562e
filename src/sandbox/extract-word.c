/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>

#include "extract-word.h"
#include "macro.h"

static int unhex(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* One C escape after the backslash; returns its length and the code point, or -EINVAL.
 * *raw is set for \x and octal escapes, which stand for a byte rather than a character. */
static int cunescape_one(const char *p, uint32_t *ret, bool *raw) {
        static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
        uint32_t c = 0;
        int n;

        for (const char *s = simple; *s; s += 2)
                if (p[0] == s[0]) {
                        *ret = (unsigned char) s[1];
                        return 1;
                }

        switch (p[0]) {
        case 'x':
                n = 2;
                break;
        case 'u':
                n = 4;
                break;
        case 'U':
                n = 8;
                break;
        default:
                if (p[0] < '0' || p[0] > '7' || p[1] < '0' || p[1] > '7' || p[2] < '0' || p[2] > '7')
                        return -EINVAL;
                c = (uint32_t) ((p[0] - '0') << 6 | (p[1] - '0') << 3 | (p[2] - '0'));
                if (c == 0 || c > 255)
                        return -EINVAL;
                *ret = c;
                *raw = true;
                return 3;
        }

        for (int i = 1; i <= n; i++) {
                int v = unhex(p[i]);
                if (v < 0)
                        return -EINVAL;
                c = c << 4 | (uint32_t) v;
        }
        if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
                return -EINVAL;
        *ret = c;
        *raw = p[0] == 'x';
        return n + 1;
}

static size_t utf8_encode(char *out, uint32_t c) {
        if (c < 0x80) {
                out[0] = (char) c;
                return 1;
        }
        if (c < 0x800) {
                out[0] = (char) (0xC0 | (c >> 6));
                out[1] = (char) (0x80 | (c & 0x3F));
                return 2;
        }
        if (c < 0x10000) {
                out[0] = (char) (0xE0 | (c >> 12));
                out[1] = (char) (0x80 | ((c >> 6) & 0x3F));
                out[2] = (char) (0x80 | (c & 0x3F));
                return 3;
        }
        out[0] = (char) (0xF0 | (c >> 18));
        out[1] = (char) (0x80 | ((c >> 12) & 0x3F));
        out[2] = (char) (0x80 | ((c >> 6) & 0x3F));
        out[3] = (char) (0x80 | (c & 0x3F));
        return 4;
}

int extract_first_word(const char **p, char **ret, const char *separators, ExtractFlags flags) {
        _cleanup_free_ char *s = NULL;
        const char *q = *p;
        size_t n = 0;
        char quote = 0;

        *ret = NULL;
        if (!q)
                return 0;
        if (!separators)
                separators = WHITESPACE;

        if (flags & EXTRACT_DONT_COALESCE_SEPARATORS) {
                /* an empty word before a separator, or at the very end */
                if (!*q || strchr(separators, *q)) {
                        *ret = strdup("");
                        if (!*ret)
                                return -ENOMEM;
                        *p = *q ? q + 1 : NULL;
                        return 1;
                }
        } else {
                q += strspn(q, separators);
                if (!*q) {
                        *p = NULL;
                        return 0;
                }
        }

        /* Each input byte yields at most 4 output bytes (a \u escape is 5 input bytes). */
        s = malloc(strlen(q) * 4 + 1);
        if (!s)
                return -ENOMEM;

        for (;;) {
                char c = *q;

                if (c == '\0') {
                        if (quote)
                                return -EINVAL;
                        q = NULL;
                        break;
                }

                if (c == '\\') {
                        c = *++q;
                        if (c == '\0') {
                                if (!(flags & EXTRACT_UNESCAPE_RELAX) || quote)
                                        return -EINVAL;
                                s[n++] = '\\';
                                q = NULL;
                                break;
                        }
                        if (flags & EXTRACT_CUNESCAPE) {
                                uint32_t u;
                                bool raw = false;
                                int k = cunescape_one(q, &u, &raw);

                                if (k >= 0) {
                                        if (raw)
                                                s[n++] = (char) u;
                                        else
                                                n += utf8_encode(s + n, u);
                                        q += k;
                                        continue;
                                }
                                if (!(flags & EXTRACT_UNESCAPE_RELAX))
                                        return -EINVAL;
                                s[n++] = '\\';
                        }
                        s[n++] = c;
                        q++;
                        continue;
                }

                if (quote) {
                        if (c == quote)
                                quote = 0;
                        else
                                s[n++] = c;
                        q++;
                        continue;
                }

                if ((c == '\'' || c == '"') && (flags & EXTRACT_UNQUOTE)) {
                        quote = c;
                        q++;
                        continue;
                }

                if (strchr(separators, c)) {
                        if (flags & EXTRACT_DONT_COALESCE_SEPARATORS) {
                                q++;
                                break;
                        }
                        q += strspn(q, separators);
                        if (!*q)
                                q = NULL;
                        break;
                }

                s[n++] = c;
                q++;
        }

        s[n] = '\0';
        *p = q;
        *ret = TAKE_PTR(s);
        return 1;
}

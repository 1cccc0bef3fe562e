/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>

#include "conf-parser.h"
#include "macro.h"

/* The text being read: the line reader walks it with a cursor instead of a FILE, since
 * every caller has the whole file in memory (reading it through fmemopen() one character
 * at a time, growing the line for each, was most of the cost of loading the rules). */
typedef struct Reader {
        const char *p, *end;    /* *end is '\0' */
} Reader;

/* read_line(): one line without its end-of-line marker; \r\n and \n\r count as one.
 * Returns 1, 0 at EOF, -ENOBUFS when longer than CONF_LINE_MAX, -ENOMEM. */
static int read_line(Reader *rd, char **buf, size_t *cap) {
        const char *p = rd->p, *q;
        size_t n;

        if (p >= rd->end)
                return 0;
        /* strcspn() stops at '\0' too: an end-of-line marker inside the text, and the
         * terminator at its end. */
        n = strcspn(p, "\n\r");
        q = p + n;
        if (n > CONF_LINE_MAX)
                return -ENOBUFS;
        if (q < rd->end) {
                char c = *q++;

                if (c != '\0' && q < rd->end && (*q == '\n' || *q == '\r') && *q != c)
                        q++;    /* the second half of \r\n or \n\r */
        }
        rd->p = q;
        if (GROW(*buf, *cap, n + 1) < 0)
                return -ENOMEM;
        memcpy(*buf, p, n);
        (*buf)[n] = '\0';
        return 1;
}

static bool utf8_is_valid(const char *s) {
        const unsigned char *p = (const unsigned char *) s;

        while (*p) {
                unsigned len, cp;

                if (*p < 0x80) {
                        p++;
                        continue;
                }
                if ((*p & 0xE0) == 0xC0)
                        len = 2, cp = *p & 0x1F;
                else if ((*p & 0xF0) == 0xE0)
                        len = 3, cp = *p & 0x0F;
                else if ((*p & 0xF8) == 0xF0)
                        len = 4, cp = *p & 0x07;
                else
                        return false;
                for (unsigned i = 1; i < len; i++) {
                        if ((p[i] & 0xC0) != 0x80)
                                return false;
                        cp = cp << 6 | (p[i] & 0x3F);
                }
                if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
                    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                        return false;
                p += len;
        }
        return true;
}

static bool string_is_safe(const char *p) {
        for (; *p; p++)
                if (((unsigned char) *p < ' ' && *p > 0) || strchr("\"'\\\x7f", *p))
                        return false;
        return true;
}

static bool nulstr_contains(const char *nulstr, const char *s) {
        for (const char *i = nulstr; *i; i += strlen(i) + 1)
                if (streq(i, s))
                        return true;
        return false;
}

/* Whether [p, e) ends in an unescaped '\\': an odd run of them at its end, which is what
 * systemd's forward scan (each '\\' escapes the next character) leaves. Counted
 * backwards, so the rest of the line is not read again character by character. */
static bool ends_escaped(const char *p, const char *e) {
        size_t n = 0;

        while (e > p && e[-1] == '\\') {
                e--;
                n++;
        }
        return n % 2 == 1;
}

typedef struct ParseState {
        const char *display;
        const char *sections;
        char *section;
        bool section_ignored;
        ConfFile *out;
        DiagList *diags;
} ParseState;

static int stop(ParseState *s, unsigned line, int error) {
        s->out->error = error;
        s->out->error_line = line;
        return 1;
}

/* The item's three strings in one allocation (section, then key, then value): a file of
 * many assignments took three allocations and three frees per line. */
static int add_item(ParseState *s, unsigned line, const char *key, const char *value) {
        ConfFile *c = s->out;
        size_t ls = strlen(s->section) + 1, lk = strlen(key) + 1, lv = strlen(value) + 1;
        char *b;

        if (GROW(c->items, c->cap, c->n_items + 1) < 0)
                return -ENOMEM;
        b = malloc(ls + lk + lv);
        if (!b)
                return -ENOMEM;
        memcpy(b, s->section, ls);
        memcpy(b + ls, key, lk);
        memcpy(b + ls + lk, value, lv);
        c->items[c->n_items++] = (ConfItem) { .section = b, .key = b + ls, .value = b + ls + lk, .line = line };
        return 0;
}

/* parse_line(): returns 0 to go on, 1 when reading must stop, -ENOMEM. */
static int parse_line(ParseState *s, unsigned line, char *l) {
        char *e;

        l = strstrip(l);
        if (!*l)
                return 0;
        if (!utf8_is_valid(l)) {
                diag_add(s->diags, DIAG_ERROR, s->display, line, "invalid UTF-8, ignoring the rest of the file.");
                return stop(s, line, -EINVAL);
        }

        if (l[0] == '[') {
                size_t k = strlen(l);
                char *n;

                if (l[k - 1] != ']') {
                        diag_add(s->diags, DIAG_ERROR, s->display, line,
                                 "invalid section header '%s', ignoring the rest of the file.", l);
                        return stop(s, line, -EBADMSG);
                }
                n = strndup(l + 1, k - 2);
                if (!n)
                        return -ENOMEM;
                if (!string_is_safe(n)) {
                        diag_add(s->diags, DIAG_ERROR, s->display, line,
                                 "bad characters in section header '%s', ignoring the rest of the file.", l);
                        free(n);
                        return stop(s, line, -EBADMSG);
                }
                free(s->section);
                s->section = NULL;
                if (s->sections && !nulstr_contains(s->sections, n)) {
                        if (!startswith(n, "X-"))
                                diag_add(s->diags, DIAG_WARNING, s->display, line,
                                         "unknown section '%s', ignoring.", n);
                        s->section_ignored = true;
                        free(n);
                } else {
                        s->section = n;
                        s->section_ignored = false;
                }
                return 0;
        }

        if (!s->section) {
                if (!s->section_ignored)
                        diag_add(s->diags, DIAG_WARNING, s->display, line, "assignment outside of section, ignoring.");
                return 0;
        }

        e = strchr(l, '=');
        if (!e) {
                diag_add(s->diags, DIAG_WARNING, s->display, line, "missing '=', ignoring line.");
                return 0;
        }
        if (e == l) {
                diag_add(s->diags, DIAG_WARNING, s->display, line, "missing key name before '=', ignoring line.");
                return 0;
        }
        *e = '\0';
        return add_item(s, line, strstrip(l), strstrip(e + 1));
}

int conf_parse_text(const char *text, size_t size, const char *display, const char *sections, ConfFile *ret,
                    DiagList *diags) {
        _cleanup_free_ char *buf = NULL, *cont = NULL;
        ParseState s = { .display = display, .sections = sections, .out = ret, .diags = diags };
        Reader rd = { .p = text, .end = text + size };
        size_t cap = 0, cont_len = 0, cont_cap = 0;
        unsigned line = 0;
        bool bom_seen = false;
        int r = 0;

        *ret = (ConfFile) {};

        for (;;) {
                char *l, *p, *e;

                r = read_line(&rd, &buf, &cap);
                if (r == 0)
                        break;
                if (r == -ENOBUFS) {
                        diag_add(diags, DIAG_ERROR, display, line + 1, "line too long, ignoring the rest of the file.");
                        stop(&s, line + 1, r);
                        r = 0;
                        goto done;
                }
                if (r < 0)
                        goto done;
                line++;

                l = buf + strspn(buf, WHITESPACE);
                if (*l == '#' || *l == ';')
                        continue;

                l = buf;
                if (!bom_seen && startswith(buf, "\xef\xbb\xbf")) {
                        l = buf + 3;
                        bom_seen = true;
                }

                /* Appended in place, and only the new part scanned for a final '\\' (the
                 * part before ends in the ' ' that replaced one): a file of continued lines
                 * costs linear time, not quadratic (1,000,000 lines took minutes). */
                if (cont) {
                        size_t n = strlen(l);

                        if (cont_len + n > CONF_LINE_MAX) {
                                diag_add(diags, DIAG_ERROR, display, line,
                                         "continuation line too long, ignoring the rest of the file.");
                                stop(&s, line, -ENOBUFS);
                                r = 0;
                                goto done;
                        }
                        if (GROW(cont, cont_cap, cont_len + n + 1) < 0) {
                                r = -ENOMEM;
                                goto done;
                        }
                        memcpy(cont + cont_len, l, n + 1);
                        p = cont + cont_len;
                        cont_len += n;
                } else
                        p = l;

                e = p + strlen(p);
                if (ends_escaped(p, e)) {
                        e[-1] = ' ';
                        if (!cont) {
                                cont_len = strlen(l);
                                if (GROW(cont, cont_cap, cont_len + 1) < 0) {
                                        r = -ENOMEM;
                                        goto done;
                                }
                                memcpy(cont, l, cont_len + 1);
                        }
                        continue;
                }

                r = parse_line(&s, line, cont ? cont : p);
                if (r < 0)
                        goto done;
                if (r > 0) {
                        r = 0;
                        goto done;
                }
                free(cont);
                cont = NULL;
                cont_len = cont_cap = 0;
        }

        if (cont) {
                r = parse_line(&s, ++line, cont);
                if (r > 0)
                        r = 0;
        }
done:
        free(s.section);
        if (r < 0) {
                conf_file_done(ret);
                return r;
        }
        return 0;
}

/* The stream read whole, then parsed as text: one reader, so both entry points mean the
 * same. A read error ends the text as EOF did for the character reader. */
int conf_parse(FILE *f, const char *display, const char *sections, ConfFile *ret, DiagList *diags) {
        _cleanup_free_ char *text = NULL;
        size_t n = 0, cap = 0;

        for (;;) {
                size_t k;

                if (GROW(text, cap, n + 4096 + 1) < 0)
                        return -ENOMEM;
                k = fread(text + n, 1, cap - n - 1, f);
                n += k;
                if (k == 0)
                        break;
        }
        text[n] = '\0';
        return conf_parse_text(text, n, display, sections, ret, diags);
}

void conf_file_done(ConfFile *c) {
        for (size_t i = 0; i < c->n_items; i++)
                free(c->items[i].section);      /* with key and value (add_item()) */
        free(c->items);
        *c = (ConfFile) {};
}

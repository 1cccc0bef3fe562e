/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <strings.h>
#include <sys/stat.h>

#include "macro.h"
#include "pamd.h"
#include "strv.h"

#define PAM_BUF_SIZE 1024       /* libpam's BUF_SIZE: one logical line */
#define PAM_MAX_DEPTH 16        /* PAM_SUBSTACK_MAX_LEVEL; we apply it to includes too */

#ifndef MULTIARCH
#define MULTIARCH "x86_64-linux-gnu"
#endif

const char *pam_type_to_string(PamType t) {
        static const char *const table[] = { "auth", "account", "password", "session", "any" };
        return table[t];
}

static int pam_type_from_string(const char *s) {
        for (int t = 0; t < _PAM_TYPE_MAX; t++)
                if (strcasecmp(s, pam_type_to_string((PamType) t)) == 0)
                        return t;
        return -EINVAL;
}

static void entry_done(PamEntry *e) {
        free(e->control);
        free(e->module);
        free(e->module_name);
        free(e->module_path);
        strv_free(e->args);
        free(e->chain);
}

void pam_stack_done(PamStack *s) {
        for (size_t i = 0; i < s->n; i++)
                entry_done(&s->entries[i]);
        free(s->entries);
        free(s->service);
        free(s->file);
        free(s->abort_reason);
        *s = (PamStack) {};
}

typedef struct Reader {
        const char *cur, *end;
        unsigned lineno;        /* of the physical line being read */
        bool at_start;          /* the next read starts a physical line */
} Reader;

/* fgets() on a memory buffer, counting physical lines. */
static char *mem_fgets(char *dst, int n, Reader *r) {
        int i = 0;

        if (r->cur >= r->end || n <= 0)
                return NULL;
        if (r->at_start)
                r->lineno++;
        r->at_start = false;
        while (i < n - 1 && r->cur < r->end) {
                char c = *r->cur++;

                dst[i++] = c;
                if (c == '\n') {
                        r->at_start = true;
                        break;
                }
        }
        dst[i] = '\0';
        return dst;
}

/* _pam_assemble_line(): > 0 a logical line in buf, 0 at the end, -1 for an unfinished
 * continuation at the end of the file (libpam then aborts the whole service). *first is
 * the physical line it began on. A line that does not fit is cut by fgets() where the
 * buffer ends, and libpam reads the rest as a line of its own: *cut says so. (With
 * exactly one byte left, libpam's fgets() returns "" forever; we stop there instead.) */
static int assemble_line(Reader *rd, unsigned *first, bool *cut, char *buf) {
        char *p = buf, *endp = buf + PAM_BUF_SIZE, *s, *os;
        int used = 0;

        *first = 0;
        *cut = false;
        for (;;) {
                if (endp - p <= 1) {
                        *cut = true;
                        break;
                }
                if (!mem_fgets(p, (int) (endp - p), rd))
                        return used ? -1 : 0;
                if (!rd->at_start && rd->cur < rd->end && strlen(p) == (size_t) (endp - p - 1))
                        *cut = true;
                s = p + strspn(p, " \n\t");
                if (!*s || *s == '#')
                        continue;
                if (!*first)
                        *first = rd->lineno;
                os = s;
                while (*s && *s != '#')
                        s++;
                if (*s == '#') {
                        *s = '\0';
                        used += (int) strlen(os);
                        break;
                }
                s = os + strlen(os);
                while (s > os && (*--s == ' ' || *s == '\t' || *s == '\n'))
                        ;
                if (*s == '\\') {
                        *s++ = ' ';
                        *s = '\0';
                        used += (int) strlen(os);
                        p = s;
                        continue;
                }
                used += (int) strlen(os);
                break;
        }
        return used;
}

/* _pam_StrTok() with " \n\t": "[...]" is one token, brackets stripped, "\]" is ']'. */
static char *pam_strtok(char *from, char **next) {
        static const char sep[] = " \n\t";
        char *end;

        if (!from && !(from = *next))
                return NULL;
        from += strspn(from, sep);
        if (*from == '[') {
                char *to;

                for (to = end = ++from; *end && *end != ']'; ++to, ++end) {
                        if (*end == '\\' && end[1] == ']')
                                ++end;
                        if (to != end)
                                *to = *end;
                }
                if (to != end)
                        *to = '\0';
        } else if (*from) {
                end = from + strcspn(from, sep);
        } else
                return (*next = NULL);
        if (*end)
                *end++ = '\0';
        *next = *end ? end : NULL;
        return from;
}

typedef struct Parser {
        const Root *root;
        PamStack *stack;
        DiagList *diags;
        char **files;           /* the include chain, for cycle detection */
        bool other;             /* parsing the "other" service */
        PamEntry *other_entries;
        size_t n_other, cap_other;
} Parser;

static bool file_exists(const Root *root, const char *path) {
        struct stat st;

        return root_stat(root, path, true, &st) >= 0 && S_ISREG(st.st_mode);
}

/* DEFAULT_MODULE_PATH, then Debian's /lib/security fallback. */
static char *resolve_module(const Root *root, const char *module) {
        static const char *const dirs[] = { "/lib/" MULTIARCH "/security/", "/lib/security/" };

        if (module[0] == '/')
                return file_exists(root, module) ? strdup(module) : NULL;
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_free_ char *p = strjoin(dirs[i], module);

                if (!p)
                        return NULL;
                if (file_exists(root, p))
                        return TAKE_PTR(p);
        }
        return NULL;
}

static int add_entry(Parser *x, PamType type, const char *control, const char *module, char *rest,
                     bool silent, const char *chain) {
        PamEntry e = {
                .type = type,
                .control = strdup(control),
                .module = strdup(module),
                .module_name = strdup(strrchr(module, '/') ? strrchr(module, '/') + 1 : module),
                .module_path = resolve_module(x->root, module),
                .silent = silent,
                .from_other = x->other,
                .chain = strdup(chain),
        };
        PamEntry **list = x->other ? &x->other_entries : &x->stack->entries;
        size_t *n = x->other ? &x->n_other : &x->stack->n, *cap = x->other ? &x->cap_other : &x->stack->cap;

        if (!e.control || !e.module || !e.module_name || !e.chain)
                goto oom;
        for (char *next = rest, *tok; (tok = pam_strtok(next, &next));)
                if (strv_extend(&e.args, tok) < 0)
                        goto oom;
        if (GROW(*list, *cap, *n + 1) < 0)
                goto oom;
        (*list)[(*n)++] = e;
        return 0;
oom:
        entry_done(&e);
        return -ENOMEM;
}

static int abort_stack(Parser *x, const char *file, unsigned line, const char *fmt, const char *arg) {
        _cleanup_free_ char *msg = NULL, *hp = root_host_path(x->root, file);

        if (asprintf_safe(&msg, fmt, arg) < 0 || !hp)
                return -ENOMEM;
        diag_add(x->diags, DIAG_ERROR, hp, line, "%s", msg);
        if (!x->stack->aborted) {
                x->stack->aborted = true;
                x->stack->abort_reason = TAKE_PTR(msg);
        }
        return 0;
}

static int parse_file(Parser *x, const char *path, PamType want, const char *chain, unsigned depth);

static int do_include(Parser *x, const char *from, unsigned line, const char *name, PamType type,
                      const char *chain, unsigned depth, bool top_any) {
        _cleanup_free_ char *path = NULL, *next = NULL, *hp = root_host_path(x->root, from);

        if (!hp)
                return -ENOMEM;
        if (!name) {
                diag_add(x->diags, DIAG_ERROR, hp, line, "include without a file name: this %s entry always fails.",
                         pam_type_to_string(type));
                return 0;
        }
        path = name[0] == '/' ? strdup(name) : strjoin("/etc/pam.d/", name);
        if (!path)
                return -ENOMEM;
        if (strv_contains(x->files, path)) {
                _cleanup_free_ char *loop = strv_join(x->files, " → ");

                if (!loop)
                        return -ENOMEM;
                diag_add(x->diags, DIAG_ERROR, hp, line, "include loop: %s → %s; libpam would recurse until it runs "
                         "out of file descriptors, ignoring the include.", loop, path);
                return 0;
        }
        if (depth + 1 >= PAM_MAX_DEPTH) {
                diag_add(x->diags, DIAG_ERROR, hp, line, "includes nested more than %d deep, ignoring '%s'.",
                         PAM_MAX_DEPTH, name);
                return 0;
        }
        if (!file_exists(x->root, path)) {
                /* A missing @include at the top aborts the service (the handler gets type
                 * ANY, which _pam_add_handler() refuses); elsewhere the entry always fails. */
                if (top_any)
                        return abort_stack(x, from, line, "@include of missing file '%s': libpam aborts the service", path);
                diag_add(x->diags, DIAG_ERROR, hp, line, "included file '%s' is missing: this %s entry always fails.",
                         path, pam_type_to_string(type));
                return 0;
        }
        if (asprintf_safe(&next, "%s → ", chain) < 0)
                return -ENOMEM;
        return parse_file(x, path, type, next, depth + 1);
}

static int parse_line(Parser *x, const char *path, unsigned line, char *buf, PamType want, const char *chain,
                      unsigned depth) {
        _cleanup_free_ char *here = NULL, *hp = NULL;
        char *next = NULL, *tok, *control;
        bool silent = false, include = false, at_include = false;
        int type;

        if (asprintf_safe(&here, "%s%s:%u", chain, path, line) < 0)
                return -ENOMEM;
        hp = root_host_path(x->root, path);
        if (!hp)
                return -ENOMEM;

        tok = pam_strtok(buf, &next);
        if (!tok)
                return 0;
        if (tok[0] == '-') {
                silent = true;
                tok++;
        }
        if (strcasecmp(tok, "@include") == 0) {
                at_include = true;
                type = want;
        } else {
                type = pam_type_from_string(tok);
                if (type < 0) {
                        diag_add(x->diags, DIAG_WARNING, hp, line, "illegal module type '%s': libpam installs an entry "
                                 "that always fails, ignoring it.", tok);
                        return 0;
                }
                if (want != PAM_TYPE_ANY && type != (int) want)
                        return 0;
        }
        if (at_include)
                return do_include(x, path, line, pam_strtok(NULL, &next), (PamType) type, here, depth,
                                  type == PAM_TYPE_ANY);

        control = pam_strtok(NULL, &next);
        if (!control) {
                diag_add(x->diags, DIAG_WARNING, hp, line, "no control flag: this %s entry always fails.", tok);
                return 0;
        }
        include = strcasecmp(control, "include") == 0 || strcasecmp(control, "substack") == 0;
        tok = pam_strtok(NULL, &next);
        if (include)
                return do_include(x, path, line, tok, (PamType) type, here, depth, false);
        if (!tok) {
                diag_add(x->diags, DIAG_WARNING, hp, line, "no module name: this %s entry always fails.",
                         pam_type_to_string((PamType) type));
                return 0;
        }
        return add_entry(x, (PamType) type, control, tok, next, silent, here);
}

static int parse_file(Parser *x, const char *path, PamType want, const char *chain, unsigned depth) {
        _cleanup_free_ char *text = NULL;
        Reader rd = { .at_start = true };
        unsigned first;
        bool cut;
        size_t size;
        char buf[PAM_BUF_SIZE];
        int r, k;

        r = root_read_file(x->root, path, ROOT_FILE_MAX, &text, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                _cleanup_free_ char *hp = root_host_path(x->root, path);

                diag_add(x->diags, DIAG_ERROR, hp, 0, "cannot read PAM configuration: %s", strerror(-r));
                return 0;
        }
        if (strv_extend(&x->files, path) < 0)
                return -ENOMEM;
        rd.cur = text;
        rd.end = text + size;
        while ((k = assemble_line(&rd, &first, &cut, buf)) > 0) {
                if (cut) {
                        _cleanup_free_ char *hp = root_host_path(x->root, path);

                        diag_add(x->diags, DIAG_WARNING, hp, first, "logical line longer than %d bytes: libpam cuts it "
                                 "there and reads the rest as a line of its own.", PAM_BUF_SIZE - 1);
                }
                r = parse_line(x, path, first, buf, want, chain, depth);
                if (r < 0)
                        return r;
        }
        if (k < 0) {
                r = abort_stack(x, path, first ? first : rd.lineno, "%s",
                                "the file ends inside a continued line: libpam aborts the service");
                if (r < 0)
                        return r;
        }
        free(x->files[strv_length(x->files) - 1]);
        x->files[strv_length(x->files) - 1] = NULL;
        return 0;
}

static char *service_file(const Root *root, const char *service) {
        static const char *const dirs[] = { "/etc/pam.d/", "/usr/lib/pam.d/" };

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_free_ char *p = strjoin(dirs[i], service);

                if (!p)
                        return NULL;
                if (file_exists(root, p))
                        return TAKE_PTR(p);
        }
        return NULL;
}

int pam_stack_load(const Root *root, const char *service, PamStack *ret, DiagList *diags) {
        Parser x = { .root = root, .stack = ret, .diags = diags };
        _cleanup_free_ char *other = NULL;
        bool has[_PAM_TYPE_MAX] = {};
        int r;

        *ret = (PamStack) {};
        if (isempty(service) || strchr(service, '/') || streq(service, ".") || streq(service, ".."))
                return -EINVAL;
        ret->service = strdup(service);
        if (!ret->service)
                return -ENOMEM;
        for (char *c = ret->service; *c; c++)
                *c = (char) tolower((unsigned char) *c);

        ret->file = service_file(root, ret->service);
        if (ret->file) {
                r = parse_file(&x, ret->file, PAM_TYPE_ANY, "", 0);
                if (r < 0)
                        goto fail;
        }
        other = streq(ret->service, "other") ? NULL : service_file(root, "other");
        if (other) {
                x.other = true;
                r = parse_file(&x, other, PAM_TYPE_ANY, "", 0);
                if (r < 0)
                        goto fail;
        }
        /* Each management group the service leaves empty comes from "other". */
        for (size_t i = 0; i < ret->n; i++)
                has[ret->entries[i].type] = true;
        for (size_t i = 0; i < x.n_other; i++) {
                if (has[x.other_entries[i].type]) {
                        entry_done(&x.other_entries[i]);
                        continue;
                }
                if (GROW(ret->entries, ret->cap, ret->n + 1) < 0) {
                        for (size_t k = i; k < x.n_other; k++)
                                entry_done(&x.other_entries[k]);
                        x.n_other = 0;
                        r = -ENOMEM;
                        goto fail;
                }
                ret->entries[ret->n++] = x.other_entries[i];
        }
        free(x.other_entries);
        strv_free(x.files);
        return 0;
fail:
        for (size_t i = 0; i < x.n_other; i++)
                entry_done(&x.other_entries[i]);
        free(x.other_entries);
        strv_free(x.files);
        pam_stack_done(ret);
        return r;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <strings.h>

#include "macro.h"
#include "nsswitch.h"
#include "strv.h"

static const char *const db_names[_NSS_DB_MAX] = {
        "aliases", "ethers", "group", "group_compat", "gshadow", "hosts", "initgroups",
        "netgroup", "networks", "passwd", "passwd_compat", "protocols", "publickey", "rpc",
        "services", "shadow", "shadow_compat",
};

const char *nss_db_to_string(NssDb db) {
        return db_names[db];
}

int nss_db_from_string(const char *s) {
        for (int i = 0; i < _NSS_DB_MAX; i++)
                if (streq(db_names[i], s))
                        return i;
        return -EINVAL;
}

const char *nss_status_to_string(NssStatus s) {
        static const char *const t[] = { "SUCCESS", "NOTFOUND", "UNAVAIL", "TRYAGAIN" };
        return t[s];
}

const char *nss_action_to_string(NssAction a) {
        static const char *const t[] = { "continue", "return", "merge" };
        return t[a];
}

static void database_clear(NssDatabase *d) {
        for (size_t i = 0; i < d->n; i++)
                free(d->services[i].name);
        free(d->services);
        free(d->text);
        *d = (NssDatabase) {};
}

void nsswitch_done(NssConfig *c) {
        for (int i = 0; i < _NSS_DB_MAX; i++)
                database_clear(&c->db[i]);
        free(c->path);
        *c = (NssConfig) {};
}

#define SKIP_WS(p) while (isspace((unsigned char) *(p))) (p)++

/* Match a STATUS or ACTION word of the given length, case-insensitively. */
static int match(const char *w, size_t n, const char *const *words, size_t k) {
        for (size_t i = 0; i < k; i++)
                if (strlen(words[i]) == n && strncasecmp(w, words[i], n) == 0)
                        return (int) i;
        return -1;
}

/* nss_action_parse(): 0, or -EINVAL on a syntax error (glibc then rejects everything). */
static int parse_actions(const char *p, NssDatabase *d) {
        static const char *const statuses[] = { "SUCCESS", "NOTFOUND", "UNAVAIL", "TRYAGAIN" };
        static const char *const actions[] = { "CONTINUE", "RETURN", "MERGE" };
        size_t cap = 0;
        bool comment = false;

        for (;;) {
                NssService s = {};
                const char *name;

                SKIP_WS(p);
                if (!*p)
                        return 0;
                name = p;
                while (*p && !isspace((unsigned char) *p) && *p != '[')
                        p++;
                if (p == name)
                        return 0;       /* glibc stops quietly at a '[' without a name */

                for (int i = 0; i < _NSS_STATUS_MAX; i++)
                        s.actions[i] = NSS_ACTION_CONTINUE;
                s.actions[NSS_SUCCESS] = NSS_ACTION_RETURN;
                comment = comment || name[0] == '#';
                s.comment = comment;
                s.name = strndup(name, (size_t) (p - name));
                if (!s.name)
                        return -ENOMEM;
                if (GROW(d->services, cap, d->n + 1) < 0) {
                        free(s.name);
                        return -ENOMEM;
                }
                d->services[d->n++] = s;

                SKIP_WS(p);
                if (*p != '[')
                        continue;
                p++;
                SKIP_WS(p);
                do {
                        NssService *cur = &d->services[d->n - 1];
                        bool not = *p == '!';
                        const char *w;
                        int st, ac;

                        if (not)
                                p++;
                        w = p;
                        while (*p && !isspace((unsigned char) *p) && *p != '=' && *p != ']')
                                p++;
                        st = match(w, (size_t) (p - w), statuses, ELEMENTSOF(statuses));
                        if (st < 0)
                                return -EINVAL;
                        SKIP_WS(p);
                        if (*p != '=')
                                return -EINVAL;
                        p++;
                        SKIP_WS(p);
                        w = p;
                        while (*p && !isspace((unsigned char) *p) && *p != '=' && *p != ']')
                                p++;
                        ac = match(w, (size_t) (p - w), actions, ELEMENTSOF(actions));
                        if (ac < 0)
                                return -EINVAL;
                        if (not) {
                                NssAction save = cur->actions[st];

                                for (int i = 0; i < _NSS_STATUS_MAX; i++)
                                        cur->actions[i] = (NssAction) (ac == 0 ? NSS_ACTION_CONTINUE : ac == 1 ? NSS_ACTION_RETURN : NSS_ACTION_MERGE);
                                cur->actions[st] = save;
                        } else
                                cur->actions[st] = (NssAction) (ac == 0 ? NSS_ACTION_CONTINUE : ac == 1 ? NSS_ACTION_RETURN : NSS_ACTION_MERGE);
                        SKIP_WS(p);
                } while (*p != ']');
                p++;
        }
}

/* process_line(): returns 0, 1 when glibc would abort the whole file, -ENOMEM. */
static int process_line(NssConfig *c, char *line, unsigned lineno, const char *display, DiagList *diags) {
        NssDatabase d = {};
        char *name, *p = line;
        int db, r;

        SKIP_WS(p);
        name = p;
        while (*p && !isspace((unsigned char) *p) && *p != ':')
                p++;
        if (!*p || p == name)
                return 0;
        while (*p && (isspace((unsigned char) *p) || *p == ':'))
                *p++ = '\0';

        db = nss_db_from_string(name);
        if (db < 0)
                return 0;       /* not a glibc database (sudoers, automount, …) */

        r = parse_actions(p, &d);
        if (r == -ENOMEM) {
                database_clear(&d);
                return r;
        }
        if (r < 0) {
                database_clear(&d);
                diag_add(diags, DIAG_ERROR, display, lineno,
                         "invalid [STATUS=ACTION] in the %s line: glibc 2.36 rejects the whole file, "
                         "so every user, group and host lookup fails on this system.", name);
                return 1;
        }
        d.origin = NSS_ORIGIN_LINE;
        d.line = lineno;
        d.text = strdup(p);     /* the services, as written */
        if (d.text)
                strstrip(d.text);
        if (!d.text) {
                database_clear(&d);
                return -ENOMEM;
        }
        database_clear(&c->db[db]);     /* a later line for the same database wins */
        c->db[db] = d;
        return 0;
}

static int copy_database(NssDatabase *dst, const NssDatabase *src, NssDb from) {
        *dst = (NssDatabase) {
                .origin = NSS_ORIGIN_INHERITED,
                .inherited_from = from,
                .line = src->line,
                .text = strdup(src->text),
                .services = calloc(src->n + 1, sizeof(NssService)),
                .n = src->n,
        };
        if (!dst->text || !dst->services)
                return -ENOMEM;
        for (size_t i = 0; i < src->n; i++) {
                dst->services[i] = src->services[i];
                dst->services[i].name = strdup(src->services[i].name);
                if (!dst->services[i].name)
                        return -ENOMEM;
        }
        return 0;
}

static int apply_defaults(NssConfig *c) {
        static const struct { NssDb db, from; } inherit[] = {
                { NSS_DB_SHADOW_COMPAT, NSS_DB_PASSWD_COMPAT },
                { NSS_DB_SHADOW, NSS_DB_PASSWD },
                { NSS_DB_GSHADOW, NSS_DB_GROUP },
        };

        for (size_t i = 0; i < ELEMENTSOF(inherit); i++)
                if (!c->db[inherit[i].db].text && c->db[inherit[i].from].text)
                        if (copy_database(&c->db[inherit[i].db], &c->db[inherit[i].from], inherit[i].from) < 0)
                                return -ENOMEM;

        for (int i = 0; i < _NSS_DB_MAX; i++) {
                const char *def;
                int r;

                if (c->db[i].text)
                        continue;
                if (i == NSS_DB_INITGROUPS) {
                        /* No default: glibc's initgroups() then walks the group database. */
                        if (copy_database(&c->db[i], &c->db[NSS_DB_GROUP], NSS_DB_GROUP) < 0)
                                return -ENOMEM;
                        continue;
                }
                def = i == NSS_DB_HOSTS || i == NSS_DB_NETWORKS ? "files dns" :
                      i == NSS_DB_PASSWD_COMPAT || i == NSS_DB_GROUP_COMPAT || i == NSS_DB_SHADOW_COMPAT ? "nis" :
                      i == NSS_DB_PUBLICKEY ? "nis nisplus" : "files";
                r = parse_actions(def, &c->db[i]);
                if (r < 0)
                        return r;
                c->db[i].origin = NSS_ORIGIN_DEFAULT;
                c->db[i].text = strdup(def);
                if (!c->db[i].text)
                        return -ENOMEM;
        }
        return 0;
}

int nsswitch_parse(NssConfig *c, const char *text, size_t size, const char *display, DiagList *diags) {
        unsigned lineno = 0;
        int r;

        /* getline(): lines end at '\n' only; process_line() sees each as a C string, so
         * a NUL ends that line's content. glibc stops at end-of-file before it processes
         * what getline() returned, so a last line without a newline is silently dropped
         * (nss_database_reload_1()). */
        for (size_t off = 0; off < size;) {
                const char *nl = memchr(text + off, '\n', size - off);
                _cleanup_free_ char *line = NULL;

                if (!nl) {
                        diag_add(diags, DIAG_WARNING, display, lineno + 1,
                                 "no newline at the end of the file: glibc ignores this last line.");
                        break;
                }
                line = strndup(text + off, (size_t) (nl - text - off));
                if (!line)
                        return -ENOMEM;
                off = (size_t) (nl - text) + 1;
                lineno++;
                r = process_line(c, line, lineno, display, diags);
                if (r < 0)
                        return r;
                if (r > 0) {
                        c->broken = true;
                        c->broken_line = lineno;
                        for (int i = 0; i < _NSS_DB_MAX; i++)
                                database_clear(&c->db[i]);
                        return 0;
                }
        }
        return apply_defaults(c);
}

int nsswitch_load(NssConfig *c, const Root *root, DiagList *diags) {
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        int r;

        *c = (NssConfig) {};
        c->path = root_host_path(root, "/etc/nsswitch.conf");
        if (!c->path)
                return -ENOMEM;
        r = root_read_file(root, "/etc/nsswitch.conf", ROOT_FILE_MAX, &text, &size);
        if (r == -ENOMEM)
                return r;
        /* Errors of this run rather than of the file (openat2() refused by a seccomp filter,
         * EIO, out of descriptors): planning with glibc's defaults would remove drop-ins the
         * host still needs, so the run stops before anything is written. */
        if (r == -ENOSYS || r == -EPERM || r == -EIO || r == -EMFILE || r == -ENFILE) {
                diag_add(diags, DIAG_ERROR, c->path, 0, "cannot read: %s; stopping, since planning with glibc's "
                         "defaults instead would remove drop-ins this host needs.", strerror(-r));
                return r;
        }
        if (r < 0) {
                /* glibc ignores a missing or unreadable file and uses its defaults. */
                c->missing = true;
                if (r != -ENOENT)
                        diag_add(diags, DIAG_WARNING, c->path, 0, "cannot read: %s; glibc uses its defaults, and so do we.",
                                 strerror(-r));
                return apply_defaults(c);
        }
        return nsswitch_parse(c, text, size, c->path, diags);
}

bool nss_service_reachable(const NssDatabase *d, size_t i,
                           bool (*unavail_possible)(const NssService *s, const void *data), const void *data) {
        for (size_t k = 0; k < i && k < d->n; k++) {
                bool cont = false;

                for (int s = 0; s < _NSS_STATUS_MAX; s++)
                        if (d->services[k].actions[s] != NSS_ACTION_RETURN &&
                            (s != NSS_UNAVAIL || !unavail_possible || unavail_possible(&d->services[k], data)))
                                cont = true;
                if (!cont)
                        return false;
        }
        return i < d->n;
}

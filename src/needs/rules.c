/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>

#include "conf-parser.h"
#include "extract-word.h"
#include "macro.h"
#include "names.h"
#include "nsswitch.h"
#include "rules.h"
#include "strv.h"
#include "ip-prefix.h"
#include "unit-index.h"
#include "unit-name.h"

static const char *const rule_dirs[] = {
        "/etc/hardening-compat/fragments.d",
        "/run/hardening-compat/fragments.d",
        "/usr/share/hardening-compat/fragments.d",
};

static const char *const server_words[] = { "resolv.conf", "yp.conf", "localhost", "pgsql" };

const char *rule_kind_to_string(RuleKind k) {
        static const char *const t[_RULE_KIND_MAX] = { [RULE_NSS] = "nss" };
        return t[k];
}

static void rule_free(Rule *r) {
        free(r->file);
        free(r->file_name);
        free(r->name);
        free(r->package);
        free(r->module);
        free(r->contacts);
        free(r->verified);
        free(r->daemon);
        strv_free(r->sources);
        strv_free(r->servers);
}

void rules_done(RuleSet *s) {
        for (size_t i = 0; i < s->n; i++)
                rule_free(&s->rules[i]);
        free(s->rules);
        strv_free(s->files);
        *s = (RuleSet) {};
}

const Rule *rules_find(const RuleSet *s, RuleKind kind, const char *name) {
        for (size_t i = 0; i < s->n; i++)
                if (s->rules[i].kind == kind && streq(s->rules[i].name, name))
                        return &s->rules[i];
        return NULL;
}

typedef struct Candidate {
        char *name;
        char *path;             /* inside its root */
        const Root *root;
} Candidate;

static int list_dir(const Root *root, const char *dir, Candidate **c, size_t *n, size_t *cap) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int fd = root_open(root, dir, O_RDONLY | O_DIRECTORY);

        if (fd < 0)
                return 0;
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return 0;
        }
        while ((de = readdir(d))) {
                bool seen = false;

                if (hidden_or_backup_file(de->d_name) || !endswith(de->d_name, ".rules"))
                        continue;
                for (size_t i = 0; i < *n; i++)
                        seen = seen || streq((*c)[i].name, de->d_name);
                if (seen)
                        continue;
                if (GROW(*c, *cap, *n + 1) < 0)
                        return -ENOMEM;
                (*c)[*n] = (Candidate) { .name = strdup(de->d_name), .path = path_join(dir, de->d_name), .root = root };
                if (!(*c)[*n].name || !(*c)[*n].path)
                        return -ENOMEM;
                (*n)++;
        }
        return 0;
}

static int candidate_cmp(const void *a, const void *b) {
        return strcmp(((const Candidate *) a)->name, ((const Candidate *) b)->name);
}

static int words_to_families(const char *v, uint64_t *ret, const char *file, unsigned line, DiagList *d) {
        const char *p = v;

        *ret = 0;
        for (;;) {
                _cleanup_free_ char *w = NULL;
                int r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE), af;

                if (r == -ENOMEM)
                        return r;
                if (r <= 0)
                        return 0;
                af = af_from_name(w);
                if (af < 0 || af >= AF_BITS) {
                        diag_add(d, DIAG_WARNING, file, line, "unknown address family '%s', ignoring.", w);
                        continue;
                }
                *ret |= UINT64_C(1) << af;
        }
}

static int words_to_databases(const char *v, uint32_t *ret, const char *file, unsigned line, DiagList *d) {
        const char *p = v;

        *ret = 0;
        for (;;) {
                _cleanup_free_ char *w = NULL;
                int r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE), db;

                if (r == -ENOMEM)
                        return r;
                if (r <= 0)
                        return 0;
                db = nss_db_from_string(w);
                if (db < 0) {
                        diag_add(d, DIAG_WARNING, file, line, "unknown NSS database '%s', ignoring.", w);
                        continue;
                }
                *ret |= UINT32_C(1) << db;
        }
}

static int words_to_servers(const char *v, char ***ret, const char *file, unsigned line, DiagList *d) {
        const char *p = v;

        for (;;) {
                _cleanup_free_ char *w = NULL;
                bool known = false;
                int r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE);

                if (r == -ENOMEM)
                        return r;
                if (r <= 0)
                        return 0;
                for (size_t i = 0; i < ELEMENTSOF(server_words); i++)
                        known = known || streq(w, server_words[i]);
                if (!known) {
                        IPPrefix addr;

                        known = ip_prefix_parse(w, &addr) == 0 && !strchr(w, '/');
                }
                if (!known) {
                        diag_add(d, DIAG_WARNING, file, line, "unknown server source '%s', ignoring.", w);
                        continue;
                }
                if (strv_extend_uniq(ret, w) < 0)
                        return -ENOMEM;
        }
}

static int set_string(char **dst, const char *v) {
        free(*dst);
        *dst = strdup(v);
        return *dst ? 0 : -ENOMEM;
}

static int apply_item(Rule *r, const ConfItem *it, const char *file, DiagList *d) {
        const char *k = it->key, *v = it->value;
        int b;

        if (streq(it->section, "Rule")) {
                if (streq(k, "Kind")) {
                        if (!streq(v, "nss")) {
                                diag_add(d, DIAG_ERROR, file, it->line, "unknown rule kind '%s'.", v);
                                return -EINVAL;
                        }
                        r->kind = RULE_NSS;
                        return 0;
                }
                if (streq(k, "Name")) {
                        r->line = it->line;
                        return set_string(&r->name, v);
                }
                if (streq(k, "Package"))
                        return set_string(&r->package, v);
                if (streq(k, "Module"))
                        return set_string(&r->module, v);
                if (streq(k, "Contacts"))
                        return set_string(&r->contacts, v);
                if (streq(k, "Verified"))
                        return set_string(&r->verified, v);
                if (streq(k, "Daemon")) {
                        if (!isempty(v) && !unit_name_is_valid(v, UNIT_NAME_PLAIN)) {
                                diag_add(d, DIAG_WARNING, file, it->line, "Daemon= needs a unit name, ignoring: %s", v);
                                return 0;
                        }
                        return set_string(&r->daemon, v);
                }
                if (streq(k, "Source"))
                        return isempty(v) ? 0 : strv_extend(&r->sources, v);
        } else if (streq(it->section, "Needs")) {
                if (streq(k, "Databases"))
                        return words_to_databases(v, &r->databases, file, it->line, d);
                if (streq(k, "AddressFamilies"))
                        return words_to_families(v, &r->families, file, it->line, d);
                if (streq(k, "Servers"))
                        return words_to_servers(v, &r->servers, file, it->line, d);
                if (streq(k, "ServerFamilies")) {
                        b = streq(v, "yes") ? 1 : streq(v, "no") ? 0 : -1;
                        if (b < 0)
                                diag_add(d, DIAG_WARNING, file, it->line, "ServerFamilies= takes yes or no, ignoring.");
                        else
                                r->server_families = b;
                        return 0;
                }
        }
        diag_add(d, DIAG_WARNING, file, it->line, "unknown key '%s' in section [%s], ignoring.", k, it->section);
        return 0;
}

static int load_file(RuleSet *s, const Candidate *c, DiagList *d) {
        _cleanup_free_ char *text = NULL, *hp = root_host_path(c->root, c->path);
        _cleanup_fclose_ FILE *f = NULL;
        ConfFile conf = {};
        Rule r = { .kind = _RULE_KIND_MAX };
        size_t size;
        int k;

        if (!hp)
                return -ENOMEM;
        k = root_read_file(c->root, c->path, ROOT_FILE_MAX, &text, &size);
        if (k == -ENOMEM)
                return k;
        if (k < 0) {
                diag_add(d, DIAG_ERROR, hp, 0, "cannot read rule file: %s, skipping.", strerror(-k));
                return 0;
        }
        if (strv_extend(&s->files, hp) < 0)
                return -ENOMEM;
        if (size == 0)
                return 0;       /* masked */
        f = fmemopen(text, size, "r");
        if (!f || conf_parse(f, hp, "Rule\0Needs\0", &conf, d) < 0)
                return -ENOMEM;

        for (size_t i = 0; i < conf.n_items; i++) {
                k = apply_item(&r, &conf.items[i], hp, d);
                if (k == -ENOMEM)
                        goto fail;
                if (k < 0)
                        goto reject;
        }
        if (conf.error) {
                diag_add(d, DIAG_ERROR, hp, conf.error_line, "rule file unreadable past this line, skipping it.");
                goto reject;
        }
        if (r.kind == _RULE_KIND_MAX || !r.name) {
                diag_add(d, DIAG_ERROR, hp, 0, "rule needs Kind= and Name= in [Rule], skipping.");
                goto reject;
        }
        if (!r.sources) {
                diag_add(d, DIAG_ERROR, hp, r.line, "rule '%s' cites no Source=, skipping.", r.name);
                goto reject;
        }
        {
                const Rule *dup = rules_find(s, r.kind, r.name);

                if (dup) {
                        diag_add(d, DIAG_ERROR, hp, r.line, "a rule for %s '%s' is already in '%s', skipping.",
                                 rule_kind_to_string(r.kind), r.name, dup->file);
                        goto reject;
                }
        }
        r.file = TAKE_PTR(hp);
        r.file_name = strdup(c->name);
        if (!r.file_name || GROW(s->rules, s->cap, s->n + 1) < 0)
                goto fail;
        s->rules[s->n++] = r;
        conf_file_done(&conf);
        return 0;
reject:
        rule_free(&r);
        conf_file_done(&conf);
        return 0;
fail:
        rule_free(&r);
        conf_file_done(&conf);
        return -ENOMEM;
}

int rules_load(RuleSet *s, const Root *root, const char *builtin_dir, DiagList *diags) {
        Root host = { .fd = -1 };
        Candidate *c = NULL;
        size_t n = 0, cap = 0;
        int r = 0;

        *s = (RuleSet) {};
        for (size_t i = 0; i < ELEMENTSOF(rule_dirs) && r >= 0; i++)
                r = list_dir(root, rule_dirs[i], &c, &n, &cap);
        if (r >= 0 && builtin_dir) {
                r = root_init(&host, "/");
                if (r >= 0)
                        r = list_dir(&host, builtin_dir, &c, &n, &cap);
        }
        if (r >= 0) {
                if (n > 0)
                        qsort(c, n, sizeof(Candidate), candidate_cmp);
                for (size_t i = 0; i < n && r >= 0; i++)
                        r = load_file(s, &c[i], diags);
        }
        for (size_t i = 0; i < n; i++) {
                free(c[i].name);
                free(c[i].path);
        }
        free(c);
        if (host.path)
                root_done(&host);
        return r;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/stat.h>

#include "conf-parser.h"
#include "extract-word.h"
#include "macro.h"
#include "names.h"
#include "nsswitch.h"
#include "rules.h"
#include "strv.h"
#include "ip-prefix.h"
#include "unit-index.h"
#include "syscalls.h"
#include "unit-name.h"

static const char *const rule_dirs[] = {
        "/etc/hardening-compat/fragments.d",
        "/run/hardening-compat/fragments.d",
        "/usr/share/hardening-compat/fragments.d",
};

static const char *const server_words[] = {
        "resolv.conf", "yp.conf", "localhost", "pgsql", "krb5.conf", "pam_radius_auth.conf", "pam_duo.conf", "msmtprc",
        "ssmtp.conf", "dma.conf", "esmtprc", "mta-listener",
};

const char *rule_kind_to_string(RuleKind k) {
        static const char *const t[_RULE_KIND_MAX] = {
                [RULE_NSS] = "nss", [RULE_PAM] = "pam", [RULE_PAM_SERVICE] = "pam-service",
                [RULE_MTA] = "mta", [RULE_MAIL_SENDER] = "mail-sender", [RULE_MAIL_LOOPBACK] = "mail-loopback",
        };
        return t[k];
}

static void needs_spec_free(NeedsSpec *n) {
        strv_free(n->servers);
        strv_free(n->read_write_paths);
        strv_free(n->syscalls);
        strv_free(n->namespaces);
        strv_free(n->devices);
        free(n->helper);
}

static void rule_free(Rule *r) {
        free(r->file);
        free(r->file_name);
        free(r->name);
        free(r->module);
        free(r->contacts);
        free(r->verified);
        strv_free(r->packages);
        strv_free(r->daemons);
        strv_free(r->sources);
        strv_free(r->arguments);
        strv_free(r->units);
        strv_free(r->programs);
        strv_free(r->sendmail);
        free(r->listener);
        strv_free(r->listener_daemons);
        needs_spec_free(&r->needs);
        for (int t = 0; t < PAM_TYPES; t++)
                needs_spec_free(&r->needs_type[t]);
}

void rules_done(RuleSet *s) {
        for (size_t i = 0; i < s->n; i++)
                rule_free(&s->rules[i]);
        free(s->rules);
        free(s->by_name);
        strv_free(s->files);
        *s = (RuleSet) {};
}

static int key_cmp(const Rule *r, RuleKind kind, const char *name) {
        return r->kind != kind ? (r->kind < kind ? -1 : 1) : strcmp(r->name, name);
}

static int by_name_cmp(const void *a, const void *b, void *userdata) {
        const RuleSet *s = userdata;
        size_t i = *(const size_t *) a, j = *(const size_t *) b;
        int c = key_cmp(&s->rules[i], s->rules[j].kind, s->rules[j].name);

        return c ? c : (i > j) - (i < j);
}

/* Every unit looks up the rule of each NSS service and PAM stack line: a binary search,
 * not a scan of the few hundred rules. */
static int build_index(RuleSet *s) {
        s->by_name = malloc(sizeof(size_t) * (s->n + 1));
        if (!s->by_name)
                return -ENOMEM;
        for (size_t i = 0; i < s->n; i++)
                s->by_name[i] = i;
        if (s->n > 1)
                qsort_r(s->by_name, s->n, sizeof(size_t), by_name_cmp, s);
        return 0;
}

/* The first position in by_name whose rule has kind and name, or after which it would be. */
static size_t index_first(const RuleSet *s, RuleKind kind, const char *name) {
        size_t lo = 0, hi = s->n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (key_cmp(&s->rules[s->by_name[mid]], kind, name) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/* The rules of one kind and name in file order, one per call: *k starts at SIZE_MAX. */
static const Rule *next_named(const RuleSet *s, RuleKind kind, const char *name, size_t *k) {
        const Rule *r;

        if (!s->by_name) {
                for (*k = *k == SIZE_MAX ? 0 : *k + 1; *k < s->n; (*k)++)
                        if (key_cmp(&s->rules[*k], kind, name) == 0)
                                return &s->rules[*k];
                return NULL;
        }
        *k = *k == SIZE_MAX ? index_first(s, kind, name) : *k + 1;
        if (*k >= s->n)
                return NULL;
        r = &s->rules[s->by_name[*k]];
        return key_cmp(r, kind, name) == 0 ? r : NULL;
}

const Rule *rules_find(const RuleSet *s, RuleKind kind, const char *name) {
        size_t k = SIZE_MAX;

        for (const Rule *r; (r = next_named(s, kind, name, &k));)
                if (!r->arguments)
                        return r;
        return NULL;
}

static bool argument_matches(const char *want, char * const *args) {
        bool prefix = endswith(want, "=") != NULL;

        STRV_FOREACH(a, (char **) args)
                if (prefix ? startswith(*a, want) != NULL : streq(*a, want))
                        return true;
        return false;
}

const Rule *rules_find_pam(const RuleSet *s, const char *module, char * const *args) {
        size_t k = SIZE_MAX;

        for (const Rule *r; (r = next_named(s, RULE_PAM, module, &k));) {
                bool match = true;

                if (!r->arguments)
                        continue;
                STRV_FOREACH(w, r->arguments)
                        match = match && ((*w)[0] == '!' ? !argument_matches(*w + 1, args) : argument_matches(*w, args));
                if (match)
                        return r;
        }
        return rules_find(s, RULE_PAM, module);
}

const Rule *rules_find_mta(const RuleSet *s, const Root *root, const char *resolved, char * const *packages) {
        const Rule *only = NULL;
        size_t n = 0;
        struct stat st;

        STRV_FOREACH(p, (char **) packages) {
                _cleanup_free_ char *name = strndup(*p, strcspn(*p, ":"));

                for (size_t i = 0; name && i < s->n; i++)
                        if (s->rules[i].kind == RULE_MTA && strv_contains(s->rules[i].packages, name))
                                return &s->rules[i];
        }
        /* Without dpkg: the rule naming that file whose helper is there too, or the only one
         * naming it (several MTAs ship an ELF /usr/sbin/sendmail). */
        for (size_t i = 0; resolved && i < s->n; i++) {
                const Rule *r = &s->rules[i];

                if (r->kind != RULE_MTA || !strv_contains(r->sendmail, resolved))
                        continue;
                /* a helper that is the file itself tells nothing apart */
                if (r->needs.helper && !streq(r->needs.helper, resolved) && root_stat(root, r->needs.helper, false, &st) >= 0)
                        return r;
                only = r;
                n++;
        }
        return n == 1 ? only : NULL;
}

char *rule_packages(const Rule *r) {
        return r->packages ? strv_join(r->packages, ", ") : strdup("");
}

typedef struct Candidate {
        char *name;
        char *path;             /* inside its root */
        const Root *root;
} Candidate;

static int list_dir(const Root *root, const char *dir, Candidate **c, size_t *n, size_t *cap) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;

        if (root_opendir(root, dir, &d) < 0)
                return 0;
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

typedef int (*WordFn)(const char *word, void *data, const char *file, unsigned line, DiagList *d);

static int for_words(const char *v, WordFn fn, void *data, const char *file, unsigned line, DiagList *d) {
        for (const char *p = v;;) {
                _cleanup_free_ char *w = NULL;
                int r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE);

                if (r <= 0)
                        return r == -ENOMEM ? r : 0;
                r = fn(w, data, file, line, d);
                if (r < 0)
                        return r;
        }
}

static int word_family(const char *w, void *data, const char *file, unsigned line, DiagList *d) {
        int af = af_from_name(w);

        if (af < 0 || af >= AF_BITS)
                return diag_add(d, DIAG_WARNING, file, line, "unknown address family '%s', ignoring.", w);
        *(uint64_t *) data |= UINT64_C(1) << af;
        return 0;
}

static int word_database(const char *w, void *data, const char *file, unsigned line, DiagList *d) {
        int db = nss_db_from_string(w);

        if (db < 0)
                return diag_add(d, DIAG_WARNING, file, line, "unknown NSS database '%s', ignoring.", w);
        *(uint32_t *) data |= UINT32_C(1) << db;
        return 0;
}

static int word_type(const char *w, void *data, const char *file, unsigned line, DiagList *d) {
        static const char *const types[PAM_TYPES] = { "auth", "account", "password", "session" };

        for (int t = 0; t < PAM_TYPES; t++)
                if (streq(w, types[t])) {
                        *(uint32_t *) data |= UINT32_C(1) << t;
                        return 0;
                }
        return diag_add(d, DIAG_WARNING, file, line, "unknown PAM management group '%s', ignoring.", w);
}

static int word_capability(const char *w, void *data, const char *file, unsigned line, DiagList *d) {
        int c = capability_from_name(w);

        if (c < 0)
                return diag_add(d, DIAG_WARNING, file, line, "unknown capability '%s', ignoring.", w);
        *(uint64_t *) data |= UINT64_C(1) << c;
        return 0;
}

static int word_server(const char *w, void *data, const char *file, unsigned line, DiagList *d) {
        IPPrefix addr;
        bool known = false;

        for (size_t i = 0; i < ELEMENTSOF(server_words); i++)
                known = known || streq(w, server_words[i]);
        if (!known)
                known = ip_prefix_parse(w, &addr) == 0 && !strchr(w, '/');
        if (!known)
                return diag_add(d, DIAG_WARNING, file, line, "unknown server source '%s', ignoring.", w);
        return strv_extend_uniq(data, w);
}

static int word_syscall(const char *w, void *data, const char *file, unsigned line, DiagList *d) {
        if (w[0] == '@' && !syscall_group_members(w))
                return diag_add(d, DIAG_WARNING, file, line, "unknown system call group '%s', ignoring.", w);
        return strv_extend_uniq(data, w);
}

static int word_namespace(const char *w, void *data, const char *file, unsigned line, DiagList *d) {
        static const char *const ns[] = { "cgroup", "ipc", "net", "mnt", "pid", "user", "uts" };

        for (size_t i = 0; i < ELEMENTSOF(ns); i++)
                if (streq(w, ns[i]))
                        return strv_extend_uniq(data, w);
        return diag_add(d, DIAG_WARNING, file, line, "unknown namespace type '%s', ignoring.", w);
}

static int word_path(const char *w, void *data, const char *file, unsigned line, DiagList *d) {
        if (w[0] != '/')
                return diag_add(d, DIAG_WARNING, file, line, "path '%s' is not absolute, ignoring.", w);
        return strv_extend_uniq(data, w);
}

static int word_plain(const char *w, void *data, const char *file, unsigned line, DiagList *d) {
        (void) file, (void) line, (void) d;
        return strv_extend_uniq(data, w);
}

static int word_unit(const char *w, void *data, const char *file, unsigned line, DiagList *d) {
        if (!unit_name_is_valid(w, UNIT_NAME_ANY))
                return diag_add(d, DIAG_WARNING, file, line, "'%s' is not a unit name, ignoring.", w);
        return strv_extend_uniq(data, w);
}

static int set_string(char **dst, const char *v) {
        free(*dst);
        *dst = strdup(v);
        return *dst ? 0 : -ENOMEM;
}

static int parse_yes_no(const char *v, bool *ret, const char *key, const char *file, unsigned line, DiagList *d) {
        if (streq(v, "yes") || streq(v, "no")) {
                *ret = streq(v, "yes");
                return 0;
        }
        return diag_add(d, DIAG_WARNING, file, line, "%s= takes yes or no, ignoring.", key);
}

static int apply_needs(NeedsSpec *n, const ConfItem *it, const char *file, DiagList *d) {
        const char *k = it->key, *v = it->value;
        unsigned l = it->line;

        if (streq(k, "Databases"))
                return for_words(v, word_database, &n->databases, file, l, d);
        if (streq(k, "AddressFamilies"))
                return for_words(v, word_family, &n->families, file, l, d);
        if (streq(k, "Servers"))
                return for_words(v, word_server, &n->servers, file, l, d);
        if (streq(k, "ServerFamilies"))
                return parse_yes_no(v, &n->server_families, k, file, l, d);
        if (streq(k, "ReadWritePaths"))
                return for_words(v, word_path, &n->read_write_paths, file, l, d);
        if (streq(k, "Capabilities"))
                return for_words(v, word_capability, &n->capabilities, file, l, d);
        if (streq(k, "SystemCallGroups") || streq(k, "SystemCalls"))
                return for_words(v, word_syscall, &n->syscalls, file, l, d);
        if (streq(k, "Namespaces"))
                return for_words(v, word_namespace, &n->namespaces, file, l, d);
        if (streq(k, "Devices"))       /* one DeviceAllow= specification per line */
                return isempty(v) ? 0 : strv_extend_uniq(&n->devices, v);
        if (streq(k, "HomeAccess")) {
                if (streq(v, "read") || streq(v, "write") || streq(v, "no")) {
                        n->home = streq(v, "read") ? HOME_READ : streq(v, "write") ? HOME_WRITE : HOME_NONE;
                        return 0;
                }
                return diag_add(d, DIAG_WARNING, file, l, "HomeAccess= takes read, write or no, ignoring.");
        }
        if (streq(k, "Helper")) {
                if (v[0] != '/')
                        return diag_add(d, DIAG_WARNING, file, l, "Helper= needs an absolute path, ignoring.");
                return set_string(&n->helper, v);
        }
        if (streq(k, "HelperChecksGroup"))
                return parse_yes_no(v, &n->helper_checks_group, k, file, l, d);
        if (streq(k, "HelperWhen")) {
                if (streq(v, "always") || streq(v, "not-root")) {
                        n->helper_when = streq(v, "always") ? HELPER_ALWAYS : HELPER_NOT_ROOT;
                        return 0;
                }
                return diag_add(d, DIAG_WARNING, file, l, "HelperWhen= takes always or not-root, ignoring.");
        }
        return diag_add(d, DIAG_WARNING, file, l, "unknown key '%s' in section [%s], ignoring.", k, it->section);
}

static int apply_rule_key(Rule *r, const ConfItem *it, const char *file, DiagList *d) {
        const char *k = it->key, *v = it->value;
        unsigned l = it->line;

        if (streq(k, "Kind")) {
                for (int i = 0; i < _RULE_KIND_MAX; i++)
                        if (streq(v, rule_kind_to_string((RuleKind) i))) {
                                r->kind = (RuleKind) i;
                                return 0;
                        }
                diag_add(d, DIAG_ERROR, file, l, "unknown rule kind '%s'.", v);
                return -EINVAL;
        }
        if (streq(k, "Name")) {
                r->line = l;
                return set_string(&r->name, v);
        }
        if (streq(k, "Package"))
                return for_words(v, word_plain, &r->packages, file, l, d);
        if (streq(k, "Module"))
                return set_string(&r->module, v);
        if (streq(k, "Contacts"))
                return set_string(&r->contacts, v);
        if (streq(k, "Verified"))
                return set_string(&r->verified, v);
        if (streq(k, "Daemon"))
                return for_words(v, word_unit, &r->daemons, file, l, d);
        if (streq(k, "Source"))
                return isempty(v) ? 0 : strv_extend(&r->sources, v);
        if (streq(k, "Types"))
                return for_words(v, word_type, &r->types, file, l, d);
        if (streq(k, "Arguments"))
                return for_words(v, word_plain, &r->arguments, file, l, d);
        if (streq(k, "Confinable"))
                return parse_yes_no(v, &r->confinable, k, file, l, d);
        if (streq(k, "Units"))
                return for_words(v, word_unit, &r->units, file, l, d);
        if (streq(k, "Program"))
                return for_words(v, word_path, &r->programs, file, l, d);
        if (streq(k, "Sendmail"))
                return for_words(v, word_path, &r->sendmail, file, l, d);
        if (streq(k, "Listener"))
                return set_string(&r->listener, v);
        if (streq(k, "ListenerDaemon"))
                return for_words(v, word_unit, &r->listener_daemons, file, l, d);
        return diag_add(d, DIAG_WARNING, file, l, "unknown key '%s' in section [%s], ignoring.", k, it->section);
}

static int apply_item(Rule *r, const ConfItem *it, const char *file, DiagList *d) {
        static const char *const types[PAM_TYPES] = { "auth", "account", "password", "session" };
        const char *t;

        if (streq(it->section, "Rule"))
                return apply_rule_key(r, it, file, d);
        if (streq(it->section, "Needs"))
                return apply_needs(&r->needs, it, file, d);
        t = startswith(it->section, "Needs:");
        for (int i = 0; t && i < PAM_TYPES; i++)
                if (streq(t, types[i])) {
                        r->has_type[i] = true;
                        return apply_needs(&r->needs_type[i], it, file, d);
                }
        return diag_add(d, DIAG_WARNING, file, it->line, "unknown section [%s], ignoring.", it->section);
}

static bool same_identity(const Rule *a, const Rule *b) {
        _cleanup_free_ char *x = NULL, *y = NULL;

        /* Every new rule is checked against every earlier one: compare the arguments, which
         * takes two allocations, only for the rare pair of the same kind and name. */
        if (a->kind != b->kind || !streq(a->name, b->name))
                return false;
        x = strv_join(a->arguments, " ");
        y = strv_join(b->arguments, " ");
        return x && y && streq(x, y);
}

static int load_file(RuleSet *s, const Candidate *c, DiagList *d) {
        _cleanup_free_ char *text = NULL, *hp = root_host_path(c->root, c->path);
        ConfFile conf = {};
        Rule r = { .kind = _RULE_KIND_MAX, .confinable = true };
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
        if (conf_parse_text(text, size, hp, "Rule\0Needs\0Needs:auth\0Needs:account\0Needs:password\0Needs:session\0",
                            &conf, d) < 0)
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
        for (size_t i = 0; i < s->n; i++) {
                const Rule *dup = &s->rules[i];

                if (same_identity(dup, &r)) {
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
        if (r >= 0)
                r = build_index(s);
        for (size_t i = 0; i < n; i++) {
                free(c[i].name);
                free(c[i].path);
        }
        free(c);
        if (host.path)
                root_done(&host);
        return r;
}

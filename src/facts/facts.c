/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <glob.h>

#include "exec-abi.h"
#include "facts.h"
#include "macro.h"
#include "rules.h"
#include "strv.h"

static int scan_compat(CompatUse *c, const Root *root, const char *path) {
        _cleanup_free_ char *text = NULL;
        unsigned n = 0;
        char *save;

        *c = (CompatUse) {};
        if (root_read_file(root, path, ROOT_FILE_MAX, &text, NULL) < 0)
                return 0;
        for (char *l = text; l; l = save) {
                save = strchr(l, '\n');
                if (save)
                        *save++ = '\0';
                n++;
                if (l[0] != '+' && l[0] != '-')
                        continue;
                if (asprintf_safe(&c->origin, "%s:%u", path, n) < 0)
                        return -ENOMEM;
                c->entry = strndup(l, strcspn(l, ":"));
                return c->entry ? 0 : -ENOMEM;
        }
        return 0;
}

int facts_load(Facts *f, const Root *root, DiagList *diags) {
        static const char *const compat_files[_COMPAT_MAX] = { "/etc/passwd", "/etc/group", "/etc/shadow" };
        int r;

        *f = (Facts) {};
        f->root = strdup(root->path);
        if (!f->root)
                return -ENOMEM;
        r = nsswitch_load(&f->nss, root, diags);
        if (r < 0)
                return r;
        for (int i = 0; i < _COMPAT_MAX; i++) {
                r = scan_compat(&f->compat[i], root, compat_files[i]);
                if (r < 0)
                        return r;
        }
        r = servers_load_resolv_conf(&f->nameservers, root, diags);
        if (r < 0)
                return r;
        r = servers_load_yp_conf(&f->yp_servers, root, diags);
        if (r < 0)
                return r;
        r = servers_load_pgsql(&f->pgsql, root, diags);
        if (r < 0)
                return r;
        r = host_archs_load(&f->archs, root, diags);
        if (r >= 0)
                r = hc_config_load(&f->config, root, diags);
        if (r < 0)
                return r;
        return servers_localhost(&f->localhost);
}

/* Enabled, the way systemctl is-enabled sees it for a unit that is pulled in: a symlink
 * of that name in some .wants/ or .requires/ directory of the configuration. Read once:
 * every name in every such directory. */
static int pulled_in_units(const Root *root, char ***ret) {
        static const char *const dirs[] = {
                "/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system",
        };
        _cleanup_strv_free_ char **units = NULL;

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_closedir_ DIR *d = NULL;
                struct dirent *de;

                if (root_opendir(root, dirs[i], &d) < 0)
                        continue;
                while ((de = readdir(d))) {
                        _cleanup_closedir_ DIR *w = NULL;
                        _cleanup_free_ char *p = NULL;
                        struct dirent *we;

                        if (!endswith(de->d_name, ".wants") && !endswith(de->d_name, ".requires"))
                                continue;
                        p = path_join(dirs[i], de->d_name);
                        if (!p)
                                return -ENOMEM;
                        /* Through the root: a symlinked directory resolves inside it. */
                        if (root_opendir(root, p, &w) < 0)
                                continue;
                        while ((we = readdir(w)))
                                if (we->d_name[0] != '.' && strv_extend_uniq(&units, we->d_name) < 0)
                                        return -ENOMEM;
                }
        }
        *ret = TAKE_PTR(units);
        return 0;
}

/* A module file in any multiarch or plain library directory of the root. */
static bool module_installed(const Root *root, const char *module) {
        static const char *const patterns[] = { "/lib/*/%s", "/usr/lib/*/%s", "/lib/%s", "/usr/lib/%s" };

        for (size_t i = 0; i < ELEMENTSOF(patterns); i++) {
                _cleanup_free_ char *pat = NULL, *rel = NULL;
                glob_t g = {};
                bool found;

                if (asprintf_safe(&rel, patterns[i], module) < 0)
                        return false;
                pat = root_host_path(root, rel);
                if (!pat)
                        return false;
                found = glob(pat, GLOB_NOSORT, NULL, &g) == 0 && g.gl_pathc > 0;
                globfree(&g);
                if (found)
                        return true;
        }
        return false;
}

/* Server lists a rule may name that are read only when some rule names them. */
static const struct {
        const char *word;
        int (*load)(ServerList *l, const Root *root, DiagList *diags);
} config_servers[] = {
        { "krb5.conf", servers_load_krb5_conf },
        { "pam_radius_auth.conf", servers_load_radius_conf },
        { "pam_duo.conf", servers_load_duo_conf },
        { "msmtprc", servers_load_msmtprc },
        { "ssmtp.conf", servers_load_ssmtp_conf },
        { "dma.conf", servers_load_dma_conf },
        { "esmtprc", servers_load_esmtprc },
};

static int add_named_servers(Facts *f, const Root *root, const Rule *r, const char *word, DiagList *diags) {
        _cleanup_free_ char *origin = NULL;
        LiteralServer *ls;
        int k = -EINVAL;

        if (facts_servers(f, word))
                return 0;
        ls = realloc(f->literals, sizeof(LiteralServer) * (f->n_literals + 1));
        if (!ls)
                return -ENOMEM;
        f->literals = ls;
        ls = &f->literals[f->n_literals];
        *ls = (LiteralServer) { .word = strdup(word) };
        if (!ls->word)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(config_servers); i++)
                if (streq(config_servers[i].word, word))
                        k = config_servers[i].load(&ls->list, root, diags);
        if (k == -EINVAL) {
                if (asprintf_safe(&origin, "fixed in %s", r->file_name) < 0)
                        k = -ENOMEM;
                else
                        k = servers_literal(&ls->list, word, origin);
        }
        if (k < 0) {
                free(ls->word);
                server_list_done(&ls->list);
                return k;
        }
        f->n_literals++;
        return 0;
}

int facts_load_for_rules(Facts *f, const Root *root, const RuleSet *rules, DiagList *diags) {
        _cleanup_strv_free_ char **pulled_in = NULL;
        int k;

        k = pulled_in_units(root, &pulled_in);
        if (k < 0)
                return k;
        /* libc6 ships libnss_files.so.2: a root without it (an extract of configuration files)
         * says nothing about which modules are installed */
        f->nss_modules_observable = module_installed(root, "libnss_files.so.2");
        for (size_t i = 0; i < rules->n; i++) {
                const Rule *r = &rules->rules[i];

                STRV_FOREACH(dm, r->daemons)
                        if (strv_contains(pulled_in, *dm) && strv_extend_uniq(&f->enabled_daemons, *dm) < 0)
                                return -ENOMEM;
                /* PAM modules are found through the stacks (pamd.c resolves their paths). */
                if (r->kind == RULE_NSS && !isempty(r->module) && module_installed(root, r->module) &&
                    strv_extend_uniq(&f->installed_modules, r->module) < 0)
                        return -ENOMEM;
                for (int t = -1; t < PAM_TYPES; t++)
                        STRV_FOREACH(w, t < 0 ? r->needs.servers : r->needs_type[t].servers) {
                                k = add_named_servers(f, root, r, *w, diags);
                                if (k < 0)
                                        return k;
                        }
        }
        k = mta_load(&f->mta, root, rules, diags);
        if (k >= 0)
                k = mta_listener_load(&f->mta, root, rules, pulled_in, diags);
        if (k < 0)
                return k;
        return facts_load_helpers(f, root, rules);
}

const char *facts_path_in_root(const Facts *f, const char *host_path) {
        const char *rest = f->root && !streq(f->root, "/") ? startswith(host_path, f->root) : NULL;

        return rest && rest[0] == '/' ? rest : host_path;
}

bool facts_daemon_enabled(const Facts *f, const char *unit) {
        return strv_contains(f->enabled_daemons, unit);
}

bool facts_module_installed(const Facts *f, const char *module) {
        return strv_contains(f->installed_modules, module);
}

void facts_done(Facts *f) {
        nsswitch_done(&f->nss);
        for (int i = 0; i < _COMPAT_MAX; i++) {
                free(f->compat[i].origin);
                free(f->compat[i].entry);
        }
        server_list_done(&f->nameservers);
        server_list_done(&f->yp_servers);
        server_list_done(&f->localhost);
        server_list_done(&f->pgsql);
        for (size_t i = 0; i < f->n_literals; i++) {
                free(f->literals[i].word);
                server_list_done(&f->literals[i].list);
        }
        free(f->literals);
        strv_free(f->enabled_daemons);
        strv_free(f->installed_modules);
        facts_pam_done(f);
        host_archs_done(&f->archs);
        exec_abi_cache_done(f);
        mta_done(&f->mta);
        hc_config_done(&f->config);
        free(f->root);
        mail_use_cache_done(f);
        *f = (Facts) {};
}

const ServerList *facts_servers(const Facts *f, const char *provider) {
        if (streq(provider, "resolv.conf"))
                return &f->nameservers;
        if (streq(provider, "yp.conf"))
                return &f->yp_servers;
        if (streq(provider, "localhost"))
                return &f->localhost;
        if (streq(provider, "pgsql"))
                return &f->pgsql;
        if (streq(provider, "mta-listener"))
                return &f->mta.listener.servers;
        for (size_t i = 0; i < f->n_literals; i++)
                if (streq(f->literals[i].word, provider))
                        return &f->literals[i].list;
        return NULL;
}

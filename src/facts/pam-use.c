/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <strings.h>
#include <sys/stat.h>

#include "dpkg.h"
#include "elf.h"
#include "macro.h"
#include "pam-use.h"
#include "rules.h"
#include "strv.h"

const char *pam_scope_to_string(PamScope s) {
        return s == PAM_SCOPE_IN_PROCESS ? "in-process" : "before-sandbox";
}

void pam_use_list_done(PamUseList *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].service);
                strv_free(l->items[i].evidence);
        }
        free(l->items);
        strv_free(l->notes);
        *l = (PamUseList) {};
}

static PamUse *find_use(PamUseList *l, const char *service) {
        for (size_t i = 0; i < l->n; i++)
                if (strcasecmp(l->items[i].service, service) == 0)
                        return &l->items[i];
        return NULL;
}

#define TYPES_DEFAULT (1u << PAM_TYPE_AUTH | 1u << PAM_TYPE_ACCOUNT | 1u << PAM_TYPE_SESSION)

static int add_use(Facts *f, const Root *root, PamUseList *l, const char *service, PamScope scope, uint32_t types,
                   const char *evidence, DiagList *diags) {
        PamUse *u = find_use(l, service);
        int r;

        if (!u) {
                if (GROW(l->items, l->cap, l->n + 1) < 0)
                        return -ENOMEM;
                u = &l->items[l->n];
                *u = (PamUse) { .service = strdup(service), .scope = scope };
                if (!u->service)
                        return -ENOMEM;
                for (char *c = u->service; *c; c++)
                        *c = (char) tolower((unsigned char) *c);        /* libpam does the same */
                l->n++;
                r = facts_pam_stack(f, root, u->service, &u->stack, diags);
                if (r == -EINVAL) {
                        /* a name that cannot be a file: libpam refuses it too */
                        u->stack = NULL;
                } else if (r < 0)
                        return r;
        }
        /* A daemon calling PAM itself is the stricter case: its whole sandbox applies. */
        if (scope == PAM_SCOPE_IN_PROCESS)
                u->scope = scope;
        u->types |= types;
        return strv_extend_uniq(&u->evidence, evidence);
}

static const char *libpam_key(const void *ctx, size_t i) {
        return ((const Facts *) ctx)->libpam[i].path;
}

/* Does the file need libpam.so.0? Cached per path in Facts (a hash index: looked up for
 * every executable of every unit). */
static int links_libpam(Facts *f, const Root *root, const char *path, const char **ret_via) {
        size_t i = str_index_find(&f->libpam_index, path, libpam_key, f);
        char *via = NULL;
        int r;

        if (i != (size_t) -1) {
                *ret_via = f->libpam[i].via;
                return !!f->libpam[i].via;
        }
        r = elf_needs_library(root, path, "libpam.so.0", &via);
        if (r == -ENOMEM)
                return r;
        if (GROW(f->libpam, f->libpam_cap, f->n_libpam + 1) < 0) {
                free(via);
                return -ENOMEM;
        }
        f->libpam[f->n_libpam] = (LibpamUse) { .path = strdup(path), .via = r > 0 ? via : NULL };
        if (r <= 0)
                free(via);
        if (!f->libpam[f->n_libpam].path)
                return -ENOMEM;
        *ret_via = f->libpam[f->n_libpam++].via;
        if (str_index_add(&f->libpam_index, f->n_libpam, libpam_key, f) < 0)
                return -ENOMEM;
        return !!*ret_via;
}

static bool pam_file_exists(const Root *root, const char *service, char **ret_path) {
        static const char *const dirs[] = { "/etc/pam.d/", "/usr/lib/pam.d/" };

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_free_ char *p = strjoin(dirs[i], service);
                struct stat st;

                if (p && root_stat(root, p, true, &st) >= 0 && S_ISREG(st.st_mode)) {
                        *ret_path = TAKE_PTR(p);
                        return true;
                }
        }
        return false;
}

/* "ssh.service" → "ssh", "getty@tty1.service" → "getty" */
static char *unit_prefix(const char *id) {
        return strndup(id, strcspn(id, "@."));
}

/* The package that ships both the binary and the service's pam.d file, if the dpkg
 * database says so: evidence the name is right, never a signal on its own. */
static int package_evidence(const Root *root, const char *binary, const char *pam_file, char **ret, DiagList *diags) {
        _cleanup_strv_free_ char **owners = NULL, **pam_owners = NULL;
        int r;

        *ret = NULL;
        r = dpkg_owners(root, binary, &owners, diags);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || !owners)
                return 0;
        r = dpkg_owners(root, pam_file, &pam_owners, diags);
        if (r == -ENOMEM)
                return r;
        STRV_FOREACH(o, owners)
                if (strv_contains(pam_owners, *o))
                        return asprintf_safe(ret, "package %s ships both %s and %s", *o, binary, pam_file);
        return 0;
}

static int observe(Facts *f, const Root *root, const PamUnitInfo *u, bool mapped, PamUseList *l, DiagList *diags) {
        _cleanup_free_ char *prefix = unit_prefix(u->id);
        int r;

        if (!prefix)
                return -ENOMEM;
        STRV_FOREACH(p, u->exec_paths) {
                _cleanup_free_ char *resolved = NULL, *base = NULL;
                const char *via, *names[2];
                bool found = false;

                if (exec_resolve(root, *p, &resolved) < 0)
                        continue;
                r = links_libpam(f, root, resolved, &via);
                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                base = strdup(path_filename(resolved));
                if (!base)
                        return -ENOMEM;
                names[0] = prefix;
                names[1] = base;
                for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                        _cleanup_free_ char *file = NULL, *ev = NULL, *pkg = NULL;

                        if (i == 1 && streq(names[0], names[1]))
                                break;
                        if (!pam_file_exists(root, names[i], &file))
                                continue;
                        r = package_evidence(root, resolved, file, &pkg, diags);
                        if (r < 0)
                                return r;
                        if (asprintf_safe(&ev, "%s needs %s, and %s is named after the %s%s%s", resolved, via, file,
                                          i == 0 ? "unit" : "binary", pkg ? "; " : "", strempty(pkg)) < 0)
                                return -ENOMEM;
                        r = add_use(f, root, l, names[i], PAM_SCOPE_IN_PROCESS, TYPES_DEFAULT, ev, diags);
                        if (r < 0)
                                return r;
                        found = true;
                }
                if (!found && !mapped) {
                        _cleanup_free_ char *note = NULL;

                        if (asprintf_safe(&note, "%s needs %s, but no PAM service is named after the unit or the binary "
                                                 "and no rule maps this unit: if it calls PAM, add a Kind=pam-service rule",
                                          resolved, via) < 0 ||
                            strv_extend_uniq(&l->notes, note) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

int pam_use_find(Facts *f, const Root *root, const RuleSet *rules, const PamUnitInfo *u, PamUseList *ret, DiagList *diags) {
        bool mapped = false;
        int r;

        *ret = (PamUseList) {};
        if (u->pam_name) {
                _cleanup_free_ char *ev = NULL;

                if (asprintf_safe(&ev, "PAMName=%s (%s): systemd runs the stack before the sandbox", u->pam_name,
                                  u->pam_name_origin) < 0)
                        goto oom;
                r = add_use(f, root, ret, u->pam_name, PAM_SCOPE_BEFORE_SANDBOX, TYPES_DEFAULT, ev, diags);
                if (r < 0)
                        goto fail;
        }
        for (size_t i = 0; i < rules->n; i++) {
                const Rule *rule = &rules->rules[i];
                _cleanup_free_ char *ev = NULL, *progs = NULL;

                if (rule->kind != RULE_PAM_SERVICE ||
                    !(strv_contains(rule->units, u->id) || (u->template_id && strv_contains(rule->units, u->template_id))))
                        continue;
                progs = rule->programs ? strv_join(rule->programs, ", ") : strdup("its daemon");
                if (!progs || asprintf_safe(&ev, "rule %s: %s calls pam_start(\"%s\")", rule->file_name, progs, rule->name) < 0)
                        goto oom;
                r = add_use(f, root, ret, rule->name, PAM_SCOPE_IN_PROCESS, rule->types ? rule->types : TYPES_DEFAULT,
                            ev, diags);
                if (r < 0)
                        goto fail;
                mapped = true;
        }
        r = observe(f, root, u, mapped, ret, diags);
        if (r < 0)
                goto fail;
        return 0;
oom:
        r = -ENOMEM;
fail:
        pam_use_list_done(ret);
        return r;
}

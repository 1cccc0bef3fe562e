/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "cli.h"
#include "macro.h"
#include "names.h"
#include "strv.h"
#include "unit-name.h"

static const Setting shown[] = {
        SETTING_USER, SETTING_DYNAMIC_USER, SETTING_RESTRICT_ADDRESS_FAMILIES,
        SETTING_IP_ADDRESS_ALLOW, SETTING_IP_ADDRESS_DENY, SETTING_PRIVATE_NETWORK,
        SETTING_NO_NEW_PRIVILEGES, SETTING_SYSTEM_CALL_ARCHITECTURES, SETTING_CAPABILITY_BOUNDING_SET,
        SETTING_PROTECT_SYSTEM, SETTING_PROTECT_HOME, SETTING_READ_WRITE_PATHS, SETTING_SUPPLEMENTARY_GROUPS,
        SETTING_SYSTEM_CALL_FILTER, SETTING_PAM_NAME, SETTING_BIND_READ_ONLY_PATHS,
};

static void print_files(const Unit *u) {
        _cleanup_free_ const UnitFile **active = NULL;
        size_t n = 0;

        if (u->n_files > 0 && u->files[0].is_fragment)
                printf("  Unit file: %s\n", u->files[0].host_path);
        if (unit_active_dropins(u, NULL, &active, &n) < 0)
                return;
        for (size_t i = 0; i < u->n_files; i++) {
                const UnitFile *f = &u->files[i];
                bool applied = false;

                if (f->is_fragment)
                        continue;
                for (size_t k = 0; k < n; k++)
                        applied = applied || active[k] == f;
                printf("  Drop-in:   %s%s\n", f->host_path,
                       f->ours ? " (ours, regenerated)" : f->masked ? " (empty: masks others of its name)" :
                       applied ? "" : " (shadowed by a file of the same name)");
        }
}

static void print_settings(const UnitView *v) {
        printf("  Effective sandbox:\n");
        for (size_t i = 0; i < ELEMENTSOF(shown); i++) {
                const OriginList *l = &v->sb.origins[shown[i]];
                _cleanup_free_ char *val = sandbox_format(&v->sb, shown[i]);

                if (l->n == 0 && shown[i] != SETTING_RESTRICT_ADDRESS_FAMILIES && shown[i] != SETTING_NO_NEW_PRIVILEGES)
                        continue;
                printf("    %s=%s\n", setting_to_string(shown[i]), strempty(val));
                for (size_t k = 0; k < l->n; k++)
                        printf("        %s:%u: %s=%s\n", l->items[k].file, l->items[k].line, l->items[k].key, l->items[k].value);
        }
        printf("    (NoNewPrivileges in effect: %s)\n",
               sandbox_nnp_in_effect(&v->sb, sandbox_user_is_root(&v->sb)) ? "yes" : "no");
        if (v->ip_deny.n > 0 || v->ip_allow.n > 0)
                for (size_t i = 0; v->slices && v->slices[i]; i++)
                        printf("    (IP lists include slice %s)\n", v->slices[i]);
}

static void print_pam(const Engine *e, const UnitResult *u) {
        if (u->pam.n == 0 && !u->pam.notes)
                return;
        printf("  PAM:\n");
        for (size_t i = 0; i < u->pam.n; i++) {
                const PamUse *p = &u->pam.items[i];

                printf("    PAM service %s, %s\n", p->service, p->scope == PAM_SCOPE_IN_PROCESS ?
                       "run by the daemon itself: the whole sandbox applies to its modules" :
                       "run by systemd (PAMName=) as root before the sandbox: only IPAddressDeny=/IPAddressAllow= "
                       "and DeviceAllow= reach its modules");
                STRV_FOREACH(x, p->evidence)
                        printf("      evidence: %s\n", *x);
                if (!p->stack)
                        continue;
                if (p->stack->aborted)
                        printf("      libpam refuses this service: %s\n", strempty(p->stack->abort_reason));
                for (size_t k = 0; k < p->stack->n; k++) {
                        const PamEntry *x = &p->stack->entries[k];
                        const Rule *r = rules_find_pam(&e->rules, x->module_name, x->args);

                        printf("      %-8s %-24s %-20s %s%s  [%s]\n", pam_type_to_string(x->type), x->control,
                               x->module_name, x->chain, x->from_other ? " (from \"other\")" : "",
                               !x->module_path ? "module not installed: libpam fails this line" :
                               !r ? "no rule" : !r->confinable ? "cannot be confined" : r->file_name);
                }
        }
        STRV_FOREACH(x, u->pam.notes)
                printf("    (%s)\n", *x);
}

/* Per command inside the sandbox: the file it runs, its system call ABI, how that was found. */
static void print_exec(const Engine *e, const UnitResult *u) {
        const HostArchs *a = &e->facts.archs;

        if (u->exec.n == 0)
                return;
        printf("  Executes (native ABI %s, from %s):\n", strempty(a->native_abi), strempty(a->native_abi_source));
        for (size_t i = 0; i < u->exec.n; i++) {
                const ExecAbi *x = &u->exec.items[i];
                _cleanup_free_ char *how = exec_abi_how(x);

                if (x->key)
                        printf("    %s=%s  (%s)\n", x->key, x->command, x->origin);
                else
                        printf("    helper %s  (shipped by %s)\n", x->file, x->origin);
                if (x->error)
                        printf("        %s: %s\n", x->file ? x->file : x->command, x->error);
                else
                        printf("        %s: %s, %s; found from the %s\n", x->file, x->abi ? x->abi : "no systemd ABI name",
                               x->description, strempty(how));
        }
}

static void print_mail(const Engine *e, const UnitResult *u) {
        _cleanup_free_ char *mta = NULL;

        if (!u->mail)
                return;
        mta = mta_describe(&e->facts.mta);
        printf("  Mail: sends it through %s\n", strempty(mta));
        STRV_FOREACH(x, u->mail)
                printf("      evidence: %s\n", *x);
}

static void explain_one(const Engine *e, const UnitResult *u) {
        printf("%s\n", u->unit->id);
        if (u->unit->aliases) {
                _cleanup_free_ char *a = strv_join(u->unit->aliases, " ");
                printf("  Also:      %s\n", strempty(a));
        }
        print_files(u->unit);
        if (!u->viewed) {
                printf("  Not planned: %s\n", u->error ? "systemd refuses this unit" : unit_load_state_to_string(u->unit->state));
                return;
        }
        print_settings(u->current);
        print_exec(e, u);
        print_pam(e, u);
        print_mail(e, u);
        printf("  Needs:%s\n", u->needs.n ? "" : " nothing from this sandbox");
        for (size_t i = 0; i < u->needs.n; i++) {
                const Need *n = &u->needs.items[i];
                _cleanup_free_ char *v = need_value_string(n);

                printf("    %s %s\n", need_kind_to_string(n->kind), strempty(v));
                for (size_t k = 0; k < n->n_reasons; k++)
                        printf("        %s\n", n->reasons[k].chain);
        }
        STRV_FOREACH(x, u->needs.notes)
                printf("    (%s)\n", *x);
        STRV_FOREACH(x, u->needs.unknown)
                printf("  Unknown:   %s\n", *x);
        STRV_FOREACH(x, u->needs.unconfinable)
                printf("  Cannot be confined: %s\n", *x);
        printf("  Drop-in %s: %s\n", u->plan.path, dropin_status(u));
        if (u->plan.text)
                for (const char *p = u->plan.text; *p;) {
                        size_t l = strcspn(p, "\n");
                        printf("    %.*s\n", (int) l, p);
                        p += l + (p[l] == '\n');
                }
        for (size_t i = 0; u->plan.text && i < u->plan.n_files; i++) {
                printf("  Written with it: %s (mode %04o)\n", u->plan.files[i].name, u->plan.files[i].mode);
                for (const char *p = u->plan.files[i].text; *p;) {
                        size_t l = strcspn(p, "\n");
                        printf("    %.*s\n", (int) l, p);
                        p += l + (p[l] == '\n');
                }
        }
        STRV_FOREACH(x, u->plan.unmet)
                printf("  Unmet:     %s\n", *x);
}

int verb_explain(Engine *e, const Options *o, char **units) {
        json_object *arr = o->json != JSON_OFF ? json_object_new_array() : NULL;
        int ret = EXIT_OK;

        STRV_FOREACH(name, units) {
                UnitResult *u = NULL;
                int r;

                if (!unit_name_is_valid(*name, UNIT_NAME_ANY)) {
                        print_error("invalid unit name '%s'.", *name);
                        ret = EXIT_USAGE;
                        continue;
                }
                r = engine_plan_unit(e, *name, &u);
                if (r == -ENOENT) {
                        print_error("unit %s is %s.", *name, unit_load_state_to_string(u->unit->state));
                        if (ret == EXIT_OK)
                                ret = EXIT_NO_UNIT;
                        if (arr) {
                                json_object *j = json_unit(e, u, false);

                                json_object_object_add(j, "name", json_object_new_string(*name));
                                json_object_array_add(arr, j);
                        }
                        continue;
                }
                if (r < 0) {
                        print_error("cannot explain %s: %s", *name, strerror(-r));
                        json_object_put(arr);
                        return EXIT_FAIL;
                }
                if (arr) {
                        json_object *j = json_unit(e, u, true);

                        json_object_object_add(j, "name", json_object_new_string(*name));
                        json_object_array_add(arr, j);
                }
                else
                        explain_one(e, u);
        }
        if (arr) {
                print_json(arr, o->json);
                json_object_put(arr);
        }
        print_diags(&e->diags, false);
        return ret;
}

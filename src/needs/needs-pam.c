/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "macro.h"
#include "names.h"
#include "needs-internal.h"
#include "strv.h"
#include "syscalls.h"

static int walk_entry(SpecWalk *w, const PamUse *use, const PamEntry *e) {
        const char *type = pam_type_to_string(e->type);
        _cleanup_free_ char *where = NULL, *base = NULL, *pkgs = NULL, *msg = NULL;
        const Rule *rule;
        int r;

        if (asprintf_safe(&where, "%s%s", e->chain, e->from_other ? " (from \"other\")" : "") < 0)
                return -ENOMEM;
        if (!e->module_path)
                return 0;       /* libpam fails this line whatever the sandbox: nothing to grant */
        if (!(use->types & (UINT32_C(1) << e->type)))
                return 0;       /* the caller never runs this management group */
        rule = rules_find_pam(w->rules, e->module_name, e->args);
        if (!rule) {
                if (asprintf_safe(&msg, "PAM module %s (%s %s, %s) has no rule: nothing granted for it",
                                  e->module_name, use->service, type, where) < 0)
                        return -ENOMEM;
                return strv_extend_uniq(&w->out->unknown, msg);
        }
        if (rule->types && !(rule->types & (UINT32_C(1) << e->type)))
                return 0;       /* libpam finds no pam_sm_* function for this type */
        if (!rule->confinable) {
                if (asprintf_safe(&msg, "PAM module %s (%s %s, %s) runs programs the administrator supplies "
                                        "(%s): it cannot be confined, and the sandbox is not opened for it",
                                  e->module_name, use->service, type, where, rule->file_name) < 0)
                        return -ENOMEM;
                return strv_extend_uniq(&w->out->unconfinable, msg);
        }
        pkgs = rule_packages(rule);
        if (!pkgs || asprintf_safe(&base, "PAM service %s → %s %s (%s) → %s (%s, %s)", use->service, type,
                                   e->module_name, where, strempty(rule->contacts), pkgs, rule->file_name) < 0)
                return -ENOMEM;
        {
                const NeedReason tmpl = { .rule = rule, .pam_service = use->service, .pam_type = e->type,
                                          .pam_where = e->chain };

                r = needs_apply_spec(w, use->scope == PAM_SCOPE_IN_PROCESS, &rule->needs, base, &tmpl);
                if (r >= 0 && rule->has_type[e->type])
                        r = needs_apply_spec(w, use->scope == PAM_SCOPE_IN_PROCESS, &rule->needs_type[e->type], base, &tmpl);
        }
        return r;
}

int needs_compute_pam(const Facts *f, const RuleSet *rules, const UnitView *v, const PamUseList *pam, NeedList *out) {
        SpecWalk w = { .facts = f, .rules = rules, .view = v, .out = out, .root = sandbox_user_is_root(&v->sb) };

        for (size_t i = 0; i < pam->n; i++) {
                const PamUse *use = &pam->items[i];
                _cleanup_free_ char *note = NULL;
                int r;

                if (!use->stack || use->stack->aborted) {
                        if (asprintf_safe(&note, "PAM service %s: libpam refuses it (%s), so its modules never run",
                                          use->service, use->stack ? strempty(use->stack->abort_reason) : "invalid name") < 0 ||
                            strv_extend_uniq(&out->notes, note) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (use->scope == PAM_SCOPE_BEFORE_SANDBOX &&
                    (asprintf_safe(&note, "PAM service %s runs before the sandbox (PAMName=): systemd 252's exec_child() "
                                          "calls setup_pam() before the namespace, capability, user, NoNewPrivileges= and "
                                          "seccomp steps, so only IPAddressDeny=/IPAddressAllow= and DeviceAllow= reach "
                                          "its modules", use->service) < 0 ||
                     strv_extend_uniq(&out->notes, note) < 0))
                        return -ENOMEM;
                for (size_t k = 0; k < use->stack->n; k++) {
                        r = walk_entry(&w, use, &use->stack->entries[k]);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

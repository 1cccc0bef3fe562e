/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <limits.h>

#include "macro.h"
#include "names.h"
#include "needs-internal.h"
#include "strv.h"
#include "syscalls.h"

typedef struct PamWalk {
        const Facts *facts;
        const RuleSet *rules;
        const UnitView *view;
        NeedList *out;
        bool root;              /* the PAM-calling process runs as root */
} PamWalk;

/* "NoNewPrivileges=yes (/etc/systemd/system/x.service:5)", or the settings implying it
 * (context_has_no_new_privileges() in systemd 252 src/core/execute.c). */
static char *nnp_origin(const Sandbox *sb) {
        const struct { Setting s; bool on; } implying[] = {
                { SETTING_RESTRICT_ADDRESS_FAMILIES, sandbox_af_restricted(sb) },
                { SETTING_SYSTEM_CALL_FILTER, syscall_filter_active(&sb->syscall_filter) },
                { SETTING_SYSTEM_CALL_ARCHITECTURES, sb->archs != 0 },
                { SETTING_RESTRICT_NAMESPACES, sb->restrict_namespaces != ULONG_MAX },
                { SETTING_PRIVATE_DEVICES, sb->private_devices },
                { SETTING_PROTECT_KERNEL_TUNABLES, sb->protect_kernel_tunables },
                { SETTING_PROTECT_KERNEL_MODULES, sb->protect_kernel_modules },
                { SETTING_PROTECT_KERNEL_LOGS, sb->protect_kernel_logs },
                { SETTING_PROTECT_CLOCK, sb->protect_clock },
                { SETTING_PROTECT_HOSTNAME, sb->protect_hostname },
                { SETTING_LOCK_PERSONALITY, sb->lock_personality },
                { SETTING_MEMORY_DENY_WRITE_EXECUTE, sb->memory_deny_write_execute },
                { SETTING_RESTRICT_REALTIME, sb->restrict_realtime },
                { SETTING_RESTRICT_SUID_SGID, sb->restrict_suid_sgid },
                { SETTING_SYSTEM_CALL_LOG, syscall_filter_active(&sb->syscall_log) },
        };
        const OriginList *o = &sb->origins[SETTING_NO_NEW_PRIVILEGES];
        char *s = NULL;

        if (sb->no_new_privileges && o->n > 0)
                asprintf_safe(&s, "NoNewPrivileges=yes (%s:%u)", o->items[o->n - 1].file, o->items[o->n - 1].line);
        else if (sb->no_new_privileges)
                s = strdup("NoNewPrivileges=yes (implied by DynamicUser=yes)");
        for (size_t i = 0; !s && i < ELEMENTSOF(implying); i++) {
                const OriginList *l = &sb->origins[implying[i].s];

                if (implying[i].on && l->n > 0)
                        asprintf_safe(&s, "the NoNewPrivileges= that %s= (%s:%u) implies for a non-root service",
                                      setting_to_string(implying[i].s), l->items[l->n - 1].file, l->items[l->n - 1].line);
        }
        if (!s)
                s = strdup("the NoNewPrivileges= that systemd implies for a non-root service with seccomp-based settings");
        return s;
}

static int add(PamWalk *w, NeedKind kind, int number, const char *value, const char *base, const char *detail,
               const NeedReason *tmpl) {
        NeedReason nr = *tmpl;

        nr.chain = (char *) base;
        nr.detail = (char *) detail;
        return need_list_add(w->out, &(NeedKey) { .kind = kind, .number = number, .value = value }, &nr);
}

static int add_words(PamWalk *w, NeedKind kind, char **words, const char *base, const NeedReason *tmpl) {
        STRV_FOREACH(x, words) {
                int r = add(w, kind, 0, *x, base, NULL, tmpl);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* A helper program the module runs: under NoNewPrivileges its set-user/group-ID bits do
 * nothing. A setgid helper's group can be given to the service instead
 * (SupplementaryGroups=), which works even when NoNewPrivileges= is implied and keeps every
 * other setting; NoNewPrivileges=no would let every setuid program on the system gain
 * privilege again, and cannot undo an implied NoNewPrivileges. A setuid-root helper has no
 * such substitute: that is reported, not relaxed. */
static int apply_helper(PamWalk *w, const NeedsSpec *spec, const char *base, const NeedReason *tmpl) {
        const Sandbox *sb = &w->view->sb;
        const HelperFile *h;
        _cleanup_free_ char *nnp = NULL, *detail = NULL, *why = NULL;

        if (!spec->helper || (spec->helper_when == HELPER_NOT_ROOT && w->root))
                return 0;
        h = facts_helper(w->facts, spec->helper);
        if (!h || !h->present || !(h->setuid || h->setgid) || !sandbox_nnp_in_effect(sb, w->root))
                return 0;
        nnp = nnp_origin(sb);
        if (!nnp)
                return -ENOMEM;
        if (h->setuid) {
                if (asprintf_safe(&why, "%s → runs %s, setuid %s, which %s keeps from gaining privilege; no narrower "
                                        "setting than NoNewPrivileges=no substitutes for it: not relaxed",
                                  base, h->path, h->owner, nnp) < 0)
                        return -ENOMEM;
                return strv_extend_uniq(&w->out->unmet, why);
        }
        if (strv_contains(sb->supplementary_groups, h->group))
                return 0;
        if (asprintf_safe(&detail, "runs %s, setgid %s, which %s keeps from gaining its group; the service gets the "
                                   "group instead (NoNewPrivileges=no would re-enable every setuid program, and cannot "
                                   "undo an implied NoNewPrivileges)", h->path, h->group, nnp) < 0 ||
            asprintf_safe(&why, "%s → %s", base, detail) < 0)
                return -ENOMEM;
        return add(w, NEED_GROUP, 0, h->group, why, detail, tmpl);
}

static int apply_spec(PamWalk *w, const PamUse *use, const NeedsSpec *spec, const char *base, const NeedReason *tmpl) {
        bool in_process = use->scope == PAM_SCOPE_IN_PROCESS;
        int r;

        /* IPAddressDeny= and the device policy are attached to the cgroup before the fork:
         * they reach a PAMName= stack too. The rest is set up after it. */
        r = needs_add_servers_and_families(w->facts, w->out, spec, in_process, base, tmpl);
        if (r >= 0)
                r = add_words(w, NEED_DEVICE, spec->devices, base, tmpl);
        if (r < 0 || !in_process)
                return r;
        r = add_words(w, NEED_PATH, spec->read_write_paths, base, tmpl);
        if (r >= 0)
                r = add_words(w, NEED_SYSCALL, spec->syscalls, base, tmpl);
        if (r >= 0)
                r = add_words(w, NEED_NAMESPACE, spec->namespaces, base, tmpl);
        if (r >= 0 && spec->home != HOME_NONE)
                r = add(w, NEED_HOME, 0, spec->home == HOME_WRITE ? "write" : "read", base, NULL, tmpl);
        /* Capabilities matter to a root caller; a non-root one has none to lose. */
        for (int c = 0; r >= 0 && w->root && c < 64; c++)
                if (spec->capabilities & (UINT64_C(1) << c))
                        r = add(w, NEED_CAPABILITY, c, NULL, base, NULL, tmpl);
        if (r >= 0)
                r = apply_helper(w, spec, base, tmpl);
        return r;
}

static int walk_entry(PamWalk *w, const PamUse *use, const PamEntry *e) {
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

                r = apply_spec(w, use, &rule->needs, base, &tmpl);
                if (r >= 0 && rule->has_type[e->type])
                        r = apply_spec(w, use, &rule->needs_type[e->type], base, &tmpl);
        }
        return r;
}

int needs_compute_pam(const Facts *f, const RuleSet *rules, const UnitView *v, const PamUseList *pam, NeedList *out) {
        PamWalk w = { .facts = f, .rules = rules, .view = v, .out = out, .root = sandbox_user_is_root(&v->sb) };

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

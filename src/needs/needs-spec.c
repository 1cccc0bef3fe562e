/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A rule's [Needs] section applied to one unit: shared by PAM modules and MTAs. */
#include <limits.h>

#include "macro.h"
#include "names.h"
#include "needs-internal.h"
#include "strv.h"
#include "syscalls.h"

/* The settings that imply NoNewPrivileges for a non-root service
 * (context_has_no_new_privileges() in systemd 252 src/core/execute.c), each as
 * "SystemCallArchitectures= (/lib/systemd/system/x.service:7)". */
static int implying_settings(const Facts *f, const Sandbox *sb, char ***ret) {
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

        *ret = NULL;
        if (sb->dynamic_user && strv_extend(ret, "DynamicUser=yes") < 0)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(implying); i++) {
                const OriginList *l = &sb->origins[implying[i].s];

                if (implying[i].on && l->n > 0 &&
                    strv_extend_uniqf(ret, "%s= (%s:%u)", setting_to_string(implying[i].s),
                                      facts_path_in_root(f, l->items[l->n - 1].file), l->items[l->n - 1].line) < 0)
                        return -ENOMEM;
        }
        return 0;
}

char *needs_nnp_implied_by(const Facts *f, const Sandbox *sb) {
        _cleanup_strv_free_ char **l = NULL;

        if (implying_settings(f, sb, &l) < 0)
                return NULL;
        return l ? strv_join(l, ", ") : strdup("");
}

/* "NoNewPrivileges=yes (/etc/systemd/system/x.service:5)", or the first setting implying it. */
static char *nnp_origin(const Facts *f, const Sandbox *sb) {
        const OriginList *o = &sb->origins[SETTING_NO_NEW_PRIVILEGES];
        _cleanup_strv_free_ char **l = NULL;
        char *s = NULL;

        if (sb->no_new_privileges && o->n > 0) {
                asprintf_safe(&s, "NoNewPrivileges=yes (%s:%u)", facts_path_in_root(f, o->items[o->n - 1].file),
                              o->items[o->n - 1].line);
                return s;
        }
        if (implying_settings(f, sb, &l) < 0)
                return NULL;
        if (!l)
                return strdup("the NoNewPrivileges= that systemd implies for a non-root service with seccomp-based settings");
        if (streq(l[0], "DynamicUser=yes"))
                return strdup("NoNewPrivileges=yes (implied by DynamicUser=yes)");
        asprintf_safe(&s, "the NoNewPrivileges= that %s implies for a non-root service", l[0]);
        return s;
}

static int add(SpecWalk *w, NeedKind kind, int number, const char *value, const char *base, const char *detail,
               const NeedReason *tmpl) {
        NeedReason nr = *tmpl;

        nr.chain = (char *) base;
        nr.detail = (char *) detail;
        return need_list_add(w->out, &(NeedKey) { .kind = kind, .number = number, .value = value }, &nr);
}

static int add_words(SpecWalk *w, NeedKind kind, char **words, const char *base, const NeedReason *tmpl) {
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
static int apply_helper(SpecWalk *w, const NeedsSpec *spec, const char *base, const NeedReason *tmpl) {
        const Sandbox *sb = &w->view->sb;
        const HelperFile *h;
        _cleanup_free_ char *nnp = NULL, *detail = NULL, *why = NULL;

        if (!spec->helper || (spec->helper_when == HELPER_NOT_ROOT && w->root))
                return 0;
        h = facts_helper(w->facts, spec->helper);
        if (!h || !h->present || !(h->setuid || h->setgid) || !sandbox_nnp_in_effect(sb, w->root))
                return 0;
        nnp = nnp_origin(w->facts, sb);
        if (!nnp)
                return -ENOMEM;
        if (h->setuid || spec->helper_checks_group) {
                if (w->nnp_lifted)
                        return 0;       /* the caller plans NoNewPrivileges=no for it */
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

int needs_apply_spec(SpecWalk *w, bool in_process, const NeedsSpec *spec, const char *base, const NeedReason *tmpl) {
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
        /* Capabilities matter to a root caller or a setuid-root helper; a non-root process
         * has none to lose. */
        for (int c = 0; r >= 0 && (w->root || w->helper_root) && c < 64; c++)
                if (spec->capabilities & (UINT64_C(1) << c))
                        r = add(w, NEED_CAPABILITY, c, NULL, base, NULL, tmpl);
        if (r >= 0)
                r = apply_helper(w, spec, base, tmpl);
        return r;
}

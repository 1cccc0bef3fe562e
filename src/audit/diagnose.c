/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <seccomp.h>
#include <signal.h>

#include "diagnose.h"
#include "elf.h"
#include "macro.h"
#include "strv.h"
#include "syscalls.h"

static const char *strna(const char *s) {
        return s ? s : "n/a";
}

typedef enum CauseKind {
        CAUSE_ABI,
        CAUSE_SYSCALL_FILTER,
        CAUSE_FAMILY,
        CAUSE_READ_ONLY,
        CAUSE_IP_FIREWALL,
        CAUSE_NNP,
        CAUSE_CAPABILITIES,
        CAUSE_NAMESPACE,
        CAUSE_NETWORK,
        CAUSE_BPF,
        _CAUSE_MAX,
} CauseKind;

/* What each cause is about: the settings to name (the first one set is blamed), why it
 * fails that way, and the keys of plan lines that relax it. */
static const struct {
        Setting settings[4];
        unsigned n_settings;
        const char *explanation;
        const char *relaxed_by[3];
} causes[_CAUSE_MAX] = {
        [CAUSE_ABI] = { { SETTING_SYSTEM_CALL_ARCHITECTURES }, 1,
                "its seccomp filter kills a process that makes a system call of an ABI it does not list "
                "(a foreign-architecture executable): SIGSYS, no message", { "SystemCallArchitectures" } },
        [CAUSE_SYSCALL_FILTER] = { { SETTING_SYSTEM_CALL_FILTER, SETTING_SYSTEM_CALL_ARCHITECTURES }, 2,
                "its seccomp filter kills a process that makes a system call it does not allow: SIGSYS",
                { "SystemCallFilter", "SystemCallArchitectures" } },
        [CAUSE_FAMILY] = { { SETTING_RESTRICT_ADDRESS_FAMILIES }, 1,
                "socket() of a family it does not list fails with EAFNOSUPPORT", { "RestrictAddressFamilies" } },
        [CAUSE_READ_ONLY] = { { SETTING_PROTECT_SYSTEM, SETTING_READ_ONLY_PATHS, SETTING_DYNAMIC_USER }, 3,
                "the file system is mounted read-only for the unit: writes fail with EROFS", { "ReadWritePaths" } },
        [CAUSE_IP_FIREWALL] = { { SETTING_IP_ADDRESS_DENY }, 1,
                "the cgroup's BPF firewall drops packets to addresses it does not allow: connections time out or "
                "fail with EPERM", { "IPAddressAllow" } },
        [CAUSE_NNP] = { { SETTING_NO_NEW_PRIVILEGES, SETTING_SYSTEM_CALL_ARCHITECTURES, SETTING_RESTRICT_ADDRESS_FAMILIES,
                          SETTING_SYSTEM_CALL_FILTER }, 4,
                "NoNewPrivileges (set, or implied by seccomp-based settings for a non-root service) keeps a set-ID "
                "helper from gaining its user or group", { "SupplementaryGroups", "NoNewPrivileges", "BindReadOnlyPaths" } },
        [CAUSE_CAPABILITIES] = { { SETTING_CAPABILITY_BOUNDING_SET, SETTING_AMBIENT_CAPABILITIES }, 2,
                "systemd could not set up the capabilities: the unit did not start (218/CAPABILITIES)",
                { "CapabilityBoundingSet" } },
        [CAUSE_NAMESPACE] = { { SETTING_READ_WRITE_PATHS, SETTING_READ_ONLY_PATHS, SETTING_INACCESSIBLE_PATHS,
                                SETTING_BIND_READ_ONLY_PATHS }, 4,
                "systemd could not set up the mount namespace, usually a path of these settings that does not "
                "exist and has no \"-\" prefix: the unit did not start (226/NAMESPACE)", { "ReadWritePaths" } },
        [CAUSE_NETWORK] = { { SETTING_PRIVATE_NETWORK }, 1,
                "systemd could not set up the private network namespace (225/NETWORK)", { NULL } },
        [CAUSE_BPF] = { { SETTING_IP_ADDRESS_DENY, SETTING_DEVICE_ALLOW }, 2,
                "systemd could not attach its BPF programs (244/BPF)", { NULL } },
};

/* Lines of the unit's own output that show a refusal, and what they point at. */
static const struct {
        const char *a, *b;      /* both substrings in one line (b NULL: a alone) */
        CauseKind kind;
} line_patterns[] = {
        { "Address family not supported by protocol", NULL, CAUSE_FAMILY },
        { "Read-only file system", NULL, CAUSE_READ_ONLY },
        { "mail_queue_enter: create file maildrop/", "Permission denied", CAUSE_NNP },       /* postdrop */
        { "Failed to create spool file", "Permission denied", CAUSE_NNP },                   /* exim4 */
        { "nullmailer-queue failed", NULL, CAUSE_NNP },
        { "unix_chkpwd", NULL, CAUSE_NNP },
        { "Connection timed out", NULL, CAUSE_IP_FIREWALL },
        { "connect", "Operation not permitted", CAUSE_IP_FIREWALL },
};

const char *exit_status_name(int status) {
        static const char *const systemd[] = {
                "CHDIR", "NICE", "FDS", "EXEC", "MEMORY", "LIMITS", "OOM_ADJUST", "SIGNAL_MASK", "STDIN", "STDOUT",
                "CHROOT", "IOPRIO", "TIMERSLACK", "SECUREBITS", "SETSCHEDULER", "CPUAFFINITY", "GROUP", "USER",
                "CAPABILITIES", "CGROUP", "SETSID", "CONFIRM", "STDERR", NULL, "PAM", "NETWORK", "NAMESPACE",
                "NO_NEW_PRIVILEGES", "SECCOMP", "SELINUX_CONTEXT", "PERSONALITY", "APPARMOR", "ADDRESS_FAMILIES",
                "RUNTIME_DIRECTORY", NULL, "CHOWN", "SMACK_PROCESS_LABEL", "KEYRING", "STATE_DIRECTORY",
                "CACHE_DIRECTORY", "LOGS_DIRECTORY", "CONFIGURATION_DIRECTORY", "NUMA_POLICY", "CREDENTIALS", "BPF",
        };
        static const char *const low[] = { "SUCCESS", "FAILURE", "INVALIDARGUMENT", "NOTIMPLEMENTED",
                                            "NOPERMISSION", "NOTINSTALLED", "NOTCONFIGURED", "NOTRUNNING" };

        if (status >= 0 && status < (int) ELEMENTSOF(low))
                return low[status];
        if (status >= 200 && status < 200 + (int) ELEMENTSOF(systemd))
                return systemd[status - 200];
        return status == 255 ? "EXCEPTION" : NULL;
}

/* systemd's exit statuses of its own set-up steps that a sandbox setting causes. */
static int exit_status_cause(int status) {
        switch (status) {
        case 218: return CAUSE_CAPABILITIES;
        case 225: return CAUSE_NETWORK;
        case 226: return CAUSE_NAMESPACE;
        case 227: return CAUSE_NNP;
        case 228: return CAUSE_SYSCALL_FILTER;
        case 232: return CAUSE_FAMILY;
        case 244: return CAUSE_BPF;
        default: return -1;
        }
}

static bool setting_set(const UnitView *v, Setting s) {
        const Sandbox *sb = &v->sb;

        switch (s) {
        case SETTING_SYSTEM_CALL_ARCHITECTURES: return sb->archs != 0;
        case SETTING_SYSTEM_CALL_FILTER: return syscall_filter_active(&sb->syscall_filter);
        case SETTING_RESTRICT_ADDRESS_FAMILIES: return sandbox_af_restricted(sb);
        case SETTING_PROTECT_SYSTEM: return sb->protect_system != PROTECT_SYSTEM_NO;
        case SETTING_READ_ONLY_PATHS: return sb->read_only_paths != NULL;
        case SETTING_DYNAMIC_USER: return sb->dynamic_user;
        case SETTING_IP_ADDRESS_DENY: return v->ip_deny.n > 0;
        case SETTING_NO_NEW_PRIVILEGES: return sb->no_new_privileges;
        case SETTING_CAPABILITY_BOUNDING_SET: return sb->origins[s].n > 0;
        case SETTING_PRIVATE_NETWORK: return sb->private_network;
        default: return sb->origins[s].n > 0;
        }
}

static const char *in_root(const DiagnoseInput *in, const char *host_path) {
        const char *rest = in->root && !streq(in->root, "/") ? startswith(host_path, in->root) : NULL;

        return rest && rest[0] == '/' ? rest : host_path;
}

/* "SystemCallArchitectures=native (/etc/systemd/system/x.service:5)" for the first setting
 * of the cause the unit has; NULL when it has none. NoNewPrivileges= implied by another
 * setting is named as such. */
static char *culprit(const DiagnoseInput *in, CauseKind k) {
        const UnitView *v = in->view;
        char *s = NULL;

        if (k == CAUSE_NNP && !sandbox_nnp_in_effect(&v->sb, sandbox_user_is_root(&v->sb)))
                return NULL;
        for (unsigned i = 0; i < causes[k].n_settings; i++) {
                Setting st = causes[k].settings[i];
                const OriginList *o = &v->sb.origins[st];

                if (!setting_set(v, st))
                        continue;
                if (o->n == 0) {
                        asprintf_safe(&s, "%s= (%s)", setting_to_string(st),
                                      st == SETTING_IP_ADDRESS_DENY ? "from a slice" : "implied");
                        return s;
                }
                asprintf_safe(&s, "%s%s=%s (%s:%u)", k == CAUSE_NNP && st != SETTING_NO_NEW_PRIVILEGES ?
                              "NoNewPrivileges implied by " : "", setting_to_string(st), o->items[o->n - 1].value,
                              in_root(in, o->items[o->n - 1].file), o->items[o->n - 1].line);
                return s;
        }
        return NULL;
}

/* What hardening-compat does about it: its drop-in's line, or the one regenerate writes, or
 * why it writes none. */
static char *remedy(const DiagnoseInput *in, CauseKind k) {
        const Plan *p = in->plan;
        _cleanup_strv_free_ char **lines = NULL;
        _cleanup_free_ char *joined = NULL;
        char *s = NULL;

        for (size_t i = 0; p && p->text && i < p->n; i++)
                for (unsigned r = 0; r < ELEMENTSOF(causes[k].relaxed_by) && causes[k].relaxed_by[r]; r++)
                        if (streq(p->lines[i].key, causes[k].relaxed_by[r]) &&
                            strv_extend_uniqf(&lines, "%s=%s", p->lines[i].key, p->lines[i].value) < 0)
                                return NULL;
        if (lines) {
                joined = strv_join(lines, ", ");
                if (!joined)
                        return NULL;
                if (in->current_dropin && streq(in->current_dropin, p->text))
                        asprintf_safe(&s, "hardening-compat's drop-in %s already relaxes it (%s); if the unit failed after "
                                          "that drop-in was written, restart it after \"systemctl daemon-reload\"",
                                      p->path, joined);
                else
                        asprintf_safe(&s, "\"hardening-compat regenerate\" would relax it: %s in %s", joined, p->path);
                return s;
        }
        if (p && p->unmet) {
                joined = strv_join(p->unmet, "; ");
                if (joined)
                        asprintf_safe(&s, "hardening-compat does not relax it: %s", joined);
                return s;
        }
        return strdup("hardening-compat knows of nothing on this host that needs it relaxed (no rule, no module, "
                      "no foreign executable): if the program needs it, relax it in your own drop-in");
}

static int add_cause(const DiagnoseInput *in, Diagnosis *d, CauseKind k, const char *evidence) {
        _cleanup_free_ char *who = culprit(in, k);

        if (!who)
                return 0;       /* the unit does not have the setting: not the cause */
        for (size_t i = 0; i < d->n; i++)
                if (streq(d->causes[i].setting, who))
                        return 0;
        if (GROW(d->causes, d->cap, d->n + 1) < 0)
                return -ENOMEM;
        d->causes[d->n] = (Cause) {
                .setting = TAKE_PTR(who),
                .evidence = strdup(evidence),
                .explanation = strdup(causes[k].explanation),
                .remedy = remedy(in, k),
        };
        if (!d->causes[d->n].evidence || !d->causes[d->n].explanation || !d->causes[d->n].remedy) {
                d->n++;
                return -ENOMEM;
        }
        d->n++;
        return 1;
}

/* A failure without a message of its own (NSS answers "not found" when its module cannot
 * reach its daemon: getent exits 2, a daemon says "unknown user") on a unit whose sandbox
 * refuses what hardening-compat found the host needs, with the drop-in that relaxes it not
 * in effect: each planned line names a likely cause, its reason as the evidence. */
static int pending_causes(const DiagnoseInput *in, Diagnosis *d) {
        static const struct { const char *key; CauseKind kind; } keys[] = {
                { "RestrictAddressFamilies", CAUSE_FAMILY }, { "IPAddressAllow", CAUSE_IP_FIREWALL },
                { "SystemCallArchitectures", CAUSE_ABI }, { "SupplementaryGroups", CAUSE_NNP },
                { "NoNewPrivileges", CAUSE_NNP }, { "BindReadOnlyPaths", CAUSE_NNP }, { "ReadWritePaths", CAUSE_READ_ONLY },
                { "CapabilityBoundingSet", CAUSE_CAPABILITIES }, { "SystemCallFilter", CAUSE_SYSCALL_FILTER },
        };
        const Plan *p = in->plan;

        if (!p || !p->text || streq_ptr(in->current_dropin, p->text))
                return 0;
        for (size_t i = 0; i < p->n; i++)
                for (size_t k = 0; k < ELEMENTSOF(keys); k++) {
                        _cleanup_free_ char *ev = NULL;
                        int r;

                        if (!streq(p->lines[i].key, keys[k].key))
                                continue;
                        if (asprintf_safe(&ev, "no message of its own; hardening-compat finds the unit needs %s=%s, "
                                               "which is not in effect: %s", p->lines[i].key, p->lines[i].value,
                                          p->lines[i].comments ? p->lines[i].comments[0] + 2 : "see explain") < 0)
                                return -ENOMEM;
                        r = add_cause(in, d, keys[k].kind, ev);
                        if (r < 0)
                                return r;
                        if (r > 0)
                                d->causes[d->n - 1].likely = true;
                }
        return 0;
}

/* systemd's name of the ABI of an audit record: AUDIT_ARCH_* is the ELF machine with a 64-bit
 * and a little-endian flag (linux/audit.h); x32 calls are x86-64's with bit 30 set. */
static const char *audit_abi(uint32_t arch, int syscall) {
        bool is_64 = arch & 0x80000000U, little = arch & 0x40000000U;
        const char *abi = elf_abi_name(is_64, !little, (uint16_t) (arch & 0xffff), 0);

        if (abi && streq(abi, "x86-64") && (syscall & 0x40000000))
                return "x32";
        return abi;
}

/* Whether path is one of the unit's executables (an audit record of another process is not
 * this unit's). */
static bool runs_file(const DiagnoseInput *in, const char *path) {
        for (size_t i = 0; path && in->exec && i < in->exec->n; i++)
                if (streq_ptr(in->exec->items[i].file, path) || streq_ptr(in->exec->items[i].elf, path) ||
                    streq_ptr(in->exec->items[i].command, path))
                        return true;
        return false;
}

/* An executable whose ABI the unit's SystemCallArchitectures= refuses. */
static const ExecAbi *refused_abi(const DiagnoseInput *in) {
        for (size_t i = 0; in->exec && i < in->exec->n; i++)
                if (in->exec->items[i].abi && !sandbox_abi_allowed(&in->view->sb, in->exec->items[i].abi))
                        return &in->exec->items[i];
        return NULL;
}

int diagnose(const DiagnoseInput *in, Diagnosis *ret) {
        const UnitFailure *f = in->failure;
        _cleanup_free_ char *status = NULL;
        const char *name;
        int r = 0;

        *ret = (Diagnosis) {};
        name = f->exit_code && !streq(f->exit_code, "exited") ? (f->exit_status > 0 && f->exit_status < NSIG ?
                                                                  sigabbrev_np(f->exit_status) : NULL) :
                                                                exit_status_name(f->exit_status);
        if (f->exit_status >= 0)
                asprintf_safe(&status, ", code=%s, status=%d/%s%s%s", strna(f->exit_code), f->exit_status,
                              strna(name), f->command ? " of " : "", strempty(f->command));
        if (asprintf_safe(&ret->summary, "result=%s%s", strna(f->result), strempty(status)) < 0)
                return -ENOMEM;

        /* SIGSYS: seccomp; the kernel's audit record, when there is one, says which call */
        if (f->exit_code && !streq(f->exit_code, "exited") && f->exit_status == SIGSYS) {
                const ExecAbi *a = refused_abi(in);
                _cleanup_free_ char *ev = NULL, *call = NULL;
                const char *abi = f->seccomp_syscall >= 0 && runs_file(in, f->seccomp_exe) ?
                                  audit_abi(f->seccomp_arch, f->seccomp_syscall) : NULL;

                if (abi) {
                        call = seccomp_syscall_resolve_num_arch(f->seccomp_arch, f->seccomp_syscall);
                        if (asprintf_safe(&ev, "status=%d/SYS; the kernel's audit record: seccomp killed %s at "
                                               "system call %s (%d) of the %s ABI", SIGSYS, f->seccomp_exe,
                                          strna(call), f->seccomp_syscall, abi) < 0)
                                return -ENOMEM;
                        r = add_cause(in, ret, sandbox_abi_allowed(&in->view->sb, abi) ? CAUSE_SYSCALL_FILTER : CAUSE_ABI,
                                      ev);
                } else {
                        if (a && asprintf_safe(&ev, "status=%d/SYS; %s (%s) is %s (%s)", SIGSYS, a->command,
                                               strna(a->origin), a->abi, strna(a->description)) < 0)
                                return -ENOMEM;
                        r = a ? add_cause(in, ret, CAUSE_ABI, ev) : add_cause(in, ret, CAUSE_SYSCALL_FILTER, "status=31/SYS");
                }
        }
        if (r >= 0 && f->exit_code && streq(f->exit_code, "exited")) {
                int k = exit_status_cause(f->exit_status);
                _cleanup_free_ char *ev = NULL;

                if (k >= 0 && (asprintf_safe(&ev, "status=%d/%s", f->exit_status, strna(name)) < 0 ||
                               (r = add_cause(in, ret, (CauseKind) k, ev)) < 0))
                        return -ENOMEM;
        }
        STRV_FOREACH(l, f->lines)
                for (size_t i = 0; r >= 0 && i < ELEMENTSOF(line_patterns); i++)
                        if (strstr(*l, line_patterns[i].a) && (!line_patterns[i].b || strstr(*l, line_patterns[i].b)))
                                r = add_cause(in, ret, line_patterns[i].kind, *l);
        /* postdrop retries without end: a timeout is all the unit shows */
        if (r >= 0 && f->timed_out && in->mail && streq_ptr(in->mta_rule, "postfix"))
                r = add_cause(in, ret, CAUSE_NNP, "start operation timed out while sending mail through postfix "
                                                  "(postdrop retries every 10 s when it cannot write the queue)");
        if (r >= 0 && ret->n == 0)
                r = pending_causes(in, ret);
        return r < 0 ? r : 0;
}

void diagnosis_done(Diagnosis *d) {
        for (size_t i = 0; i < d->n; i++) {
                free(d->causes[i].setting);
                free(d->causes[i].evidence);
                free(d->causes[i].explanation);
                free(d->causes[i].remedy);
        }
        free(d->causes);
        free(d->summary);
        *d = (Diagnosis) {};
}

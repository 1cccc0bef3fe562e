/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Stage 2: the effective sandbox of one unit.
 *
 * Input: a Unit (unit.h: the fragment and the drop-ins systemd would apply, in order).
 * Output: a Sandbox holding the merged value of every setting hardening-compat reasons
 * about, computed with systemd 252's own merge rules (src/core/load-fragment.c), plus,
 * for every setting, the assignments that touched it (file, line, value) for `explain`.
 * After the files, systemd's unit_patch_contexts() is applied (DynamicUser= implies
 * NoNewPrivileges=, ProtectSystem=strict, …; PrivateDevices= etc. drop capabilities).
 *
 * Memory: sandbox_done() frees everything; origins point into the Unit's files, so a
 * Sandbox must not outlive its Unit. Touches no file. Diagnostics go to the DiagList.
 */

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "ip-prefix.h"
#include "specifier.h"
#include "syscalls.h"

typedef enum Setting {
        SETTING_RESTRICT_ADDRESS_FAMILIES,
        SETTING_IP_ADDRESS_ALLOW,
        SETTING_IP_ADDRESS_DENY,
        SETTING_PRIVATE_NETWORK,
        SETTING_USER,
        SETTING_DYNAMIC_USER,
        SETTING_NO_NEW_PRIVILEGES,
        SETTING_SYSTEM_CALL_ARCHITECTURES,
        SETTING_CAPABILITY_BOUNDING_SET,
        SETTING_AMBIENT_CAPABILITIES,
        SETTING_PROTECT_SYSTEM,
        SETTING_PROTECT_HOME,
        SETTING_READ_WRITE_PATHS,
        SETTING_SUPPLEMENTARY_GROUPS,
        SETTING_PRIVATE_TMP,
        SETTING_PRIVATE_USERS,
        SETTING_PAM_NAME,
        SETTING_SLICE,
        SETTING_EXEC,
        /* settings that make NoNewPrivileges= implied for an unprivileged service */
        SETTING_LOCK_PERSONALITY,
        SETTING_MEMORY_DENY_WRITE_EXECUTE,
        SETTING_PRIVATE_DEVICES,
        SETTING_PROTECT_CLOCK,
        SETTING_PROTECT_HOSTNAME,
        SETTING_PROTECT_KERNEL_TUNABLES,
        SETTING_PROTECT_KERNEL_MODULES,
        SETTING_PROTECT_KERNEL_LOGS,
        SETTING_RESTRICT_NAMESPACES,
        SETTING_RESTRICT_REALTIME,
        SETTING_RESTRICT_SUID_SGID,
        SETTING_SYSTEM_CALL_FILTER,
        SETTING_SYSTEM_CALL_LOG,
        _SETTING_MAX,
} Setting;

typedef enum ProtectSystem {
        PROTECT_SYSTEM_NO,
        PROTECT_SYSTEM_YES,
        PROTECT_SYSTEM_FULL,
        PROTECT_SYSTEM_STRICT,
} ProtectSystem;

typedef enum ProtectHome {
        PROTECT_HOME_NO,
        PROTECT_HOME_YES,
        PROTECT_HOME_READ_ONLY,
        PROTECT_HOME_TMPFS,
} ProtectHome;

/* The command-line prefixes of Exec*= lines. */
typedef enum ExecFlags {
        EXEC_IGNORE_FAILURE     = 1 << 0,       /* "-" */
        EXEC_SEPARATE_ARGV0     = 1 << 1,       /* "@" */
        EXEC_NO_ENV_EXPAND      = 1 << 2,       /* ":" */
        EXEC_FULLY_PRIVILEGED   = 1 << 3,       /* "+": no sandbox at all */
        EXEC_NO_SETUID          = 1 << 4,       /* "!": sandbox, but no user change */
        EXEC_AMBIENT_MAGIC      = 1 << 5,       /* "!!" */
} ExecFlags;

typedef struct ExecCommand {
        char *key;              /* "ExecStart", "ExecStartPre", … */
        ExecFlags flags;
        char *path;
        char **argv;
        const char *file;       /* origin, for messages */
        unsigned line;
} ExecCommand;

/* One assignment that changed a setting, for provenance. */
typedef struct Origin {
        const char *file;       /* host path of the unit file or drop-in */
        unsigned line;
        const char *key;
        const char *value;
} Origin;

typedef struct OriginList {
        Origin *items;
        size_t n, cap;
} OriginList;

typedef struct Sandbox {
        /* RestrictAddressFamilies=: allow_list with af_set_exists=false is "none". */
        bool af_set_exists;
        bool af_allow_list;
        uint64_t af_set;

        IPPrefixSet ip_allow, ip_deny;          /* this unit's own lists */
        bool private_network;
        char *user;
        bool dynamic_user;
        bool no_new_privileges;                 /* explicit (or DynamicUser=) */
        uint32_t archs;                         /* bit i = seccomp_arch_to_name(i) */
        uint64_t capability_bounding_set;
        uint64_t ambient_capabilities;
        ProtectSystem protect_system;
        ProtectHome protect_home;
        char **read_write_paths;
        char **supplementary_groups;
        bool private_tmp;
        bool private_users;
        char *pam_name;
        char *slice;                            /* Slice=, NULL for the default */

        ExecCommand *exec;
        size_t n_exec, exec_cap;

        bool lock_personality, memory_deny_write_execute, private_devices, protect_clock,
             protect_hostname, protect_kernel_tunables, protect_kernel_modules,
             protect_kernel_logs, restrict_realtime, restrict_suid_sgid;
        unsigned long restrict_namespaces;      /* ULONG_MAX: never set */
        SyscallFilter syscall_filter;
        SyscallFilter syscall_log;

        OriginList origins[_SETTING_MAX];
} Sandbox;

void sandbox_init(Sandbox *s);
void sandbox_done(Sandbox *s);

/* Apply one assignment (section, key, value). Returns 0, -ENOEXEC when systemd would
 * stop reading the file there (a fatal value), or -ENOMEM. Keys we do not model are
 * ignored. ctx expands specifiers; file/line name the origin for diagnostics. */
typedef struct AssignContext {
        const SpecifierContext *spec;
        const char *file;       /* host path, also recorded in origins */
        unsigned line;
        DiagList *diags;        /* NULL in simulations */
} AssignContext;

int sandbox_assign(Sandbox *s, const AssignContext *ctx, const char *section, const char *key,
                   const char *value);

/* unit_patch_contexts(): the implications systemd applies after loading. */
void sandbox_patch(Sandbox *s);

/* Queries, as systemd evaluates them at exec time. */
bool sandbox_af_restricted(const Sandbox *s);           /* any RestrictAddressFamilies= */
bool sandbox_af_allowed(const Sandbox *s, int af);
/* NoNewPrivileges in effect for the main process (context_has_no_new_privileges()):
 * explicit, or implied by a seccomp-based setting when the process is not root. */
bool sandbox_nnp_in_effect(const Sandbox *s, bool runs_as_root);
bool sandbox_nnp_implied_by_other_settings(const Sandbox *s);
bool sandbox_user_is_root(const Sandbox *s);

const char *setting_to_string(Setting s);
const char *protect_system_to_string(ProtectSystem p);

/* systemctl show's rendering of a setting's value, so our view and systemd's can be
 * compared word for word. Newly allocated; NULL on allocation failure. */
char *sandbox_format(const Sandbox *s, Setting setting);

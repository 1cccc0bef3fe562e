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
 * NoNewPrivileges=, ProtectSystem=strict, …; PrivateDevices= etc. drop capabilities and
 * PrivateDevices= closes the device policy). The exec-time queries below answer what a
 * process of the service can then reach.
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
        SETTING_READ_ONLY_PATHS,
        SETTING_INACCESSIBLE_PATHS,
        SETTING_DEVICE_POLICY,
        SETTING_DEVICE_ALLOW,
        SETTING_SUPPLEMENTARY_GROUPS,
        SETTING_PRIVATE_TMP,
        SETTING_PRIVATE_USERS,
        SETTING_PAM_NAME,
        SETTING_SLICE,
        SETTING_BIND_PATHS,
        SETTING_BIND_READ_ONLY_PATHS,
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

/* DevicePolicy= (cgroup.c's CGroupDevicePolicy). */
typedef enum DevicePolicy {
        DEVICE_POLICY_AUTO,
        DEVICE_POLICY_CLOSED,
        DEVICE_POLICY_STRICT,
} DevicePolicy;

/* Access bits of a DeviceAllow= entry and of a device query. */
typedef enum DeviceAccess {
        DEVICE_ACCESS_READ  = 1 << 0,   /* "r" */
        DEVICE_ACCESS_WRITE = 1 << 1,   /* "w" */
        DEVICE_ACCESS_MKNOD = 1 << 2,   /* "m" */
        DEVICE_ACCESS_ALL   = DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE | DEVICE_ACCESS_MKNOD,
} DeviceAccess;

/* One DeviceAllow= entry: a normalised device node path ("/dev/…") or a driver class
 * ("char-NAME", "block-NAME"; NAME may be a glob or a major number). */
typedef struct DeviceAllowEntry {
        char *node;
        DeviceAccess access;
} DeviceAllowEntry;

/* One BindPaths=/BindReadOnlyPaths= entry (namespace.h's BindMount). Both settings fill
 * one list, in configuration order, and an empty assignment of either empties it. */
typedef struct BindMount {
        char *source, *destination;
        bool read_only;
        bool recursive;         /* "rbind" (the default) rather than "norbind" */
        bool ignore_enoent;     /* "-" before the source */
} BindMount;

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
        /* ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=: as configured, each entry
         * with its "-" (ignore if missing) and "+" (prefix RootDirectory=) markers. */
        char **read_write_paths;
        char **read_only_paths;
        char **inaccessible_paths;
        DevicePolicy device_policy;             /* after sandbox_patch(): PrivateDevices= → closed */
        DeviceAllowEntry *device_allow;         /* in configuration order (systemd lists them */
        size_t n_device_allow, device_allow_cap;/* newest first, and so does systemctl show) */
        char **supplementary_groups;
        bool private_tmp;
        bool private_users;
        char *pam_name;
        char *slice;                            /* Slice=, NULL for the default */
        BindMount *binds;
        size_t n_binds, binds_cap;

        ExecCommand *exec;
        size_t n_exec, exec_cap;

        bool lock_personality, memory_deny_write_execute, private_devices, protect_clock,
             protect_hostname, protect_kernel_tunables, protect_kernel_modules,
             protect_kernel_logs, restrict_realtime, restrict_suid_sgid;
        /* RestrictNamespaces=: the CLONE_NEW* flags a process may still use; ULONG_MAX when
         * never set (systemd's NAMESPACE_FLAGS_INITIAL). May hold CLONE_NEWTIME, which
         * systemd parses but leaves out of its "all namespaces" set. */
        unsigned long restrict_namespaces;
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

/* unit_patch_contexts(): the implications systemd applies after loading (capabilities
 * dropped by Protect*=, DynamicUser='s strict sandbox, PrivateDevices= → DevicePolicy=closed,
 * ProtectClock= → DeviceAllow=char-rtc r once a device policy is in force). */
int sandbox_patch(Sandbox *s);        /* 0 or -ENOMEM */

/* Queries, as systemd evaluates them at exec time. */
bool sandbox_af_restricted(const Sandbox *s);           /* any RestrictAddressFamilies= */
bool sandbox_af_allowed(const Sandbox *s, int af);
/* Whether SystemCallArchitectures= lets a process use a non-native ABI ("x86"): the set
 * is empty (no filter) or names it. The native ABI is never blocked, so do not ask for it. */
bool sandbox_abi_allowed(const Sandbox *s, const char *abi);
/* NoNewPrivileges in effect for the main process (context_has_no_new_privileges()):
 * explicit, or implied by a seccomp-based setting when the process is not root. */
bool sandbox_nnp_in_effect(const Sandbox *s, bool runs_as_root);
bool sandbox_nnp_implied_by_other_settings(const Sandbox *s);
bool sandbox_user_is_root(const Sandbox *s);

/*
 * File system view (sandbox-paths.c): the mount table systemd 252's setup_namespace()
 * builds from ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=, PrivateTmp=,
 * PrivateDevices=, ProtectSystem= (Debian 12 is built with split-usr: /bin, /sbin, /lib,
 * /lib64 are covered too), ProtectHome=, ProtectKernelTunables=/Modules=/Logs= and
 * ProtectHostname=, ordered and pruned as namespace.c does it: for one path the deepest
 * mount wins; for equal paths the more restrictive mode wins (inaccessible, then the
 * private /tmp and /dev, then read-only, then read-write: ProtectSystem=full with
 * ReadWritePaths=/etc leaves /etc read-only) and read-only sticks; nothing below an
 * inaccessible path is mounted. Without any of these settings there is no mount namespace
 * and everything is writable. ProtectSystem=strict leaves /dev, /proc, /sys, /home, /root,
 * /run/user writable, but not /run or /tmp (PrivateTmp= gives a private, writable /tmp and
 * /var/tmp); ProtectKernelTunables= brings MountAPIVFS='s /run mount, which keeps /run
 * writable even then. PrivateDevices='s /dev is read-only but for its pseudo devices and
 * the bind-mounted /dev/shm, /dev/pts, /dev/mqueue, /dev/hugepages. (All of these were
 * observed on systemd 252 in the test bed.)
 *
 * path is absolute; it is normalised lexically ("//", "/./", "..", a trailing "/"), and
 * neither it nor the configured paths are resolved through symlinks (systemd follows
 * them at exec time: pass canonical paths, e.g. /run/x rather than /var/run/x). Relative
 * paths get false.
 *
 * Not modelled, so not part of the answer: file permissions, ownership, ACLs and
 * read-only file systems of the host; the "-" prefix (a missing path is simply not
 * mounted, and without "-" the service fails to start); RootDirectory=/RootImage= (so
 * "+" changes nothing); BindPaths=, BindReadOnlyPaths=, TemporaryFileSystem=,
 * StateDirectory= and the other *Directory= settings (all of which make paths
 * writable or replace them); ProtectControlGroups=, ProtectProc=, ProcSubset=,
 * MountAPIVFS=, PrivateIPC=, PrivateMounts=, LogNamespace=, ExecPaths=/NoExecPaths=;
 * ExecStart=+… commands (no sandbox at all); the slices' settings.
 */
/* Can the service's processes write path? Under ProtectHome=tmpfs, /home, /root and
 * /run/user are empty tmpfs mounts (writable: 252 drops the read-only flag of its table),
 * not the real directories: false. */
bool sandbox_path_writable(const Sandbox *s, const char *path);
/* Does ProtectHome= (yes or tmpfs) make path inaccessible or replace it by an empty
 * tmpfs? Then ReadWritePaths= cannot give it back (namespace.c drops mounts below an
 * inaccessible path, and under the tmpfs the path does not exist). */
bool sandbox_path_hidden_by_home(const Sandbox *s, const char *path);

/*
 * Device access (sandbox-paths.c too), as systemd 252 enforces it with the cgroup BPF device
 * program (cgroup.c, bpf-devices.c) and PrivateDevices='s private /dev (namespace.c):
 * DevicePolicy=auto without DeviceAllow= allows everything; closed (and auto with a list)
 * allows the pseudo devices /dev/null, zero, full, random, urandom, tty, ptmx, the pts
 * devices ("char-pts" rw) and the list; strict only the list. One entry must grant every
 * requested access ("rw" needs an entry with both). Under PrivateDevices=yes only the
 * pseudo devices and /dev/pts exist in /dev, whatever the list says.
 *
 * node is a path ("/dev/hidraw0") or a class ("char-hidraw", "block-loop"); perms a
 * subset of "rwm" (NULL or "" means "rwm", as in DeviceAllow=); anything else gets false.
 * A class query is true when the class as a whole is granted (a "char-NAME" entry whose
 * NAME glob matches, "char-*"). A path query matches entries for the same path; a class
 * entry cannot be matched to a path without stat(2) and /proc/devices, so
 * ("/dev/hidraw0") is not known to be allowed by "char-hidraw": false (ask for the class).
 * Device paths are not resolved through symlinks, /dev/char/MAJ:MIN entries are only
 * matched by that path. An inaccessible path (InaccessiblePaths=, ProtectKernelLogs=) is
 * not allowed. Slices' DeviceAllow= is not considered.
 */
bool sandbox_device_allowed(const Sandbox *s, const char *node, const char *perms);

/* RestrictNamespaces= (seccomp_restrict_namespaces()): may the service create or join a
 * namespace of this type ("cgroup", "ipc", "net", "mnt", "pid", "user", "uts", "time")?
 * Once anything is restricted, "time" is blocked unless listed. Unknown types: false.
 * Not considered: SystemCallFilter= blocking unshare()/clone()/setns() (see
 * syscall_filter_allows_group()), and the capabilities creating a namespace needs. */
bool sandbox_namespace_allowed(const Sandbox *s, const char *type);

const char *setting_to_string(Setting s);
const char *protect_system_to_string(ProtectSystem p);
const char *protect_home_to_string(ProtectHome p);
const char *device_policy_to_string(DevicePolicy p);

/* systemctl show's rendering of a setting's value, so our view and systemd's can be
 * compared word for word. Newly allocated; NULL on allocation failure. */
char *sandbox_format(const Sandbox *s, Setting setting);

/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * What a service's file system and /dev look like, as systemd 252 sets them up at exec
 * time: the mount table of setup_namespace() (src/core/namespace.c) and the cgroup BPF
 * device program (src/core/cgroup.c, bpf-devices.c).
 *
 * namespace.c collects one entry per configured or implied path, sorts them (parents
 * first; for equal paths by mode, the order of MountMode below), drops duplicates (the
 * first one stays, and stays read-only if any duplicate was), drops everything below an
 * inaccessible path, and drops read-only/read-write entries whose nearest parent entry has
 * the same mode. Then it mounts in that order and flips read-only recursively, skipping
 * the other entries' subtrees. So for one path the deepest surviving entry on its chain of
 * parents decides. We evaluate that chain only: for each parent of the path, from "/" down,
 * merge the entries at exactly that path.
 */

#include <fnmatch.h>

#include "macro.h"
#include "rootfs.h"
#include "sandbox.h"
#include "strv.h"

/* namespace.c's MountMode, in its order: for equal paths the lower one wins. */
typedef enum MountMode {
        MOUNT_INACCESSIBLE,
        MOUNT_PRIVATE_TMP,
        MOUNT_PRIVATE_DEV,
        MOUNT_BIND_DEV,
        MOUNT_SYSFS,
        MOUNT_PROCFS,
        MOUNT_READONLY,
        MOUNT_READWRITE,
        MOUNT_TMPFS,
        MOUNT_RUN,
        MOUNT_READWRITE_IMPLICIT,
        _MOUNT_NONE,
} MountMode;

typedef struct StaticMount {
        const char *path;
        MountMode mode;
} StaticMount;

/* ProtectSystem=; Debian 12's systemd is built with split-usr (and split-bin). */
static const StaticMount protect_system_yes[] = {
        { "/usr", MOUNT_READONLY }, { "/boot", MOUNT_READONLY }, { "/efi", MOUNT_READONLY },
        { "/lib", MOUNT_READONLY }, { "/lib64", MOUNT_READONLY }, { "/bin", MOUNT_READONLY },
        { "/sbin", MOUNT_READONLY },
};
static const StaticMount protect_system_full[] = {
        { "/etc", MOUNT_READONLY },     /* in addition to protect_system_yes */
};
static const StaticMount protect_system_strict[] = {
        { "/", MOUNT_READONLY },
        { "/proc", MOUNT_READWRITE_IMPLICIT }, { "/sys", MOUNT_READWRITE_IMPLICIT },
        { "/dev", MOUNT_READWRITE_IMPLICIT }, { "/home", MOUNT_READWRITE_IMPLICIT },
        { "/run/user", MOUNT_READWRITE_IMPLICIT }, { "/root", MOUNT_READWRITE_IMPLICIT },
};
/* ProtectHome=: the three paths, with the mode of the setting. (252 copies neither the
 * read-only flag nor the options of its tmpfs table: the tmpfs is writable.) */
static const char *const home_paths[] = { "/home", "/run/user", "/root" };
static const StaticMount kernel_tunables[] = {
        { "/proc/acpi", MOUNT_READONLY }, { "/proc/apm", MOUNT_READONLY },
        { "/proc/asound", MOUNT_READONLY }, { "/proc/bus", MOUNT_READONLY },
        { "/proc/fs", MOUNT_READONLY }, { "/proc/irq", MOUNT_READONLY },
        { "/proc/kallsyms", MOUNT_INACCESSIBLE }, { "/proc/kcore", MOUNT_INACCESSIBLE },
        { "/proc/latency_stats", MOUNT_READONLY }, { "/proc/mtrr", MOUNT_READONLY },
        { "/proc/scsi", MOUNT_READONLY }, { "/proc/sys", MOUNT_READONLY },
        { "/proc/sysrq-trigger", MOUNT_READONLY }, { "/proc/timer_stats", MOUNT_READONLY },
        { "/sys", MOUNT_READONLY }, { "/sys/fs/bpf", MOUNT_READONLY },
        { "/sys/fs/cgroup", MOUNT_READWRITE_IMPLICIT }, { "/sys/fs/selinux", MOUNT_READWRITE_IMPLICIT },
        { "/sys/kernel/debug", MOUNT_READONLY }, { "/sys/kernel/tracing", MOUNT_READONLY },
        /* ProtectKernelTunables= implies MountAPIVFS= */
        { "/proc", MOUNT_PROCFS }, { "/dev", MOUNT_BIND_DEV }, { "/sys", MOUNT_SYSFS },
        { "/run", MOUNT_RUN },
};
static const StaticMount kernel_modules[] = {
        { "/lib/modules", MOUNT_INACCESSIBLE }, { "/usr/lib/modules", MOUNT_INACCESSIBLE },
};
static const StaticMount kernel_logs[] = {
        { "/proc/kmsg", MOUNT_INACCESSIBLE }, { "/dev/kmsg", MOUNT_INACCESSIBLE },
};
static const StaticMount hostname[] = {
        { "/proc/sys/kernel/hostname", MOUNT_READONLY }, { "/proc/sys/kernel/domainname", MOUNT_READONLY },
};
static const StaticMount always[] = {
        { "/run/credentials", MOUNT_INACCESSIBLE },     /* no credentials are modelled */
};

/* What PrivateDevices= puts into its /dev (mount_private_dev()): the pseudo devices, and
 * the host's /dev/pts, /dev/shm, /dev/mqueue, /dev/hugepages bind-mounted. */
static const char *const private_dev_nodes[] = {
        "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/ptmx",
};
static const char *const private_dev_binds[] = {
        "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev/hugepages",
};

/* path_startswith() on normalised paths: is p the directory d or below it? */
static bool path_under(const char *p, const char *d) {
        size_t n = strlen(d);

        if (streq(d, "/"))
                return p[0] == '/';
        return strncmp(p, d, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

static bool in_list(const char *p, const char *const *l, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (streq(p, l[i]))
                        return true;
        return false;
}

static bool under_list(const char *p, const char *const *l, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (path_under(p, l[i]))
                        return true;
        return false;
}

/* exec_needs_mount_namespace(), for what we model. */
static bool needs_mount_namespace(const Sandbox *s) {
        return strv_length(s->read_write_paths) > 0 || strv_length(s->read_only_paths) > 0 ||
               strv_length(s->inaccessible_paths) > 0 || s->private_tmp || s->private_devices ||
               s->protect_system != PROTECT_SYSTEM_NO || s->protect_home != PROTECT_HOME_NO ||
               s->protect_kernel_tunables || s->protect_kernel_modules || s->protect_kernel_logs;
}

/* The entries at exactly one path, merged as drop_duplicates() merges them. */
typedef struct Merged {
        MountMode mode;
        bool read_only;         /* mount_entry_read_only() of any of them */
        bool home;              /* a ProtectHome= entry has the winning mode */
} Merged;

static void merge(Merged *m, MountMode mode, bool home) {
        if (mode < m->mode) {
                m->mode = mode;
                m->home = home;
        } else if (mode == m->mode)
                m->home = m->home || home;
        m->read_only = m->read_only || mode == MOUNT_READONLY || mode == MOUNT_INACCESSIBLE;
}

static void merge_table(Merged *m, const char *at, const StaticMount *t, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (streq(t[i].path, at))
                        merge(m, t[i].mode, false);
}

static void merge_list(Merged *m, const char *at, char **l, MountMode mode) {
        STRV_FOREACH(e, l) {
                const char *p = *e;

                /* "-" (ignore if missing) and "+" (below RootDirectory=) change nothing here. */
                if (*p == '-')
                        p++;
                if (*p == '+')
                        p++;
                if (streq(p, at))
                        merge(m, mode, false);
        }
}

static Merged mounts_at(const Sandbox *s, const char *at) {
        Merged m = { .mode = _MOUNT_NONE };

        merge_list(&m, at, s->read_write_paths, MOUNT_READWRITE);
        merge_list(&m, at, s->read_only_paths, MOUNT_READONLY);
        merge_list(&m, at, s->inaccessible_paths, MOUNT_INACCESSIBLE);
        if (s->private_tmp && (streq(at, "/tmp") || streq(at, "/var/tmp")))
                merge(&m, MOUNT_PRIVATE_TMP, false);
        if (s->private_devices && streq(at, "/dev"))
                merge(&m, MOUNT_PRIVATE_DEV, false);
        if (s->protect_kernel_tunables)
                merge_table(&m, at, kernel_tunables, ELEMENTSOF(kernel_tunables));
        if (s->protect_kernel_modules)
                merge_table(&m, at, kernel_modules, ELEMENTSOF(kernel_modules));
        if (s->protect_kernel_logs)
                merge_table(&m, at, kernel_logs, ELEMENTSOF(kernel_logs));
        if (s->protect_home != PROTECT_HOME_NO && in_list(at, home_paths, ELEMENTSOF(home_paths)))
                merge(&m, s->protect_home == PROTECT_HOME_YES ? MOUNT_INACCESSIBLE :
                          s->protect_home == PROTECT_HOME_READ_ONLY ? MOUNT_READONLY : MOUNT_TMPFS, true);
        if (s->protect_system == PROTECT_SYSTEM_STRICT)
                merge_table(&m, at, protect_system_strict, ELEMENTSOF(protect_system_strict));
        else if (s->protect_system != PROTECT_SYSTEM_NO) {
                merge_table(&m, at, protect_system_yes, ELEMENTSOF(protect_system_yes));
                if (s->protect_system == PROTECT_SYSTEM_FULL)
                        merge_table(&m, at, protect_system_full, ELEMENTSOF(protect_system_full));
        }
        if (s->protect_hostname)
                merge_table(&m, at, hostname, ELEMENTSOF(hostname));
        merge_table(&m, at, always, ELEMENTSOF(always));
        return m;
}

/* The mount that decides about path (normalised, absolute); mode _MOUNT_NONE if none. */
typedef struct Decision {
        Merged mount;
        bool exact;             /* mounted on path itself, not on a parent */
} Decision;

static int decide(const Sandbox *s, const char *path, Decision *ret) {
        _cleanup_free_ char *level = NULL;
        MountMode parent = _MOUNT_NONE;
        size_t n = strlen(path);

        *ret = (Decision) { .mount.mode = _MOUNT_NONE };
        if (!needs_mount_namespace(s))
                return 0;
        level = malloc(n + 1);
        if (!level)
                return -ENOMEM;
        for (size_t i = 0; i <= n; i++) {
                Merged m;

                /* the parents of path: "/", "/a", "/a/b", …, path */
                if (i > 0 && path[i] != '/' && path[i] != '\0')
                        continue;
                if (i == 1 && path[1] == '\0')
                        break;          /* path is "/", done at i == 0 */
                memcpy(level, path, i ?: 1);
                level[i ?: 1] = '\0';

                m = mounts_at(s, level);
                if (m.mode == _MOUNT_NONE)
                        continue;
                /* drop_nop(): same mode as the nearest parent entry adds nothing. */
                if ((m.mode == MOUNT_READONLY || m.mode == MOUNT_READWRITE || m.mode == MOUNT_READWRITE_IMPLICIT) &&
                    m.mode == parent)
                        continue;
                parent = m.mode;
                ret->mount = m;
                ret->exact = i == 0 ? path[1] == '\0' : path[i] == '\0';
                /* drop_inaccessible(): nothing below is mounted. Below the fresh file
                 * systems (the ProtectHome= tmpfs, the private /tmp and /dev) the paths
                 * other entries name do not exist when they are mounted: skipped ("-") or
                 * the service fails. The private /dev has its pseudo devices and the host's
                 * bind mounts. */
                if (m.mode == MOUNT_INACCESSIBLE || m.mode == MOUNT_TMPFS || m.mode == MOUNT_PRIVATE_TMP)
                        break;
                if (m.mode == MOUNT_PRIVATE_DEV && !in_list(path, private_dev_nodes, ELEMENTSOF(private_dev_nodes)) &&
                    !under_list(path, private_dev_binds, ELEMENTSOF(private_dev_binds)))
                        break;
        }
        return 0;
}

static char *normalise(const char *path) {
        if (isempty(path) || path[0] != '/')
                return NULL;
        return path_simplify(path);
}

bool sandbox_path_writable(const Sandbox *s, const char *path) {
        _cleanup_free_ char *p = normalise(path);
        Decision d;

        if (!p || decide(s, p, &d) < 0)
                return false;
        switch (d.mount.mode) {
        case _MOUNT_NONE:
                return true;
        case MOUNT_INACCESSIBLE:
        case MOUNT_READONLY:
        case MOUNT_TMPFS:               /* writable, but not the real directory */
                return false;
        case MOUNT_PRIVATE_DEV:
                /* A read-only tmpfs (not recursively: the bind mounts below stay as they
                 * are) with the pseudo devices, which stay writable as devices do. */
                if (in_list(p, private_dev_nodes, ELEMENTSOF(private_dev_nodes)))
                        return true;
                return !d.exact && !d.mount.read_only &&
                       under_list(p, private_dev_binds, ELEMENTSOF(private_dev_binds));
        default:
                return !d.mount.read_only;
        }
}

bool sandbox_path_hidden_by_home(const Sandbox *s, const char *path) {
        _cleanup_free_ char *p = normalise(path);
        Decision d;

        if (!p || decide(s, p, &d) < 0)
                return false;
        return d.mount.home && (d.mount.mode == MOUNT_INACCESSIBLE || d.mount.mode == MOUNT_TMPFS);
}

/* bpf_devices_allow_list_static(): what DevicePolicy=closed (or auto with a list) grants. */
static const char *const static_devices[] = {
        "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/ptmx",
        "/run/systemd/inaccessible/chr", "/run/systemd/inaccessible/blk",
};

/* Does the device class pattern of an entry ("char-NAME", NAME a glob as bpf-devices.c
 * matches it against /proc/devices) cover the class asked for? */
static bool class_matches(const char *entry, const char *query) {
        const char *e, *q;

        if ((e = startswith(entry, "char-")))
                q = startswith(query, "char-");
        else if ((e = startswith(entry, "block-")))
                q = startswith(query, "block-");
        else
                return false;
        return q && fnmatch(e, q, 0) == 0;
}

/* The cgroup device program (cgroup_apply_devices()); node is a normalised path or a class. */
static bool cgroup_allows(const Sandbox *s, const char *node, DeviceAccess want) {
        bool is_class = !startswith(node, "/");
        /* The pts devices are a class of their own (/dev/pts/N, major 136–143). */
        bool pts = is_class ? streq(node, "char-pts") : path_under(node, "/dev/pts") && !streq(node, "/dev/pts");

        if (s->device_policy == DEVICE_POLICY_AUTO && s->n_device_allow == 0)
                return true;            /* no program at all */
        if (s->device_policy == DEVICE_POLICY_CLOSED || s->device_policy == DEVICE_POLICY_AUTO) {
                if (!is_class && in_list(node, static_devices, ELEMENTSOF(static_devices)))
                        return true;    /* granted "rwm" */
                if (pts && (want & ~(DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE)) == 0)
                        return true;
        }
        for (size_t i = 0; i < s->n_device_allow; i++) {
                const DeviceAllowEntry *e = &s->device_allow[i];

                if ((want & ~e->access) != 0)
                        continue;       /* one entry must grant every requested access */
                if (startswith(e->node, "/")) {
                        /* Only paths below /dev/ make it into the program. */
                        if (!is_class && path_under(e->node, "/dev") && streq(e->node, node))
                                return true;
                } else if (is_class ? class_matches(e->node, node) : pts && class_matches(e->node, "char-pts"))
                        return true;
        }
        return false;
}

bool sandbox_device_allowed(const Sandbox *s, const char *node, const char *perms) {
        _cleanup_free_ char *p = NULL;
        DeviceAccess want = 0;

        if (isempty(node))
                return false;
        for (const char *c = strempty(perms); *c; c++)
                switch (*c) {
                case 'r':
                        want |= DEVICE_ACCESS_READ;
                        break;
                case 'w':
                        want |= DEVICE_ACCESS_WRITE;
                        break;
                case 'm':
                        want |= DEVICE_ACCESS_MKNOD;
                        break;
                default:
                        return false;
                }
        if (want == 0)
                want = DEVICE_ACCESS_ALL;

        if (startswith(node, "char-") || startswith(node, "block-")) {
                /* Of whole classes, PrivateDevices= keeps only the pts devices. */
                if (s->private_devices && !streq(node, "char-pts"))
                        return false;
                return cgroup_allows(s, node, want);
        }

        p = normalise(node);
        if (!p)
                return false;
        {
                Decision d;

                if (decide(s, p, &d) < 0)
                        return false;
                /* An inaccessible path, or one below a fresh file system, is no device. */
                if (d.mount.mode == MOUNT_INACCESSIBLE || d.mount.mode == MOUNT_TMPFS ||
                    d.mount.mode == MOUNT_PRIVATE_TMP)
                        return false;
        }
        if (s->private_devices && path_under(p, "/dev") &&
            !in_list(p, private_dev_nodes, ELEMENTSOF(private_dev_nodes)) &&
            !(path_under(p, "/dev/pts") && !streq(p, "/dev/pts")))
                return false;
        return cgroup_allows(s, p, want);
}

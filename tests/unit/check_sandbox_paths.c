/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The exec-time queries of a sandbox: which paths the service can write
 * (src/core/namespace.c's mount table: ProtectSystem=, ProtectHome=, PrivateTmp=,
 * PrivateDevices=, ReadWritePaths=/ReadOnlyPaths=/InaccessiblePaths=), which devices it
 * can open (cgroup.c, bpf-devices.c), which namespaces it can create (seccomp-util.c).
 * Rows marked (bed) were observed on systemd 252 in the test bed (tests/e2e/testbed): a
 * oneshot service touching the path, opening the device (O_RDONLY, O_WRONLY, O_RDWR), or
 * running unshare(1).
 */

#include "strv.h"
#include "testutil.h"

/* A sandbox from "Key=Value" lines, as the [Service] section of q.service. */
static void sandbox_from(Sandbox *s, const char *body) {
        static const HostInfo host = { .hostname = (char *) "h", .machine_id = (char *) "" };
        const SpecifierContext spec = { .id = "q.service", .host = &host };
        const AssignContext c = { .spec = &spec, .file = "q.service", .line = 1 };
        char *copy = strdup(body), *state = NULL;

        sandbox_init(s);
        for (char *l = strtok_r(copy, "\n", &state); l; l = strtok_r(NULL, "\n", &state)) {
                char *eq = strchr(l, '=');

                ck_assert_ptr_nonnull(eq);
                *eq = '\0';
                ck_assert_int_eq(sandbox_assign(s, &c, "Service", l, eq + 1), 0);
        }
        ck_assert_int_eq(sandbox_patch(s), 0);
        free(copy);
}

typedef struct PathRow {
        const char *body;
        const char *path;
        bool writable, hidden;
} PathRow;

static const PathRow path_rows[] = {
        /* no namespace at all */
        { "", "/", true, false },
        { "", "/usr/lib/x", true, false },
        { "ProtectHostname=yes", "/run/credentials/x", true, false },
        /* ProtectSystem= */
        { "ProtectSystem=yes", "/usr", false, false },
        { "ProtectSystem=yes", "/usr/local/lib/x", false, false },
        { "ProtectSystem=yes", "/boot/efi", false, false },
        { "ProtectSystem=yes", "/efi", false, false },
        { "ProtectSystem=yes", "/lib/x", false, false },        /* split-usr tables */
        { "ProtectSystem=yes", "/sbin", false, false },
        { "ProtectSystem=yes", "/etc/x", true, false },
        { "ProtectSystem=yes", "/usrfoo", true, false },        /* a prefix, not a parent */
        { "ProtectSystem=yes", "/var/lib/x", true, false },
        { "ProtectSystem=full", "/etc", false, false },
        { "ProtectSystem=full", "/etc/", false, false },        /* trailing slash */
        { "ProtectSystem=full", "//etc//./pam.d/", false, false },
        { "ProtectSystem=full", "/etcfoo/x", true, false },
        { "ProtectSystem=full", "/var/log/x", true, false },
        { "ProtectSystem=full", "/run/x", true, false },
        { "ProtectSystem=strict", "/", false, false },
        { "ProtectSystem=strict", "/var/lib/x", false, false }, /* (bed) */
        { "ProtectSystem=strict", "/etc", false, false },
        { "ProtectSystem=strict", "/run/x", false, false },     /* (bed) */
        { "ProtectSystem=strict", "/tmp/x", false, false },     /* (bed) */
        { "ProtectSystem=strict", "/var/tmp/x", false, false },
        { "ProtectSystem=strict", "/dev/shm/x", true, false },  /* (bed) */
        { "ProtectSystem=strict", "/proc/self/comm", true, false },
        { "ProtectSystem=strict", "/sys/x", true, false },
        { "ProtectSystem=strict", "/home/u", true, false },     /* (bed) */
        { "ProtectSystem=strict", "/root/x", true, false },     /* (bed) */
        { "ProtectSystem=strict", "/run/user/1000", true, false },
        { "ProtectSystem=strict", "/run/credentials/x", false, false },        /* (bed) */
        { "ProtectSystem=strict\nPrivateTmp=yes", "/tmp/x", true, false },     /* (bed) */
        { "ProtectSystem=strict\nPrivateTmp=yes", "/var/tmp", true, false },  /* (bed) */
        { "ProtectSystem=strict\nPrivateTmp=yes", "/var/tmpx", false, false },
        { "ProtectSystem=strict\nPrivateTmp=yes\nReadOnlyPaths=/tmp", "/tmp/x", false, false },
        { "DynamicUser=yes", "/var/lib/x", false, false },
        { "DynamicUser=yes", "/tmp/x", true, false },
        { "DynamicUser=yes", "/home/u", false, false },
        /* ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=: the deepest wins */
        { "ProtectSystem=strict\nReadWritePaths=/var/lib/x", "/var/lib/x", true, false },
        { "ProtectSystem=strict\nReadWritePaths=/var/lib/x", "/var/lib/x/y/z", true, false },
        { "ProtectSystem=strict\nReadWritePaths=/var/lib/x", "/var/lib/xy", false, false },
        { "ProtectSystem=strict\nReadWritePaths=/var/lib/x", "/var/lib", false, false },
        { "ProtectSystem=strict\nReadWritePaths=-+/var/lib/x/", "/var/lib/x", true, false },
        { "ProtectSystem=strict\nReadWritePaths=/var/lib\nReadOnlyPaths=/var/lib/x", "/var/lib/x/y", false, false },
        { "ProtectSystem=strict\nReadWritePaths=/var/lib\nReadOnlyPaths=/var/lib/x", "/var/lib/y", true, false },
        { "ReadOnlyPaths=/var\nReadWritePaths=/var/lib/x", "/var/lib/x", true, false },
        { "ReadOnlyPaths=/var\nReadWritePaths=/var/lib/x", "/var/log", false, false },
        { "ProtectSystem=yes\nReadWritePaths=/usr/local", "/usr/local/x", true, false },
        /* equal paths: the more restrictive mode wins (bed) */
        { "ProtectSystem=full\nReadWritePaths=/etc", "/etc/x", false, false },
        { "ProtectSystem=strict\nReadWritePaths=/", "/var", false, false },
        { "ReadWritePaths=/x\nReadOnlyPaths=/x", "/x", false, false },        /* (bed) */
        { "ReadOnlyPaths=/x\nReadWritePaths=/x", "/x", false, false },        /* (bed) */
        { "ReadWritePaths=/x\nInaccessiblePaths=/x", "/x/y", false, false },
        { "ProtectSystem=full\nReadWritePaths=/etc/pam.d", "/etc/pam.d/x", true, false },     /* (bed) */
        /* nothing below an inaccessible path */
        { "InaccessiblePaths=/srv\nReadWritePaths=/srv/x", "/srv/x", false, false },  /* (bed) */
        { "InaccessiblePaths=/srv/x\nReadOnlyPaths=/srv", "/srv/x/y", false, false },
        { "InaccessiblePaths=/srv/x\nReadOnlyPaths=/srv", "/srv/y", false, false },
        { "InaccessiblePaths=/srv/x", "/srv/y", true, false },
        { "InaccessiblePaths=/", "/tmp", false, false },
        /* ProtectHome= */
        { "ProtectHome=yes", "/home/u/.x", false, true },
        { "ProtectHome=yes", "/home", false, true },
        { "ProtectHome=yes", "/root", false, true },
        { "ProtectHome=yes", "/run/user/0/x", false, true },
        { "ProtectHome=yes", "/homex", true, false },
        { "ProtectHome=yes", "/run/userx", true, false },
        { "ProtectHome=yes\nReadWritePaths=/home/u", "/home/u", false, true },        /* (bed) */
        { "ProtectHome=yes\nReadWritePaths=/home", "/home/u", false, true },
        { "ProtectHome=read-only", "/home/u", false, false },
        { "ProtectHome=read-only\nReadWritePaths=/home/u", "/home/u/x", true, false },        /* (bed) */
        { "ProtectHome=read-only\nReadWritePaths=/home", "/home/u", false, false },
        { "ProtectHome=tmpfs", "/home/u", false, true },        /* (bed): an empty, writable tmpfs */
        { "ProtectHome=tmpfs", "/home", false, true },
        { "ProtectHome=tmpfs\nReadWritePaths=-/home/u", "/home/u", false, true },     /* (bed) */
        { "ProtectHome=tmpfs\nReadWritePaths=/home", "/home/u", true, false },  /* (bed) */
        { "ProtectHome=yes\nInaccessiblePaths=/home", "/home", false, true },
        { "InaccessiblePaths=/home", "/home", false, false },
        { "ProtectSystem=strict\nProtectHome=yes", "/home/u", false, true },
        /* PrivateDevices= */
        { "PrivateDevices=yes", "/dev", false, false },        /* (bed) */
        { "PrivateDevices=yes", "/dev/newfile", false, false },
        { "PrivateDevices=yes", "/dev/null", true, false },     /* (bed) */
        { "PrivateDevices=yes", "/dev/shm/x", true, false },    /* (bed) */
        { "PrivateDevices=yes", "/dev/pts/0", true, false },
        { "PrivateDevices=yes\nReadOnlyPaths=/dev/shm", "/dev/shm/x", false, false },
        { "PrivateDevices=yes\nInaccessiblePaths=/dev/null", "/dev/null", false, false },
        { "PrivateDevices=yes\nReadOnlyPaths=/dev", "/dev/shm/x", false, false },
        { "ProtectSystem=strict\nPrivateDevices=yes", "/dev/shm/x", true, false },
        /* Protect{KernelTunables,KernelModules,KernelLogs,Hostname}= */
        { "ProtectKernelTunables=yes", "/proc/sys/net/x", false, false },      /* (bed) */
        { "ProtectKernelTunables=yes", "/sys/class/x", false, false },
        { "ProtectKernelTunables=yes", "/sys/fs/cgroup/x", true, false },      /* (bed) */
        { "ProtectKernelTunables=yes", "/proc/self/x", true, false },
        { "ProtectKernelTunables=yes\nProtectSystem=strict", "/run/x", true, false },   /* (bed): MountAPIVFS's /run */
        { "ProtectKernelModules=yes", "/usr/lib/modules/6", false, false },
        { "ProtectKernelModules=yes", "/lib/modules", false, false },
        { "ProtectKernelLogs=yes", "/dev/kmsg", false, false },
        { "ProtectHostname=yes\nProtectSystem=yes", "/proc/sys/kernel/hostname", false, false },
        { "ProtectHostname=yes\nProtectSystem=yes", "/proc/sys/kernel/x", true, false },
        /* relative paths are no answer */
        { "", "etc", false, false },
        { "", "", false, false },
};

START_TEST(test_path_row) {
        const PathRow *row = &path_rows[_i];
        Sandbox s;

        sandbox_from(&s, row->body);
        ck_assert_msg(sandbox_path_writable(&s, row->path) == row->writable, "[%s] %s: expected %s", row->body,
                      row->path, row->writable ? "writable" : "not writable");
        ck_assert_msg(sandbox_path_hidden_by_home(&s, row->path) == row->hidden, "[%s] %s: expected %shidden by ProtectHome=",
                      row->body, row->path, row->hidden ? "" : "not ");
        sandbox_done(&s);
}
END_TEST

typedef struct DeviceRow {
        const char *body;
        const char *node, *perms;
        bool allowed;
} DeviceRow;

static const DeviceRow device_rows[] = {
        /* no policy, no list: no device program */
        { "", "/dev/hidraw0", "rw", true },
        { "", "char-hidraw", "rwm", true },
        { "DevicePolicy=auto", "block-sd", NULL, true },
        /* closed: the pseudo devices and pts */
        { "DevicePolicy=closed", "/dev/null", "rwm", true },   /* (bed) */
        { "DevicePolicy=closed", "/dev/urandom", "r", true },
        { "DevicePolicy=closed", "/dev/pts/3", "rw", true },
        { "DevicePolicy=closed", "/dev/pts/3", "rwm", false },
        { "DevicePolicy=closed", "char-pts", "rw", true },
        { "DevicePolicy=closed", "/dev/hidraw0", "r", false },
        { "DevicePolicy=closed", "char-hidraw", "r", false },
        /* strict: only the list */
        { "DevicePolicy=strict", "/dev/null", "r", false },    /* (bed) */
        { "DevicePolicy=strict", "char-pts", "r", false },
        { "DevicePolicy=strict\nDeviceAllow=/dev/null r", "/dev/null", "r", true },
        { "DevicePolicy=strict\nDeviceAllow=/dev/null r", "/dev/null", "rw", false },
        /* auto with a list is closed */
        { "DeviceAllow=char-hidraw rw", "/dev/zero", "rw", true },     /* (bed) */
        { "DeviceAllow=char-hidraw rw", "char-hidraw", "rw", true },
        { "DeviceAllow=char-hidraw rw", "char-hidraw", "r", true },
        { "DeviceAllow=char-hidraw rw", "char-hidraw", "rwm", false },
        { "DeviceAllow=char-hidraw rw", "block-hidraw", "r", false },
        { "DeviceAllow=char-hidraw rw", "char-hidraw2", "r", false },
        { "DeviceAllow=char-hidraw rw", "/dev/hidraw0", "r", false },   /* not known without stat() */
        { "DeviceAllow=char-usb_*\nDeviceAllow=block-*", "char-usb_device", "rw", true },     /* (bed: char-mis*) */
        { "DeviceAllow=char-usb_*\nDeviceAllow=block-*", "block-loop", "rwm", true },
        { "DeviceAllow=char-usb_*\nDeviceAllow=block-*", "char-input", "r", false },
        { "DeviceAllow=/dev/hidraw0 r\nDeviceAllow=/dev/hidraw0 w", "/dev/hidraw0", "rw", false },    /* (bed) */
        { "DeviceAllow=/dev/hidraw0 r\nDeviceAllow=/dev/hidraw0 w", "/dev/hidraw0", "w", true },
        { "DeviceAllow=/dev/hidraw0", "//dev/./hidraw0", "rwm", true },
        { "DeviceAllow=/dev/hidraw0\nDeviceAllow=\nDevicePolicy=closed", "/dev/hidraw0", "r", false },
        { "DeviceAllow=/dev/hidraw0\nDeviceAllow=", "/dev/hidraw0", "r", true },    /* reset: no program */
        { "DeviceAllow=/run/systemd/inaccessible/chr", "/dev/hidraw0", "r", false },
        { "DeviceAllow=char-pts r", "/dev/pts/1", "w", true },  /* the static rw entry */
        { "DevicePolicy=strict\nDeviceAllow=char-pts r", "/dev/pts/1", "r", true },
        { "DevicePolicy=strict\nDeviceAllow=char-pts r", "/dev/pts/1", "w", false },
        /* PrivateDevices=: closed, and only the pseudo devices exist */
        { "PrivateDevices=yes", "/dev/null", "rw", true },
        { "PrivateDevices=yes", "/dev/tty", "rw", true },
        { "PrivateDevices=yes", "/dev/pts/0", "rw", true },
        { "PrivateDevices=yes", "/dev/sda", "r", false },
        { "PrivateDevices=yes", "char-pts", "rw", true },
        { "PrivateDevices=yes\nDeviceAllow=char-hidraw rw", "char-hidraw", "rw", false },
        { "PrivateDevices=yes\nDeviceAllow=/dev/hidraw0 rw", "/dev/hidraw0", "rw", false },   /* (bed: /dev/net/tun) */
        { "PrivateDevices=yes\nDevicePolicy=strict", "/dev/null", "r", false },
        { "PrivateDevices=yes\nDevicePolicy=auto", "/dev/null", "r", true },
        { "PrivateDevices=yes\nInaccessiblePaths=/dev/null", "/dev/null", "r", false },
        /* ProtectClock= adds char-rtc r once a policy is in force */
        { "ProtectClock=yes\nDevicePolicy=closed", "char-rtc", "r", true },
        { "ProtectClock=yes\nDevicePolicy=closed", "char-rtc", "w", false },
        { "ProtectClock=yes", "char-rtc", "w", true },
        /* mount namespace: inaccessible device paths */
        { "ProtectKernelLogs=yes", "/dev/kmsg", "w", false },
        { "InaccessiblePaths=/dev/hidraw0", "/dev/hidraw0", "r", false },
        /* bad queries */
        { "", "/dev/null", "x", false },
        { "", "hidraw", "r", false },
        { "", "", "r", false },
        { "", "dev/null", "r", false },
};

START_TEST(test_device_row) {
        const DeviceRow *row = &device_rows[_i];
        Sandbox s;

        sandbox_from(&s, row->body);
        ck_assert_msg(sandbox_device_allowed(&s, row->node, row->perms) == row->allowed, "[%s] %s %s: expected %s",
                      row->body, row->node, strempty(row->perms), row->allowed ? "allowed" : "denied");
        sandbox_done(&s);
}
END_TEST

typedef struct NamespaceRow {
        const char *body;
        const char *allowed;    /* the types of "cgroup ipc net mnt pid user uts time" allowed */
} NamespaceRow;

static const NamespaceRow namespace_rows[] = {
        { "", "cgroup ipc net mnt pid user uts time" },
        { "RestrictNamespaces=no", "cgroup ipc net mnt pid user uts time" },
        { "RestrictNamespaces=yes", "" },
        { "RestrictNamespaces=net", "net" },
        { "RestrictNamespaces=~user", "cgroup ipc net mnt pid uts" },  /* time too is blocked (bed) */
        { "RestrictNamespaces=~user time", "cgroup ipc net mnt pid uts" },
        { "RestrictNamespaces=mnt time", "mnt time" },         /* (bed: net time) */
        { "RestrictNamespaces=time", "time" },                 /* (bed) */
        { "RestrictNamespaces=~time", "cgroup ipc net mnt pid user uts time" },        /* (bed) */
        { "RestrictNamespaces=yes\nRestrictNamespaces=mnt", "mnt" },
        { "RestrictNamespaces=mnt\nRestrictNamespaces=~mnt", "" },
        { "RestrictNamespaces=mnt\nRestrictNamespaces=", "cgroup ipc net mnt pid user uts time" },
        { "RestrictNamespaces=no\nRestrictNamespaces=~net", "cgroup ipc mnt pid user uts" },
        { "RestrictNamespaces=cgroup ipc net mnt pid user uts", "cgroup ipc net mnt pid user uts time" },
};

START_TEST(test_namespace_row) {
        static const char *const types[] = { "cgroup", "ipc", "net", "mnt", "pid", "user", "uts", "time" };
        const NamespaceRow *row = &namespace_rows[_i];
        _cleanup_strv_free_ char **allowed = NULL;
        Sandbox s;

        sandbox_from(&s, row->body);
        ck_assert_int_eq(strv_split(row->allowed, " ", &allowed), 0);
        for (size_t i = 0; i < ELEMENTSOF(types); i++)
                ck_assert_msg(sandbox_namespace_allowed(&s, types[i]) == strv_contains(allowed, types[i]),
                              "[%s] %s: expected %s", row->body, types[i],
                              strv_contains(allowed, types[i]) ? "allowed" : "blocked");
        ck_assert(!sandbox_namespace_allowed(&s, "bogus"));
        ck_assert(!sandbox_namespace_allowed(&s, "Net"));
        ck_assert(!sandbox_namespace_allowed(&s, NULL));
        sandbox_done(&s);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("sandbox-paths");
        TCase *tc = tcase_create("Core");

        tcase_add_loop_test(tc, test_path_row, 0, ELEMENTSOF(path_rows));
        tcase_add_loop_test(tc, test_device_row, 0, ELEMENTSOF(device_rows));
        tcase_add_loop_test(tc, test_namespace_row, 0, ELEMENTSOF(namespace_rows));
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(suite)

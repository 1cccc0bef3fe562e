/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The running system's service manager: whether the root we work on is the system PID 1
 * runs, a connection to it, and daemon-reload.
 */

#include <sys/stat.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>

#include "cli.h"
#include "macro.h"

/* systemctl's DAEMON_RELOAD_TIMEOUT_SEC: a reload reruns the generators, which have 90 s
 * of their own. */
#define RELOAD_TIMEOUT_USEC (2ULL * 90ULL * 1000000ULL)

/* systemd's running_in_chroot(): 1 when our / is not PID 1's, 0 when it is, -errno when
 * that cannot be told (no /proc, or not allowed to look at PID 1's root). */
static int running_in_chroot(void) {
        struct stat a, b;

        if (stat("/", &a) < 0 || stat("/proc/1/root", &b) < 0)
                return -errno;
        return a.st_dev != b.st_dev || a.st_ino != b.st_ino;
}

bool systemd_online(const Root *root) {
        const char *v;
        int r;

        if (!root_is_host(root))
                return false;
        /* dpkg working on another root (--root, --instdir) exports it to maintainer scripts,
         * and a script may still call us without --root. "" and "/" are the running system. */
        v = getenv("DPKG_ROOT");
        if (v && v[strspn(v, "/")] != '\0')
                return false;
        if (sd_booted() <= 0)
                return false;
        /* As systemctl: SYSTEMD_OFFLINE=1 says offline, SYSTEMD_OFFLINE=0 skips the chroot
         * check (docs/ENVIRONMENT.md). */
        v = getenv("SYSTEMD_OFFLINE");
        r = v ? parse_boolean(v) : -ENXIO;
        if (r >= 0)
                return r == 0;
        /* sd_booted() only looks for /run/systemd/system/, which a chroot with the host's
         * /run bind-mounted has too. A root we cannot compare counts as not ours: a missed
         * reload leaves the drop-ins for the next one, a wrong one reaches another system. */
        return running_in_chroot() == 0;
}

int manager_connect(sd_bus **ret, char **ret_error) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        int r;

        *ret = NULL;
        /* As root, talk to PID 1 on its private socket, as systemctl does: a package being
         * configured cannot count on dbus-daemon running. */
        if (geteuid() == 0) {
                r = sd_bus_new(&bus);
                if (r >= 0)
                        r = sd_bus_set_address(bus, "unix:path=/run/systemd/private");
                if (r >= 0)
                        r = sd_bus_start(bus);
                if (r >= 0) {
                        *ret = TAKE_PTR(bus);
                        return 0;
                }
                bus = sd_bus_flush_close_unref(bus);
        }
        r = sd_bus_open_system(&bus);
        if (r < 0) {
                (void) asprintf_safe(ret_error, "cannot connect to systemd: %s", strerror(-r));
                return r;
        }
        *ret = TAKE_PTR(bus);
        return 0;
}

const char *bus_error_string(const sd_bus_error *error, int r) {
        return sd_bus_error_is_set(error) && error->message ? error->message : strerror(-r);
}

int manager_reload(sd_bus *bus, char **ret_error) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, MANAGER_DESTINATION, MANAGER_PATH, MANAGER_INTERFACE, "Reload");
        if (r >= 0)
                r = sd_bus_call(bus, m, RELOAD_TIMEOUT_USEC, &error, NULL);
        if (r < 0)
                (void) asprintf_safe(ret_error, "cannot reload systemd: %s", bus_error_string(&error, r));
        return r;
}

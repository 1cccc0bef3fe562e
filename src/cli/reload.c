/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>

#include "cli.h"
#include "macro.h"

int reload_systemd(const Root *root, char **ret_error) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus *bus = NULL;
        int r;

        *ret_error = NULL;
        /* Only the running system's manager, never for another root or a chroot. */
        if (!root_is_host(root) || sd_booted() <= 0)
                return 0;
        r = sd_bus_open_system(&bus);
        if (r < 0) {
                asprintf_safe(ret_error, "cannot connect to the system bus: %s", strerror(-r));
                return r;
        }
        r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", "Reload", &error, NULL, NULL);
        if (r < 0)
                asprintf_safe(ret_error, "cannot reload systemd: %s", error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);
        sd_bus_flush_close_unref(bus);
        return r < 0 ? r : 1;
}

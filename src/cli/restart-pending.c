/* SPDX-License-Identifier: GPL-2.0-or-later */
/* For status: the running units whose sandbox is older than their drop-in, i.e. that were
 * started before hardening-compat last wrote it and so still run without it. */
#include <sys/stat.h>
#include <systemd/sd-bus.h>

#include "cli.h"
#include "lookup-paths.h"
#include "macro.h"
#include "strv.h"
#include "unit-name.h"
#include "unit.h"

/* When our drop-in of the unit (of its template, for an instance) was last written, µs. */
static uint64_t dropin_mtime(const char *unit) {
        _cleanup_free_ char *tmpl = NULL, *path = NULL;
        struct stat st;

        if (strchr(unit, '@') && unit_name_template(unit, &tmpl) < 0)
                return 0;
        path = strjoin(UNIT_OUTPUT_DIR "/", tmpl ?: unit, ".d/" OUR_DROPIN_NAME);
        if (!path || lstat(path, &st) < 0)
                return 0;
        return (uint64_t) st.st_mtim.tv_sec * 1000000 + (uint64_t) st.st_mtim.tv_nsec / 1000;
}

int units_restart_pending(sd_bus *bus, char * const *units, char ***ret, char **ret_error) {
        _cleanup_strv_free_ char **running = NULL, **pending = NULL;
        int r;

        *ret = NULL;
        r = units_running(bus, units, &running, ret_error);
        if (r < 0)
                return r;
        STRV_FOREACH(u, running) {
                _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
                _cleanup_free_ char *path = NULL;
                uint64_t since = 0, written = dropin_mtime(*u);

                if (!written)
                        continue;
                r = sd_bus_path_encode("/org/freedesktop/systemd1/unit", *u, &path);
                if (r >= 0)
                        r = sd_bus_get_property_trivial(bus, MANAGER_DESTINATION, path, "org.freedesktop.systemd1.Unit",
                                                        "ActiveEnterTimestamp", &error, 't', &since);
                if (r < 0) {
                        (void) asprintf_safe(ret_error, "cannot read when %s started: %s", *u, bus_error_string(&error, r));
                        return r;
                }
                if (since < written && strv_extend(&pending, *u) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(pending);
        return 0;
}

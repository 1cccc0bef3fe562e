/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * After a drop-in changed: which running units must be restarted for their new sandbox to
 * take effect (as needrestart does for libraries), and restarting them on request.
 *
 * systemd applies a unit's exec settings (RestrictAddressFamilies=, SystemCallArchitectures=,
 * SupplementaryGroups=, ReadWritePaths=, …) when it spawns a process, so a running process
 * keeps the sandbox it was started with. Its cgroup settings are different: after a reload,
 * systemd 252 realizes every running unit's cgroup again, BPF firewall included
 * (src/core/unit-serialize.c, the end of unit_deserialize()), so IPAddressAllow=,
 * IPAddressDeny= and DeviceAllow= take effect without a restart.
 */

#include <stdio.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-login.h>

#include "cli.h"
#include "macro.h"
#include "strv.h"

static const char * const live_settings[] = { "IPAddressAllow", "IPAddressDeny", "DeviceAllow" };

/* The setting lines of a drop-in ("Key=value"); comments, blank lines and section headers
 * left out. NULL text is no drop-in. */
static int dropin_settings(const char *text, char ***ret) {
        _cleanup_strv_free_ char **lines = NULL, **l = NULL;
        int r;

        *ret = NULL;
        r = strv_split(strempty(text), "\n", &lines);
        if (r < 0)
                return r;
        STRV_FOREACH(s, lines) {
                const char *t = *s + strspn(*s, WHITESPACE);

                if (*t == '\0' || strchr("#;[", *t))
                        continue;
                r = strv_extend(&l, t);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

static bool setting_is_live(const char *line) {
        size_t k = strcspn(line, "=");

        for (size_t i = 0; i < ELEMENTSOF(live_settings); i++)
                if (strlen(live_settings[i]) == k && strncmp(line, live_settings[i], k) == 0)
                        return true;
        return false;
}

bool dropin_change_needs_restart(const char *old_text, const char *new_text) {
        _cleanup_strv_free_ char **a = NULL, **b = NULL;

        if (dropin_settings(old_text, &a) < 0 || dropin_settings(new_text, &b) < 0)
                return true;    /* cannot tell: say so */
        STRV_FOREACH(s, a)
                if (!strv_contains(b, *s) && !setting_is_live(*s))
                        return true;
        STRV_FOREACH(s, b)
                if (!strv_contains(a, *s) && !setting_is_live(*s))
                        return true;
        return false;
}

/* A ListUnitsByPatterns pattern for a unit name: a template "a@.service" stands for its
 * instances, "a@*.service". Unit names cannot contain glob characters, and systemd matches
 * with FNM_NOESCAPE, so a name is its own pattern. */
static char *unit_pattern(const char *name) {
        const char *at = strchr(name, '@');

        char *p;

        if (!at || at[1] != '.')
                return strdup(name);
        return asprintf_safe(&p, "%.*s@*%s", (int) (at - name), name, at + 1) < 0 ? NULL : p;
}

static int list_units_request(sd_bus *bus, char * const *names, sd_bus_message **ret) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        _cleanup_strv_free_ char **patterns = NULL;
        char *states[] = { (char *) "active", (char *) "reloading", NULL };
        int r;

        STRV_FOREACH(s, (char **) names) {
                r = strv_consume(&patterns, unit_pattern(*s));
                if (r < 0)
                        return r;
        }
        r = sd_bus_message_new_method_call(bus, &m, MANAGER_DESTINATION, MANAGER_PATH, MANAGER_INTERFACE,
                                           "ListUnitsByPatterns");
        if (r >= 0)
                r = sd_bus_message_append_strv(m, states);
        if (r >= 0)
                r = sd_bus_message_append_strv(m, patterns);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

int units_running(sd_bus *bus, char * const *names, char ***ret, char **ret_error) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_strv_free_ char **running = NULL;
        const char *id, *desc, *load, *active, *sub, *following, *path, *job_type, *job_path;
        uint32_t job_id;
        int r;

        *ret = NULL;
        if (strv_length(names) == 0)
                return 0;
        r = list_units_request(bus, names, &m);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r >= 0)
                r = sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
        while (r >= 0) {
                r = sd_bus_message_read(reply, "(ssssssouso)", &id, &desc, &load, &active, &sub,
                                        &following, &path, &job_id, &job_type, &job_path);
                if (r <= 0)
                        break;
                /* A oneshot unit that remained after exit runs nothing any more. */
                if (streq(sub, "exited") || (!streq(active, "active") && !streq(active, "reloading")))
                        continue;
                r = strv_extend_uniq(&running, id);
        }
        if (r < 0) {
                (void) asprintf_safe(ret_error, "cannot list the running units: %s", bus_error_string(&error, r));
                return r;
        }
        strv_sort(running);
        *ret = TAKE_PTR(running);
        return 0;
}

/* The jobs of one --restart run, and how each ended (JobRemoved's result). */
typedef struct RestartJob {
        const char *unit;
        char *path;             /* NULL: TryRestartUnit failed */
        char result[32];        /* "" while the job runs */
} RestartJob;

typedef struct RestartJobs {
        RestartJob *jobs;
        size_t n;
        size_t pending;
} RestartJobs;

static int match_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        RestartJobs *j = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        (void) error;
        if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        for (size_t i = 0; i < j->n; i++)
                if (j->jobs[i].path && !j->jobs[i].result[0] && streq(j->jobs[i].path, path)) {
                        (void) snprintf(j->jobs[i].result, sizeof(j->jobs[i].result), "%s", result[0] ? result : "?");
                        j->pending--;
                }
        return 0;
}

static int try_restart(sd_bus *bus, RestartJob *job) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *path;
        int r;

        r = sd_bus_call_method(bus, MANAGER_DESTINATION, MANAGER_PATH, MANAGER_INTERFACE, "TryRestartUnit",
                               &error, &reply, "ss", job->unit, "replace");
        if (r >= 0)
                r = sd_bus_message_read(reply, "o", &path);
        if (r >= 0) {
                job->path = strdup(path);
                r = job->path ? 0 : -ENOMEM;
        }
        if (r < 0)
                print_error("cannot restart '%s': %s", job->unit, bus_error_string(&error, r));
        return r;
}

/* Wait for every job's JobRemoved signal, as systemctl does: no time limit of our own,
 * the units' TimeoutStartSec= and TimeoutStopSec= bound the jobs. */
static int wait_for_jobs(sd_bus *bus, RestartJobs *j) {
        int r = 0;

        while (j->pending > 0) {
                r = sd_bus_process(bus, NULL);
                if (r > 0)
                        continue;
                if (r == 0)
                        r = sd_bus_wait(bus, UINT64_MAX);
                if (r < 0) {
                        print_error("lost the connection to systemd while restarting units: %s",
                                strerror(-r));
                        return r;
                }
        }
        return 0;
}

/* A unit whose process runs us would kill us with the restart: leave it to the admin. */
static bool is_own_unit(const char *unit) {
        _cleanup_free_ char *own = NULL;

        return sd_pid_get_unit(0, &own) >= 0 && streq(own, unit);
}

/* How the jobs ended: "restarted UNIT" for each done one, a line for each other. Returns
 * the number of failures or -ENOMEM. */
static int report_jobs(const RestartJobs *j, bool quiet, char ***restarted) {
        int r, failed = 0;

        for (size_t i = 0; i < j->n; i++) {
                const RestartJob *x = &j->jobs[i];

                if (!x->path)
                        continue;
                if (!streq(x->result, "done")) {
                        print_error("restarting '%s' failed (job result: %s); see 'systemctl status %s'",
                                x->unit, x->result, x->unit);
                        failed++;
                        continue;
                }
                r = strv_extend(restarted, x->unit);
                if (r < 0)
                        return r;
                if (!quiet)
                        printf("restarted %s\n", x->unit);
        }
        return failed;
}

/* Queue a TryRestartUnit job for each unit but our own; returns the number of failures. */
static int queue_jobs(sd_bus *bus, char * const *units, bool quiet, RestartJobs *j) {
        int failed = 0;

        for (size_t i = 0; i < j->n; i++) {
                j->jobs[i].unit = units[i];
                if (is_own_unit(units[i])) {
                        if (!quiet)
                                printf("%s: running, restart it for the new sandbox to take effect (it runs this command)\n",
                                       units[i]);
                } else if (try_restart(bus, &j->jobs[i]) < 0)
                        failed++;
                else
                        j->pending++;
        }
        return failed;
}

int units_restart(sd_bus *bus, char * const *units, bool quiet, char ***ret_restarted) {
        _cleanup_strv_free_ char **restarted = NULL;
        sd_bus_slot *slot = NULL;
        RestartJobs j = { .n = strv_length(units) };
        int r, failed = 0;

        *ret_restarted = NULL;
        j.jobs = calloc(j.n + 1, sizeof(RestartJob));
        if (!j.jobs)
                return -ENOMEM;
        /* Subscribe before the first job exists, so no JobRemoved can slip by. A direct
         * connection has no sender names. */
        r = sd_bus_match_signal(bus, &slot, sd_bus_is_bus_client(bus) > 0 ? MANAGER_DESTINATION : NULL,
                                MANAGER_PATH, MANAGER_INTERFACE, "JobRemoved", match_job_removed, &j);
        if (r < 0)
                print_error("cannot follow systemd's jobs: %s", strerror(-r));
        else {
                failed = queue_jobs(bus, units, quiet, &j);
                r = wait_for_jobs(bus, &j);
        }
        slot = sd_bus_slot_unref(slot);
        if (r >= 0)
                r = report_jobs(&j, quiet, &restarted);
        for (size_t i = 0; i < j.n; i++)
                free(j.jobs[i].path);
        free(j.jobs);
        if (r < 0)
                return r;
        *ret_restarted = TAKE_PTR(restarted);
        return failed + r;
}

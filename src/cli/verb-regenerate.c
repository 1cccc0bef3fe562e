/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "cli.h"
#include "macro.h"
#include "strv.h"
#include "writer.h"

static const UnitResult *find_result(const Engine *e, const char *unit) {
        for (size_t i = 0; i < e->n_units; i++)
                if (streq(e->units[i].unit->id, unit))
                        return &e->units[i];
        return NULL;
}

/* Whether the change of a unit's drop-in takes a restart to take effect. A drop-in left
 * behind by a unit that is gone has no plan to compare with: say yes. */
static bool change_needs_restart(const Engine *e, const WriteResult *w) {
        const UnitResult *u = find_result(e, w->unit);

        if (!u)
                return true;
        return dropin_change_needs_restart(u->current_text, w->action == WRITE_REMOVED ? NULL : u->plan.text);
}

/* What the writer did, counted for the journal; the changed units, and those of them
 * whose change takes a restart. */
static int summarize(const Engine *e, const WriteReport *rep, RunLog *log, char ***changed, char ***candidates) {
        int r;

        for (size_t i = 0; i < rep->n; i++) {
                const WriteResult *w = &rep->items[i];

                switch (w->action) {
                case WRITE_CREATED:
                        log->created++;
                        break;
                case WRITE_UPDATED:
                        log->updated++;
                        break;
                case WRITE_REMOVED:
                        log->removed++;
                        break;
                case WRITE_FAILED:
                        log->failed++;
                        continue;
                default:
                        continue;
                }
                r = strv_extend_uniq(changed, w->unit);
                if (r >= 0 && change_needs_restart(e, w))
                        r = strv_extend_uniq(candidates, w->unit);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* --restart: restart the running units; *running is left with those not restarted. */
static int restart_running(sd_bus *bus, const Options *o, char ***running, char ***ret_restarted) {
        int r;

        r = units_restart(bus, *running, o->quiet, ret_restarted);
        STRV_FOREACH(u, *ret_restarted)
                (void) strv_remove(*running, *u);
        return r > 0 ? -EIO : r;
}

/* Something changed on the running system: reload, then name (or restart) the running
 * units whose new sandbox takes a restart. Messages are printed here; <0 on a failure. */
static int apply_change(const Options *o, char **candidates, RunLog *log, char ***ret_restart, char ***ret_restarted) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_strv_free_ char **running = NULL;
        _cleanup_free_ char *err = NULL;
        int r;

        r = manager_connect(&bus, &err);
        if (r >= 0 && !o->no_reload) {
                r = manager_reload(bus, &err);
                log->reloaded = r >= 0;
                if (r >= 0 && !o->quiet)
                        printf("reloaded systemd\n");
        }
        if (r >= 0)
                r = units_running(bus, candidates, &running, &err);
        if (r < 0) {
                print_error("%s", err ? err : strerror(-r));
                return r;
        }
        if (o->restart)
                r = restart_running(bus, o, &running, ret_restarted);
        else if (!o->quiet)
                STRV_FOREACH(u, running)
                        printf("%s: running, restart it for the new sandbox to take effect\n", *u);
        *ret_restart = TAKE_PTR(running);
        return r;
}

/* After writing, on the running system only: the reload, the units to restart and the
 * journal entry. Offline (another root, a chroot, no systemd) there is nothing to do.
 * error: why nothing could be written at all. */
static int after_write(const Engine *e, const Options *o, const WriteReport *rep, int ret, const char *error) {
        _cleanup_strv_free_ char **changed = NULL, **candidates = NULL, **restart = NULL, **restarted = NULL;
        RunLog log = { .root = e->root.path, .error = error };

        if (!systemd_online(&e->root))
                return ret;
        if (summarize(e, rep, &log, &changed, &candidates) < 0)
                return EXIT_FAIL;
        if (rep->changed && apply_change(o, candidates, &log, &restart, &restarted) < 0)
                ret = EXIT_FAIL;
        log.changed = changed;
        log.restart = restart;
        log.restarted = restarted;
        log.exit_status = ret;
        journal_log_run(&log);
        return ret;
}

int verb_regenerate(Engine *e, const Options *o) {
        _cleanup_free_ WantedDropin *wanted = NULL;
        _cleanup_free_ char *err = NULL;
        WriteReport rep = {};
        size_t n = 0;
        int r, ret = EXIT_OK;

        if (engine_wanted(e, &wanted, &n) < 0)
                return EXIT_FAIL;

        r = writer_apply(&e->root, wanted, n, o->dry_run, &rep, &err);
        if (r < 0) {
                print_error("%s", err ? err : strerror(-r));
                if (!o->dry_run)
                        (void) after_write(e, o, &rep, EXIT_FAIL, err ? err : strerror(-r));
                write_report_done(&rep);
                return EXIT_FAIL;
        }

        for (size_t i = 0; i < rep.n; i++) {
                const WriteResult *w = &rep.items[i];

                if (w->action == WRITE_FAILED) {
                        print_error("%s: %s", w->path, w->error);
                        ret = EXIT_FAIL;
                } else if (w->action != WRITE_UNCHANGED && !o->quiet)
                        printf("%s%s %s\n", o->dry_run ? "would be " : "", write_action_to_string(w->action), w->path);
        }
        if (o->dry_run)
                for (size_t i = 0; i < e->n_units; i++)
                        if (e->units[i].viewed && e->units[i].plan.text && !e->units[i].plan.blocked &&
                            !streq(dropin_status(&e->units[i]), "unchanged"))
                                printf("\n# %s\n%s", e->units[i].plan.path, e->units[i].plan.text);

        if (!o->dry_run)
                ret = after_write(e, o, &rep, ret, NULL);
        write_report_done(&rep);
        return ret;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "cli.h"
#include "macro.h"
#include "writer.h"

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
                fprintf(stderr, "hardening-compat: %s\n", err ? err : strerror(-r));
                write_report_done(&rep);
                return EXIT_FAIL;
        }

        for (size_t i = 0; i < rep.n; i++) {
                const WriteResult *w = &rep.items[i];

                if (w->action == WRITE_FAILED) {
                        fprintf(stderr, "hardening-compat: %s: %s\n", w->path, w->error);
                        ret = EXIT_FAIL;
                } else if (w->action != WRITE_UNCHANGED && !o->quiet)
                        printf("%s%s %s\n", o->dry_run ? "would be " : "", write_action_to_string(w->action), w->path);
        }
        if (o->dry_run)
                for (size_t i = 0; i < e->n_units; i++)
                        if (e->units[i].viewed && e->units[i].plan.text && !e->units[i].plan.blocked &&
                            !streq(dropin_status(&e->units[i]), "unchanged"))
                                printf("\n# %s\n%s", e->units[i].plan.path, e->units[i].plan.text);

        if (rep.changed && !o->dry_run && !o->no_reload) {
                _cleanup_free_ char *rerr = NULL;

                r = reload_systemd(&e->root, &rerr);
                if (r < 0) {
                        fprintf(stderr, "hardening-compat: %s\n", rerr);
                        ret = EXIT_FAIL;
                } else if (r > 0 && !o->quiet)
                        printf("reloaded systemd; restart the units above for the change to take effect\n");
        }
        write_report_done(&rep);
        return ret;
}

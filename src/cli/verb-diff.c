/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "cli.h"
#include "macro.h"
#include "writer.h"

/* What regenerate would change, as unified diffs: the writer's dry run decides which
 * files differ (stale drop-ins of units that no longer exist included). */
int verb_diff(Engine *e, const Options *o) {
        _cleanup_free_ WantedDropin *wanted = NULL;
        _cleanup_free_ char *err = NULL;
        WriteReport rep = {};
        size_t n = 0;
        bool differs = false;
        int r;

        (void) o;
        if (engine_wanted(e, &wanted, &n) < 0)
                return EXIT_FAIL;
        r = writer_apply(&e->root, wanted, n, true, &rep, &err);
        if (r < 0) {
                fprintf(stderr, "hardening-compat: %s\n", err ? err : strerror(-r));
                return EXIT_FAIL;
        }
        for (size_t i = 0; i < rep.n; i++) {
                const WriteResult *w = &rep.items[i];
                _cleanup_free_ char *old = NULL;
                const char *new_text = NULL;

                if (w->action == WRITE_UNCHANGED)
                        continue;
                (void) writer_read_current(&e->root, w->unit, &old);
                for (size_t k = 0; k < n; k++)
                        if (streq(wanted[k].unit, w->unit))
                                new_text = wanted[k].text;
                print_unified_diff(w->path, old, new_text);
                differs = true;
        }
        write_report_done(&rep);
        return differs ? EXIT_DIFFERS : EXIT_OK;
}

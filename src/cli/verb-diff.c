/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "cli.h"
#include "macro.h"
#include "writer.h"

/* What regenerate would change, as unified diffs: the writer's dry run decides which
 * files differ (stale drop-ins of units that no longer exist included). */
/* The path of a file next to the drop-in at dropin_path. */
static char *path_join_dir(const char *dropin_path, const char *name) {
        const char *slash = strrchr(dropin_path, '/');
        char *s = NULL;

        if (slash)
                asprintf_safe(&s, "%.*s/%s", (int) (slash - dropin_path), dropin_path, name);
        return s;
}

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
                print_error("%s", err ? err : strerror(-r));
                return EXIT_FAIL;
        }
        for (size_t i = 0; i < rep.n; i++) {
                const WriteResult *w = &rep.items[i];
                _cleanup_free_ char *old = NULL;
                const char *new_text = NULL;
                const WantedDropin *files = NULL;

                if (w->action == WRITE_UNCHANGED)
                        continue;
                (void) writer_read_file(e->output_fd, w->unit, OUR_DROPIN_NAME, &old);
                for (size_t k = 0; k < n; k++)
                        if (streq(wanted[k].unit, w->unit)) {
                                new_text = wanted[k].text;
                                files = &wanted[k];
                        }
                if (!streq_ptr(old, new_text))
                        print_unified_diff(w->path, old, new_text);
                /* the files written next to it (a removed drop-in takes its files along) */
                for (size_t k = 0; files && k < files->n_files; k++) {
                        _cleanup_free_ char *cur = NULL, *p = NULL;

                        (void) writer_read_file(e->output_fd, w->unit, files->files[k].name, &cur);
                        if (streq_ptr(cur, files->files[k].text))
                                continue;
                        p = path_join_dir(w->path, files->files[k].name);
                        if (!p)
                                return EXIT_FAIL;
                        print_unified_diff(p, cur, files->files[k].text);
                }
                differs = true;
        }
        write_report_done(&rep);
        return differs ? EXIT_DIFFERS : EXIT_OK;
}

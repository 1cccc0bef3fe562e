/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>

#include "diag.h"

static bool diag_same(const Diag *a, DiagLevel level, const char *file, unsigned line, const char *msg) {
        return a->level == level && a->line == line && streq_ptr(a->file, file) && streq(a->message, msg);
}

int diag_add(DiagList *d, DiagLevel level, const char *file, unsigned line, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL, *f = NULL;
        va_list ap;
        int r;

        if (!d)
                return 0;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;

        for (size_t i = 0; i < d->n; i++)
                if (diag_same(&d->items[i], level, file, line, msg))
                        return 0;

        if (file) {
                f = strdup(file);
                if (!f)
                        return -ENOMEM;
        }
        if (GROW(d->items, d->cap, d->n + 1) < 0)
                return -ENOMEM;
        d->items[d->n++] = (Diag) {
                .level = level,
                .file = TAKE_PTR(f),
                .line = line,
                .message = TAKE_PTR(msg),
        };
        return 0;
}

void diag_list_done(DiagList *d) {
        for (size_t i = 0; i < d->n; i++) {
                free(d->items[i].file);
                free(d->items[i].message);
        }
        free(d->items);
        *d = (DiagList) {};
}

const char *diag_level_to_string(DiagLevel level) {
        static const char *const table[] = {
                [DIAG_ERROR] = "error",
                [DIAG_WARNING] = "warning",
                [DIAG_NOTICE] = "notice",
        };
        return table[level];
}

size_t diag_count(const DiagList *d, DiagLevel level) {
        size_t n = 0;

        for (size_t i = 0; i < d->n; i++)
                n += d->items[i].level == level;
        return n;
}

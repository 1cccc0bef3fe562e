/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>

#include "diag.h"

static const char *diag_key(const void *ctx, size_t i) {
        const DiagList *d = ctx;

        return d->keys[i];
}

int diag_add(DiagList *d, DiagLevel level, const char *file, unsigned line, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL, *f = NULL, *key = NULL;
        va_list ap;
        int r;

        if (!d)
                return 0;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;

        /* The file's length keeps the key unambiguous; "-" is no file, not an empty name. */
        if (file)
                r = asprintf(&key, "%d %u %zu %s%s", (int) level, line, strlen(file), file, msg);
        else
                r = asprintf(&key, "%d %u - %s", (int) level, line, msg);
        if (r < 0)
                return -ENOMEM;
        if (str_index_find(&d->index, key, diag_key, d) != (size_t) -1)
                return 0;

        if (file) {
                f = strdup(file);
                if (!f)
                        return -ENOMEM;
        }
        if (GROW(d->items, d->cap, d->n + 1) < 0 || GROW(d->keys, d->keys_cap, d->n + 1) < 0)
                return -ENOMEM;
        d->keys[d->n] = TAKE_PTR(key);
        d->items[d->n++] = (Diag) {
                .level = level,
                .file = TAKE_PTR(f),
                .line = line,
                .message = TAKE_PTR(msg),
        };
        return str_index_add(&d->index, d->n, diag_key, d);
}

void diag_list_done(DiagList *d) {
        for (size_t i = 0; i < d->n; i++) {
                free(d->items[i].file);
                free(d->items[i].message);
                free(d->keys[i]);
        }
        free(d->items);
        free(d->keys);
        str_index_done(&d->index);
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

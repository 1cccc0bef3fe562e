/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>

#include "macro.h"
#include "strindex.h"

static size_t hash(const char *s) {
        size_t h = 5381;

        while (*s)
                h = h * 33 + (unsigned char) *s++;
        return h;
}

/* The slot of s: the one holding it, or the empty one where it would go. */
static size_t *slot(const StrIndex *x, const char *s, StrIndexKey key, const void *ctx) {
        size_t mask = x->cap - 1;

        for (size_t i = hash(s) & mask;; i = (i + 1) & mask)
                if (x->slots[i] == 0 || streq(key(ctx, x->slots[i] - 1), s))
                        return &x->slots[i];
}

size_t str_index_find(const StrIndex *x, const char *s, StrIndexKey key, const void *ctx) {
        size_t *p;

        if (x->cap == 0)
                return (size_t) -1;
        p = slot(x, s, key, ctx);
        return *p ? *p - 1 : (size_t) -1;
}

int str_index_add(StrIndex *x, size_t n, StrIndexKey key, const void *ctx) {
        if (2 * n > x->cap) {
                size_t cap = x->cap ? 2 * x->cap : 256;
                size_t *slots = calloc(cap, sizeof(size_t));

                if (!slots)
                        return -ENOMEM;
                free(x->slots);
                x->slots = slots;
                x->cap = cap;
                for (size_t i = 0; i + 1 < n; i++)
                        *slot(x, key(ctx, i), key, ctx) = i + 1;
        }
        *slot(x, key(ctx, n - 1), key, ctx) = n;
        return 0;
}

void str_index_done(StrIndex *x) {
        free(x->slots);
        *x = (StrIndex) {};
}

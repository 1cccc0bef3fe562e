/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * A hash index over an array that the caller owns and only appends to: lookups by a string
 * key in constant time where a scan would make a run quadratic (caches looked up once per
 * unit). Open addressing of indices + 1 (0: empty), at most half full, rebuilt on growth.
 * key(ctx, i) names entry i's key.
 */

#include <stddef.h>

typedef const char *(*StrIndexKey)(const void *ctx, size_t i);

typedef struct StrIndex {
        size_t *slots;
        size_t cap;             /* a power of two, 0 before the first entry */
} StrIndex;

/* The index of the entry whose key is s, or (size_t) -1. */
size_t str_index_find(const StrIndex *x, const char *s, StrIndexKey key, const void *ctx);
/* Index entry n - 1, just appended (n entries in all). 0 or -ENOMEM. */
int str_index_add(StrIndex *x, size_t n, StrIndexKey key, const void *ctx);
void str_index_done(StrIndex *x);

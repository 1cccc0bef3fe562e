/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* NULL-terminated string vectors. A NULL vector is a valid empty vector. */

#include <stdbool.h>
#include <stddef.h>

char **strv_free(char **l);
size_t strv_length(char * const *l);
bool strv_contains(char * const *l, const char *s);
/* Append s, taking ownership (freed on failure). */
int strv_consume(char ***l, char *s);
/* Append a copy of s. */
int strv_extend(char ***l, const char *s);
/* Append a copy of s unless already present. */
int strv_extend_uniq(char ***l, const char *s);
/* Append a formatted string unless already present. */
int strv_extend_uniqf(char ***l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append a formatted string, duplicates kept. */
int strv_extendf(char ***l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A deep copy; NULL on allocation failure (and for an empty vector: check the input). */
char **strv_copy(char * const *l);
void strv_sort(char **l);
/* Remove every copy of s (freeing it); returns 0. */
int strv_remove(char **l, const char *s);
/* Join with sep; NULL on allocation failure. */
char *strv_join(char * const *l, const char *sep);
/* Split on any of seps, dropping empty words. */
int strv_split(const char *s, const char *seps, char ***ret);

static inline void strv_freep(char ***l) { strv_free(*l); }
#define _cleanup_strv_free_ __attribute__((cleanup(strv_freep)))

#define STRV_FOREACH(s, l) for (char **s = (l); s && *s; s++)

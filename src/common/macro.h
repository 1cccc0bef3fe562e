/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Small helpers shared by every stage: scope-based cleanup in the style of systemd's
 * _cleanup_ macros, ownership transfer, and string predicates. Nothing here allocates.
 */

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _unused_ __attribute__((unused))

static inline void freep(void *p) { free(*(void **) p); }
static inline void fclosep(FILE **f) { if (*f) fclose(*f); }
static inline void closep(const int *fd) { if (*fd >= 0) close(*fd); }
/* Close if open; returns -1 to store back: fd = safe_close(fd). */
static inline int safe_close(int fd) { if (fd >= 0) close(fd); return -1; }
static inline void closedirp(DIR **d) { if (*d) closedir(*d); }

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_closedir_ _cleanup_(closedirp)

/* Hand ownership on: the variable is cleared so its cleanup handler does nothing. */
#define TAKE_PTR(p) ({ __typeof__(p) _p_ = (p); (p) = NULL; _p_; })
#define TAKE_FD(fd) ({ int _fd_ = (fd); (fd) = -1; _fd_; })

#define WHITESPACE " \t\n\r"
#define NEWLINE "\n\r"

static inline bool streq(const char *a, const char *b) { return strcmp(a, b) == 0; }
static inline bool streq_ptr(const char *a, const char *b) {
        return a && b ? streq(a, b) : a == b;
}
static inline bool isempty(const char *s) { return !s || !*s; }
static inline const char *strempty(const char *s) { return s ?: ""; }

static inline const char *startswith(const char *s, const char *prefix) {
        size_t l = strlen(prefix);
        return strncmp(s, prefix, l) == 0 ? s + l : NULL;
}

static inline const char *endswith(const char *s, const char *suffix) {
        size_t sl = strlen(s), xl = strlen(suffix);
        return sl >= xl && memcmp(s + sl - xl, suffix, xl) == 0 ? s + sl - xl : NULL;
}

/* Strip leading and trailing whitespace in place; returns the new start. */
char *strstrip(char *s);

/* strdup() that maps NULL to NULL, so optional strings can be copied in one call. */
static inline char *strdup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* Returns -ENOMEM on allocation failure, like every stage function. */
int asprintf_safe(char **ret, const char *fmt, ...) _printf_(2, 3);
/* systemd's parse_boolean(): 1 for "1 yes y true t on", 0 for "0 no n false f off" (any
 * case), else -EINVAL. */
int parse_boolean(const char *v);

/* Concatenate a NULL-terminated list of strings; NULL on allocation failure. */
char *strjoin_internal(const char *first, ...);
#define strjoin(...) strjoin_internal(__VA_ARGS__, NULL)

/* Grow *p (holding *n elements of size sz, capacity *cap) so it fits need elements. */
int grow_array(void **p, size_t *cap, size_t need, size_t sz);
#define GROW(p, cap, need) grow_array((void **) &(p), &(cap), (need), sizeof(*(p)))

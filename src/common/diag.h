/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Diagnostics collected by the stages. Stage code never prints: it appends a Diag naming
 * the file and line it is about, and src/cli decides how to show it (one line each, in the
 * "FILE:LINE: message" shape of systemd's log_syntax, or as JSON). Identical diagnostics
 * are kept once, because a drop-in shared by many units is read once per unit.
 */

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"
#include "strindex.h"

typedef enum DiagLevel {
        DIAG_ERROR,     /* input that could not be used: a unit skipped, a file ignored */
        DIAG_WARNING,   /* input used with a part ignored, or a need left unmet */
        DIAG_NOTICE,    /* worth knowing, nothing lost */
} DiagLevel;

typedef struct Diag {
        DiagLevel level;
        char *file;     /* NULL when not about a file */
        unsigned line;  /* 0 when not about a line */
        char *message;
} Diag;

typedef struct DiagList {
        Diag *items;
        size_t n, cap;
        /* Private to diag.c: keys[i] identifies items[i] (level, line, file, message),
         * indexed, so that keeping each diagnostic once costs constant time, not a scan
         * (a yp.conf of 200,000 lines, each warned about, took minutes). */
        char **keys;
        size_t keys_cap;
        StrIndex index;
} DiagList;

/* Returns 0, or -ENOMEM. A NULL list swallows the diagnostic (used for simulations). */
int diag_add(DiagList *d, DiagLevel level, const char *file, unsigned line, const char *fmt, ...)
        _printf_(5, 6);
void diag_list_done(DiagList *d);
const char *diag_level_to_string(DiagLevel level);
size_t diag_count(const DiagList *d, DiagLevel level);

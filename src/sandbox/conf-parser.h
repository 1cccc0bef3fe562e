/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The generic line reader of systemd 252's config_parse() (src/shared/conf-parser.c),
 * without the key table: it returns the assignments in file order, and the caller's
 * table gives them meaning. What it reproduces, because it changes what a file means:
 *   - lines end at \n, \r or NUL; a UTF-8 BOM is skipped; lines longer than 1 MiB abort;
 *   - lines whose first non-blank is '#' or ';' are comments, also between continued lines;
 *   - a line ending in an unescaped '\' continues on the next one (the '\' becomes ' ');
 *   - "[Section]" needs the closing ']' and no quotes/control characters, else reading
 *     stops there (systemd then refuses a unit file; a drop-in keeps what came before);
 *   - invalid UTF-8 stops reading the same way;
 *   - unknown sections are skipped with a warning ("X-" ones silently), assignments before
 *     any section and lines without '=' are skipped with a warning.
 */

#include <stdio.h>

#include "diag.h"

typedef struct ConfItem {
        char *section;          /* one allocation with key and value: free() only this */
        char *key;
        char *value;
        unsigned line;
} ConfItem;

typedef struct ConfFile {
        ConfItem *items;
        size_t n_items, cap;
        int error;              /* < 0: reading stopped early at error_line */
        unsigned error_line;
} ConfFile;

/* sections: NUL-separated list of valid section names ("Unit\0Service\0Install\0"), or
 * NULL for any. Returns 0 (a stop is recorded in ret->error, with a diagnostic), or
 * -ENOMEM. display is the file name used in diagnostics. */
int conf_parse(FILE *f, const char *display, const char *sections, ConfFile *ret, DiagList *diags);
/* The same on text in memory: size bytes, which may hold NULs (they end lines), followed
 * by a terminating NUL at text[size] (as root_read_file() gives). */
int conf_parse_text(const char *text, size_t size, const char *display, const char *sections, ConfFile *ret,
                    DiagList *diags);
void conf_file_done(ConfFile *c);

#define CONF_LINE_MAX (1U * 1024U * 1024U)

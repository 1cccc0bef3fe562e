/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Which file is a unit, and which files add to it: a model of systemd 252's
 * unit_file_build_name_map(), unit_file_find_fragment() and
 * unit_file_find_dropin_paths() (src/basic/unit-file.c, src/shared/dropin.c).
 *
 *  - Every search directory is scanned once, highest priority first; for each unit name
 *    the first directory that has it wins. A symlink whose target lies inside the search
 *    path is an alias (validated as systemd does: same type, no self-alias, instance and
 *    template rules); a symlink elsewhere, or to /dev/null, is a linked file or a mask.
 *  - A unit's names are its own name plus every alias pointing to it; an instance whose
 *    own name has no file uses its template's.
 *  - Drop-in directories are searched in systemd's order: the unit's name in every search
 *    directory (with the template's and each "-" prefix's directory after it), then each
 *    alias likewise, then the type-wide "service.d". Files are taken by name, the first
 *    directory in that order winning, and applied sorted by file name.
 *
 * Known difference: systemd walks a unit's aliases in hash-table order; we walk them
 * sorted, which only matters when two aliases carry a drop-in of the same file name.
 */

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "lookup-paths.h"
#include "rootfs.h"

typedef struct UnitEntry {
        char *name;
        char *path;             /* "<dir>/<name>" inside the root; NULL for aliases */
        char *alias;            /* for an alias symlink: the unit name it points to */
        unsigned dir;           /* index into the search path */
        bool masked;            /* empty, a character device, or a symlink to /dev/null */
} UnitEntry;

typedef struct UnitIndex {
        const Root *root;
        LookupPaths lp;
        UnitEntry *entries;     /* sorted by name, one per name */
        size_t n_entries;
        char **dirs;            /* existing ".d", ".wants", ".requires" dirs, sorted */
        size_t n_dirs;
        char **dir_names;       /* their file names ("x.service.d"), sorted: n_dirs of them */
        char **output_names;    /* every entry of UNIT_OUTPUT_DIR, sorted, when output_listed */
        size_t n_output_names;
        bool output_listed;
        char **alias_dst;       /* reverse map, parallel arrays sorted by dst */
        char **alias_src;
        size_t n_alias;
} UnitIndex;

typedef struct DropinCandidate {
        char *path;             /* inside the root */
        char *name;             /* file name */
        unsigned order;         /* position of its directory in the search order */
} DropinCandidate;

int unit_index_load(UnitIndex *x, const Root *root, DiagList *diags);
void unit_index_done(UnitIndex *x);

const UnitEntry *unit_index_find(const UnitIndex *x, const char *name);
/* UNIT_OUTPUT_DIR had no entry of that name when the index was built. */
bool unit_index_output_absent(const UnitIndex *x, const char *name);

/* The fragment of a unit and all its names (unit_file_find_fragment). *ret_fragment is
 * NULL when no file provides the unit; names include unit_name itself unless it is a
 * template. Names of a template's aliases are turned into instances for an instance. */
int unit_index_find_fragment(const UnitIndex *x, const char *unit_name,
                             const UnitEntry **ret_fragment, char ***ret_names);

/* Every *.conf in the unit's drop-in directories, in search order, including files
 * shadowed by a same-named file earlier in the order. ret_our_order is the position
 * UNIT_OUTPUT_DIR/<id>.d has (or would have) in that order. */
int unit_index_find_dropins(const UnitIndex *x, const char *id, char * const *aliases,
                            DropinCandidate **ret, size_t *ret_n, unsigned *ret_our_order);
void dropin_candidates_free(DropinCandidate *c, size_t n);

/* systemd's hidden_or_backup_file(): names a directory scan must skip. */
bool hidden_or_backup_file(const char *name);

/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The system unit search path of systemd 252 as Debian builds it (split-usr=true, so
 * /lib/systemd/system comes before /usr/lib/systemd/system), highest priority first —
 * src/basic/path-lookup.c lookup_paths_init(), LOOKUP_SCOPE_SYSTEM. Paths are inside the
 * root. Directories that are symlinks to one another (merged /usr) collapse into one.
 */

#include <stddef.h>

#include "rootfs.h"

#define UNIT_OUTPUT_DIR "/etc/systemd/system"

typedef struct LookupPaths {
        char **search_path;     /* priority order, as systemd lists them */
        char **expanded;        /* search_path plus each entry's canonical spelling */
        char **canonical;       /* canonical spelling of search_path[i], or NULL if missing */
} LookupPaths;

int lookup_paths_init(LookupPaths *lp, const Root *root);
void lookup_paths_done(LookupPaths *lp);
/* Does path (inside the root, simplified) lie below one of the expanded search dirs? */
const char *lookup_paths_tail(const LookupPaths *lp, const char *path);

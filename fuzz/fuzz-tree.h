/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * A scratch root for the fuzz targets whose parser reads files through a Root (pam.d with
 * its includes, units and drop-ins, ELF files, rules, the server configurations).
 *
 * One directory per fuzzer process, under $HC_FUZZ_TMP (make fuzz points it at a
 * directory in /dev/shm, memory-backed) or /dev/shm, emptied before every input. An input
 * holding several files is split at FUZZ_SEP (ASCII RS, 0x1e, a byte real configuration
 * files do not contain); each piece is "PATH\nCONTENT", PATH inside the root. Paths are
 * sanitised here, the harness' own writes never leave the scratch directory: a piece whose
 * path has a ".." component, a control byte or is too long is dropped.
 *
 * Everything aborts on a harness failure (cannot create the scratch root): that is not a
 * finding about the parser, and libFuzzer reports it as a crash to look at.
 */

#include <stddef.h>
#include <stdint.h>

#include "rootfs.h"

#define FUZZ_SEP '\x1e'
#define FUZZ_MAX_PIECES 16
#define FUZZ_PATH_MAX 200

typedef struct FuzzPiece {
        char path[FUZZ_PATH_MAX + 1];   /* inside the root, starting with '/' */
        const uint8_t *data;
        size_t size;
} FuzzPiece;

/* The scratch root's host path, created on first use, emptied on every call. */
const char *fuzz_tree_reset(void);

/* Split data at FUZZ_SEP into at most max pieces (the rest is ignored). A piece's first
 * line is its path; a relative one is taken below default_dir. Returns the count. */
size_t fuzz_tree_split(const uint8_t *data, size_t size, const char *default_dir,
                       FuzzPiece *ret, size_t max);

/* Write size bytes at path (inside the scratch root), creating its directories. A path
 * that is taken by a directory, or whose parent is a file, is skipped: returns -errno. */
int fuzz_tree_write(const char *root, const char *path, const uint8_t *data, size_t size);

/* All of the above for one input: split data (relative names below default_dir), empty the
 * scratch root, write the pieces and open it as *root. Returns the count of pieces (0: the
 * input holds none, *root is then open on the empty tree). */
size_t fuzz_tree_load(const uint8_t *data, size_t size, const char *default_dir,
                      FuzzPiece *pieces, Root *root);

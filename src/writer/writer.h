/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Stage 5: the only code that writes. Given the desired drop-ins (unit name → text),
 * it makes <root>/etc/systemd/system match them:
 *   - writes a drop-in whose content differs (or one of the files written with it), atomically: a hidden temp file in the same
 *     directory (O_CREAT|O_EXCL|O_NOFOLLOW, a name not ending in ".conf", so systemd can
 *     never read a half-written file), write, fchmod 0644, fsync, renameat, fsync the
 *     directory, batched over many units (writer.c); an identical file is not touched
 *     (no write, no mtime change);
 *   - removes our drop-ins no longer wanted — only files named OUR_DROPIN_NAME directly in
 *     a "<unit>.d" directory whose first line is our header — and the directory if that
 *     leaves it empty;
 *   - never writes outside <root>/etc/systemd/system: unit names are validated, every
 *     directory is opened component by component with O_NOFOLLOW, a symlinked directory
 *     is refused;
 *   - holds an exclusive flock on <root>/etc/systemd/system for the whole run, so two
 *     runs never interleave.
 * Errors are -errno with the failing path and step in *ret_error (one line).
 */

#include <stdbool.h>
#include <stddef.h>

#include "rootfs.h"

/* A file written next to the drop-in (a script it binds, a table that script reads): named
 * OUR_FILE_PREFIX…, in the same directory, with our header on its first line or on the line
 * after "#!". Written before the drop-in and removed after it, so the drop-in never names a
 * missing file; one not wanted any more is removed when it is ours. */
#define OUR_FILE_PREFIX "zz-hardening-compat."

typedef struct WantedFile {
        const char *name;
        const char *text;
        unsigned mode;
} WantedFile;

typedef struct WantedDropin {
        const char *unit;
        const char *text;
        const WantedFile *files;
        size_t n_files;
} WantedDropin;

typedef enum WriteAction {
        WRITE_UNCHANGED,
        WRITE_CREATED,
        WRITE_UPDATED,
        WRITE_REMOVED,
        WRITE_FAILED,
} WriteAction;

typedef struct WriteResult {
        char *unit;
        char *path;             /* host path */
        WriteAction action;
        char *error;            /* for WRITE_FAILED */
} WriteResult;

typedef struct WriteReport {
        WriteResult *items;
        size_t n, cap;
        bool changed;           /* something was created, updated or removed */
} WriteReport;

/* dry_run: compute the report without writing. Returns 0 even when single files failed
 * (see the report), -errno when the output directory itself is unusable. */
int writer_apply(const Root *root, const WantedDropin *wanted, size_t n, bool dry_run,
                 WriteReport *report, char **ret_error);
void write_report_done(WriteReport *r);
const char *write_action_to_string(WriteAction a);

/* For reading the files of many units: UNIT_OUTPUT_DIR opened once, read-only. An fd, or
 * -errno: -ENOMEM, or any other when there is none or it is unusable (writer_apply()
 * reports that), and then there is nothing to read. */
int writer_open_output(const Root *root);
/* Our file NAME (OUR_DROPIN_NAME or OUR_FILE_PREFIX…) of a unit's drop-in directory in
 * sysfd, from writer_open_output(): NULL when there is none or it is not ours. */
int writer_read_file(int sysfd, const char *unit, const char *name, char **ret);

/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * PAM service stacks as Debian's libpam 1.5.2 reads them (libpam/pam_handlers.c with
 * Debian's 031_pam_include patch):
 *   - the service name is lower-cased; its file is /etc/pam.d/NAME, else
 *     /usr/lib/pam.d/NAME — the first that opens, whole;
 *   - "other" is read too: each management group the service leaves empty is taken from
 *     it (all four when the service has no file);
 *   - a logical line ends at the first '#'; a '\' at its end (before blanks) continues it
 *     on the next line; past 1023 bytes fgets() cuts it and the rest is read as a line of
 *     its own; a file ending inside a continued line aborts the whole service;
 *   - tokens are blank-separated, except that one starting with '[' runs to the first ']'
 *     ("\]" inside stands for ']');
 *   - "type control module args", type case-insensitive, a leading '-' makes a missing
 *     module silent; "@include NAME" (any type at the top, all lines of NAME), and the
 *     controls "include NAME"/"substack NAME" (only NAME's lines of that type); a relative
 *     NAME is /etc/pam.d/NAME only (Debian's patch applies to all three);
 *   - a relative module path is /lib/<multiarch>/security/NAME, else /lib/security/NAME.
 * libpam has no include-cycle check (it recurses until it runs out of file
 * descriptors); we stop at a cycle, or at 16 levels, and report the chain.
 */

#include <stdbool.h>

#include "diag.h"
#include "rootfs.h"

typedef enum PamType {
        PAM_TYPE_AUTH,
        PAM_TYPE_ACCOUNT,
        PAM_TYPE_PASSWORD,
        PAM_TYPE_SESSION,
        _PAM_TYPE_MAX,
        PAM_TYPE_ANY = _PAM_TYPE_MAX,
} PamType;

typedef struct PamEntry {
        PamType type;
        char *control;          /* as written, brackets stripped */
        char *module;           /* the module field as written */
        char *module_name;      /* its file name, "pam_unix.so" */
        char *module_path;      /* the file libpam would load, inside the root; NULL: none */
        char **args;
        bool silent;            /* "-type": a missing module is not logged */
        bool from_other;        /* taken from the "other" service */
        char *chain;            /* "/etc/pam.d/sshd:4 → /etc/pam.d/common-auth:17" */
} PamEntry;

typedef struct PamStack {
        char *service;          /* lower-cased */
        char *file;             /* the service's own file, NULL when only "other" applies */
        PamEntry *entries;
        size_t n, cap;
        bool aborted;           /* libpam would refuse the whole service */
        char *abort_reason;
} PamStack;

/* Returns 0 (problems are diagnostics, and aborted stacks are marked), -EINVAL for a
 * service name that cannot be a file name, -ENOMEM. */
int pam_stack_load(const Root *root, const char *service, PamStack *ret, DiagList *diags);
void pam_stack_done(PamStack *s);

const char *pam_type_to_string(PamType t);

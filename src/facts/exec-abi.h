/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Which system call ABIs a unit's processes execute, each with how it was found:
 *   1. every Exec*= command that runs inside the sandbox ("+" commands run with none),
 *      resolved as systemd resolves it (exec_resolve()), identified from its ELF header
 *      (elf_identify(): class, byte order, e_machine, MIPS flags; "#!" scripts through
 *      their interpreter, "/usr/bin/env NAME" through PATH, at most 4 levels). Nothing is
 *      ever executed. A native "#!/bin/sh" script is native, whatever it is called;
 *   2. when the dpkg database has foreign architectures: the packages shipping those
 *      files and the unit file ("nginx:i386" is itself evidence), and every executable
 *      ELF file those packages ship whose ABI is not native — the helpers a daemon runs
 *      later (a wrapper script of an i386 package that execs its i386 daemon).
 * Results per file and per package are kept in Facts: each file is read once per run.
 */

#include <stdbool.h>

#include "diag.h"
#include "facts.h"
#include "rootfs.h"

typedef struct ExecAbi {
        char *key;              /* "ExecStart"; NULL for a package's helper */
        char *origin;           /* "FILE:LINE" of the command, or "shipped by PACKAGE" */
        char *command;          /* the executable as written */
        char *file;             /* the file it resolves to, inside the root; NULL: not found */
        char *elf;              /* the ELF file reached through the "#!" chain */
        char **interpreters;    /* that chain, as written, outermost first */
        const char *abi;        /* systemd's name, NULL when unidentified or nameless */
        char *description;      /* "ELF 32-bit LSB, e_machine 3" */
        char **packages;        /* shipping file or elf, "name:arch" */
        char *error;            /* why it could not be identified */
} ExecAbi;

typedef struct ExecAbiList {
        ExecAbi *items;
        size_t n, cap;
} ExecAbiList;

/* One Exec*= command that runs inside the sandbox. */
typedef struct ExecLine {
        const char *key;                /* "ExecStart" */
        const char *path;               /* the executable as written */
        const char *file;               /* where the line is, for messages */
        unsigned line;
} ExecLine;

typedef struct ExecAbiUnit {
        const char *unit_file;          /* the fragment, inside the root; NULL if none */
        const ExecLine *exec;
        size_t n_exec;
        bool restricted;                /* SystemCallArchitectures= is set: warn about what cannot be read */
} ExecAbiUnit;

int exec_abi_find(Facts *f, const Root *root, const ExecAbiUnit *u, ExecAbiList *ret, DiagList *diags);
void exec_abi_list_done(ExecAbiList *l);
/* How the ABI was found: "ELF header of /usr/sbin/nginx [nginx:i386]",
 * "\"#!/bin/sh\" → ELF header of /bin/sh", or for a helper "ELF header of X; P ships it…" */
char *exec_abi_how(const ExecAbi *e);
/* facts_done() part: the caches. */
void exec_abi_cache_done(Facts *f);

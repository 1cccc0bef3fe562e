/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * What an executable of the inspected root is, read from its bytes and never run:
 *   - the system call ABI its ELF header implies (EI_CLASS, EI_DATA, e_machine, and the
 *     MIPS n32 flag), as systemd's SystemCallArchitectures= names it; the kernel's
 *     AUDIT_ARCH values are built the same way (mechanics.md §6);
 *   - for "#!" scripts, the interpreter (and "/usr/bin/env NAME" through PATH), followed
 *     to an ELF file at most 4 levels deep;
 *   - the libraries it needs (DT_NEEDED), transitively, found as ld.so would: DT_RPATH
 *     (when there is no DT_RUNPATH) and DT_RUNPATH with $ORIGIN, the root's
 *     /etc/ld.so.conf directories, then the default multiarch and plain lib dirs.
 * Truncated or malformed files give -EBADMSG (or -ENOEXEC: not ELF and not a script).
 */

#include <stdbool.h>
#include <stdint.h>

#include "rootfs.h"

typedef struct ElfInfo {
        char *path;             /* the ELF file finally reached (inside the root) */
        char **interpreters;    /* the "#!" chain that led there, outermost first */
        bool is_64;
        bool big_endian;
        uint16_t type;          /* e_type: ET_EXEC 2, ET_DYN 3 */
        uint16_t machine;
        uint32_t flags;
        const char *abi;        /* SystemCallArchitectures= name, NULL if none exists */
} ElfInfo;

/* Identify path (inside the root). Returns 0, -ENOEXEC (neither ELF nor a script),
 * -EBADMSG (truncated/malformed), -ELOOP (interpreter chain too deep), or -errno. */
int elf_identify(const Root *root, const char *path, ElfInfo *ret);
void elf_info_done(ElfInfo *e);

/* The systemd ABI name of an ELF class/byte order/machine/flags, NULL if none. */
const char *elf_abi_name(bool is_64, bool big_endian, uint16_t machine, uint32_t flags);

/* Does the ELF file at path need library soname (e.g. "libpam.so.0"), directly or through
 * its libraries? *ret_via is the chain ("sshd → libpam.so.0"). 1 yes, 0 no, <0 error. */
int elf_needs_library(const Root *root, const char *path, const char *soname, char **ret_via);
/* elf_needs_library() keeps what it parsed and searched for the rest of the process, for
 * one root whose files do not change meanwhile; a caller that changes them (a fuzzer
 * rewriting its scratch root) empties it first. */
void elf_cache_flush(void);

/* An executable name as systemd resolves it (absolute, or searched in its exec path:
 * /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin), inside the root. */
int exec_resolve(const Root *root, const char *name, char **ret);

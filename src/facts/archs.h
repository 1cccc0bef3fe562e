/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The system call ABIs of the inspected root, as SystemCallArchitectures= names them:
 *   - native: the ABI systemd itself was built for (its "native"); read from the ELF
 *     header of the root's systemd binary, else mapped from dpkg's native architecture,
 *     else the ABI hardening-compat was built for;
 *   - local: the ABIs a kernel of that architecture executes directly, systemd 252's
 *     seccomp_local_archs[] (src/shared/seccomp-util.c). Only those can be refused by
 *     SystemCallArchitectures=: a binary of any other ABI runs, if at all, through a
 *     binfmt_misc emulator (qemu-user), whose own system calls are native;
 *   - dpkg's native and foreign architectures (libdpkg, honouring DPKG_ADMINDIR), each
 *     with its ABI (dpkg-architecture's cputable/tupletable, mechanics.md §6).
 */

#include <stdbool.h>

#include "diag.h"
#include "rootfs.h"

typedef struct HostArchs {
        const char *native_abi;         /* "x86-64" */
        char *native_abi_source;        /* how native_abi was found, for explain/status */
        const char **local_abis;        /* NULL-terminated, native included */
        char *dpkg_native;              /* "amd64"; NULL without a dpkg database */
        char **dpkg_foreign;            /* "i386", … */
} HostArchs;

int host_archs_load(HostArchs *ret, const Root *root, DiagList *diags);
void host_archs_done(HostArchs *a);

/* The SystemCallArchitectures= name of a dpkg architecture ("i386" → "x86"), NULL when
 * systemd 252 has none (loong64, alpha, …) or the architecture is unknown. */
const char *abi_of_dpkg_arch(const char *arch);
/* Whether the kernel runs binaries of this ABI directly (it is in local_abis). */
bool host_archs_runs_natively(const HostArchs *a, const char *abi);

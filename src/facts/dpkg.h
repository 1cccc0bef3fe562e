/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The dpkg database of the inspected root, through libdpkg (static, volatile API): its
 * architectures and which package ships a path. Every libdpkg call lives in dpkg.c,
 * inside an error context that turns libdpkg's longjmp-style errors into -EIO, so they
 * never cross into the rest of the code. The database is <root>/var/lib/dpkg, or
 * $DPKG_ADMINDIR when set (as in a dpkg hook). File lists are loaded only when an owner is
 * first asked for. libdpkg keeps global state: one root per process.
 */

#include "diag.h"
#include "rootfs.h"

typedef struct DpkgArchs {
        char *native;           /* NULL when the root has no dpkg database */
        char **foreign;
} DpkgArchs;

/* 0, -ENOENT (no database: *ret stays empty), -EIO (libdpkg failed; a diagnostic says
 * why), -ENOMEM. */
int dpkg_load_archs(const Root *root, DpkgArchs *ret, DiagList *diags);
void dpkg_archs_done(DpkgArchs *a);

/* Packages ("name:arch") that ship path; both spellings of merged-/usr paths are tried
 * (/lib/x and /usr/lib/x are different names to dpkg). 0 with *ret NULL: not owned. */
int dpkg_owners(const Root *root, const char *path, char ***ret, DiagList *diags);

/* The paths a package ("name" or "name:arch") ships. */
int dpkg_package_files(const Root *root, const char *package, char ***ret, DiagList *diags);

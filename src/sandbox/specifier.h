/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * %-specifiers in unit file values, as systemd 252's unit_full_printf() expands them
 * (src/core/unit-printf.c, src/shared/specifier.c), for the system manager. Host-specific
 * ones (%H, %m, %o, …) are read from the inspected root, not from the machine we run on.
 * An unknown alphanumeric specifier is an error (-EBADSLT), as in systemd; any other
 * character after '%' is kept verbatim.
 */

#include "rootfs.h"

typedef struct HostInfo {
        char *hostname;         /* /etc/hostname of the root, "localhost" if none */
        char *machine_id;       /* /etc/machine-id, empty if none */
        char *boot_id;
        char *kernel_release;
        char *os_release[6];    /* ID VERSION_ID BUILD_ID VARIANT_ID IMAGE_ID IMAGE_VERSION */
} HostInfo;

int host_info_load(HostInfo *h, const Root *root);
void host_info_done(HostInfo *h);

typedef struct SpecifierContext {
        const char *id;                 /* unit name */
        const char *instance;           /* NULL unless an instance */
        const char *fragment_path;      /* inside the root, or NULL */
        const HostInfo *host;
} SpecifierContext;

/* Returns 0, -EBADSLT for an unknown specifier, -EINVAL for an unusable value, -ENOMEM. */
int specifier_expand(const SpecifierContext *c, const char *text, char **ret);

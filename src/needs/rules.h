/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Stage 3a: the knowledge, read from fragments/NAME.rules (format: fragments/README.md).
 *
 * Directories, first one wins per file name (an empty file or /dev/null symlink masks):
 *   <root>/etc/hardening-compat/fragments.d
 *   <root>/run/hardening-compat/fragments.d
 *   <root>/usr/share/hardening-compat/fragments.d
 *   the built-in directory (DATADIR/fragments.d, or --rules-dir), read from the host.
 * Files are read in file-name order. A rule without Kind=, Name= or Source= is rejected;
 * a second rule for the same Kind=/Name= is rejected naming both files.
 */

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "rootfs.h"

typedef enum RuleKind {
        RULE_NSS,
        _RULE_KIND_MAX,
} RuleKind;

typedef struct Rule {
        char *file;             /* host path */
        char *file_name;        /* "nss-sss.rules" */
        unsigned line;          /* of Name= */
        RuleKind kind;
        char *name, *package, *module, *contacts, *verified;
        char *daemon;           /* the unit of the daemon that answers the module, if any */
        char **sources;
        uint32_t databases;     /* bit per NssDb; 0: every database */
        uint64_t families;      /* bit per AF_* */
        char **servers;         /* "resolv.conf", "yp.conf", "localhost", "pgsql", or an address */
        bool server_families;
} Rule;

typedef struct RuleSet {
        Rule *rules;
        size_t n, cap;
        char **files;           /* every file read, host paths, for status */
} RuleSet;

/* builtin_dir: host directory searched last (NULL: none). */
int rules_load(RuleSet *s, const Root *root, const char *builtin_dir, DiagList *diags);
void rules_done(RuleSet *s);
const Rule *rules_find(const RuleSet *s, RuleKind kind, const char *name);
const char *rule_kind_to_string(RuleKind k);

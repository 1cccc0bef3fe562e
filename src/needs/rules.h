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
 * a second rule for the same Kind=, Name= and Arguments= is rejected naming both files.
 */

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "rootfs.h"

typedef enum RuleKind {
        RULE_NSS,               /* an NSS service of nsswitch.conf */
        RULE_PAM,               /* a PAM module */
        RULE_PAM_SERVICE,       /* which units run a PAM service */
        RULE_MTA,               /* a mail transport agent: what submitting through its sendmail takes */
        RULE_MAIL_SENDER,       /* which units send mail */
        RULE_MAIL_LOOPBACK,     /* a program that can stand in for sendmail, over a loopback SMTP listener */
        _RULE_KIND_MAX,
} RuleKind;

typedef enum HomeAccess {
        HOME_NONE,
        HOME_READ,
        HOME_WRITE,
} HomeAccess;

typedef enum HelperWhen {
        HELPER_ALWAYS,
        HELPER_NOT_ROOT,        /* only when the caller cannot read what the helper reads */
} HelperWhen;

/* What a module needs from the sandbox: one [Needs] or [Needs:TYPE] section. */
typedef struct NeedsSpec {
        uint32_t databases;     /* NSS: bit per NssDb; 0: every database */
        uint64_t families;      /* bit per AF_* */
        char **servers;         /* "resolv.conf", "yp.conf", "localhost", "pgsql", "krb5.conf", … or an address */
        bool server_families;
        char **read_write_paths;
        HomeAccess home;
        uint64_t capabilities;
        char **syscalls;        /* "@setuid", or single system call names */
        char **namespaces;      /* "mnt", "net", … */
        char **devices;         /* DeviceAllow= specifications */
        char *helper;
        HelperWhen helper_when;
        bool helper_checks_group;       /* a setgid helper that checks it runs with its group itself:
                                         * a supplementary group does not substitute for the bit */
} NeedsSpec;

#define PAM_TYPES 4             /* auth account password session, as in pamd.h */

typedef struct Rule {
        char *file;             /* host path */
        char *file_name;        /* "nss-sss.rules" */
        unsigned line;          /* of Name= */
        RuleKind kind;
        char *name, *module, *contacts, *verified;
        char **packages;
        char **daemons;         /* units of the daemons that answer the module */
        char **sources;
        /* PAM modules */
        uint32_t types;         /* bit per PamType the module implements; 0: all */
        char **arguments;       /* stack-line arguments required ("x", "x=") or refused ("!x") */
        bool confinable;
        /* PAM services, mail senders */
        char **units;           /* units whose processes call pam_start() with Name=, or send mail */
        char **programs;        /* the programs that call it, for explain */
        /* MTAs */
        char **sendmail;        /* the file /usr/sbin/sendmail resolves to when this MTA provides it;
                                 * mail-loopback: the program that stands in for it */
        char *listener;         /* the reader of the MTA's loopback SMTP listener ("exim4") */
        char **listener_daemons;/* the units that run that listener */
        NeedsSpec needs;
        NeedsSpec needs_type[PAM_TYPES];        /* [Needs:auth] … */
        bool has_type[PAM_TYPES];
} Rule;

typedef struct RuleSet {
        Rule *rules;
        size_t n, cap;
        size_t *by_name;        /* positions in rules, sorted by kind, name, then file order
                                 * (rules_load(); NULL: lookups scan every rule) */
        char **files;           /* every file read, host paths, for status */
} RuleSet;

/* builtin_dir: host directory searched last (NULL: none). */
int rules_load(RuleSet *s, const Root *root, const char *builtin_dir, DiagList *diags);
void rules_done(RuleSet *s);
/* The rule of an NSS service or a PAM module without arguments. */
const Rule *rules_find(const RuleSet *s, RuleKind kind, const char *name);
/* The rule for a PAM stack line: the first rule with Arguments= that matches args, else
 * the rule without Arguments=. */
const Rule *rules_find_pam(const RuleSet *s, const char *module, char * const *args);
const char *rule_kind_to_string(RuleKind k);
/* The MTA rule of the package that ships the file sendmail resolves to (packages: its
 * dpkg owners, "name:arch"); without an owner, the rule whose Sendmail= is that file and
 * whose Helper= exists in the root, or the only rule naming that file. */
const Rule *rules_find_mta(const RuleSet *s, const Root *root, const char *resolved, char * const *packages);
/* "libnss-sss" or "libpam-krb5, libpam-heimdal" (static buffer per call site is not used:
 * newly allocated). */
char *rule_packages(const Rule *r);

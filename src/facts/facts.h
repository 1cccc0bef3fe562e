/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Stage 1: host facts. Everything hardening-compat knows about the inspected root that
 * is not a unit: the NSS configuration, whether "compat" entries delegate to the
 * *_compat databases, and the servers NSS modules would contact.
 *
 * Input: a Root. Output: a Facts the caller owns (facts_done()). Reads files of the root
 * only; problems become diagnostics, never a failure (only -ENOMEM fails).
 */

#include <stdbool.h>

#include "archs.h"
#include "config.h"
#include "diag.h"
#include "nsswitch.h"
#include "mta.h"
#include "pamd.h"
#include "rootfs.h"
#include "servers.h"
#include "strindex.h"

/* The first "+"/"-" entry of /etc/passwd, /etc/group, /etc/shadow, if any: with the
 * "compat" service those are looked up through passwd_compat/group_compat/shadow_compat. */
typedef struct CompatUse {
        char *origin;           /* "/etc/passwd:12" (inside the root), NULL when the file has none */
        char *entry;            /* the entry as written, e.g. "+@admins" */
} CompatUse;

enum { COMPAT_PASSWD, COMPAT_GROUP, COMPAT_SHADOW, _COMPAT_MAX };

typedef struct LiteralServer {
        char *word;
        ServerList list;
} LiteralServer;

/* A helper program a module runs (Helper= of a rule), as it is on disk: dpkg-statoverride
 * may have changed its mode or group. */
typedef struct HelperFile {
        char *path;
        bool present;
        bool setuid, setgid;
        char *owner, *group;    /* names from the root's /etc/passwd and /etc/group, else the number */
} HelperFile;

/* Whether an executable needs libpam.so.0, and through which libraries. */
typedef struct LibpamUse {
        char *path;
        char *via;              /* NULL: it does not */
} LibpamUse;

typedef struct Facts {
        char *root;                     /* the root's host path, to name its files as the root sees them */
        HcConfig config;                /* /etc/hardening-compat/hardening-compat.conf */
        NssConfig nss;
        CompatUse compat[_COMPAT_MAX];
        ServerList nameservers;         /* resolv.conf */
        ServerList yp_servers;          /* yp.conf */
        ServerList localhost;
        ServerList pgsql;               /* nss-pgsql.conf connection strings */
        LiteralServer *literals;        /* addresses written in rules, PAM modules' config files */
        size_t n_literals;
        char **enabled_daemons;         /* Daemon= units of rules that are enabled */
        char **installed_modules;       /* Module= files of NSS rules present in the root */
        bool nss_modules_observable;    /* the root has libc's NSS modules: a missing one is really missing */
        HelperFile *helpers;            /* Helper= files of the rules */
        size_t n_helpers;
        PamStack **pam_stacks;          /* PAM services loaded so far (facts_pam_stack()) */
        size_t n_pam_stacks;
        LibpamUse *libpam;              /* pam-use.c's cache */
        size_t n_libpam, libpam_cap;
        StrIndex libpam_index;          /* libpam by path */
        HostArchs archs;                /* ABIs: systemd's native one, the kernel's, dpkg's */
        MtaFacts mta;                   /* what /usr/sbin/sendmail is */
        struct MailScan *mail_scans;    /* mail-use.c's cache */
        size_t n_mail_scans, mail_scans_cap;
        StrIndex mail_scan_index;       /* mail_scans by path */
        struct FileAbi *file_abis;      /* exec-abi.c's caches */
        size_t n_file_abis, file_abis_cap;
        StrIndex file_abi_index;        /* file_abis by path */
        struct PackageAbis *package_abis;
        size_t n_package_abis, package_abis_cap;
} Facts;

struct RuleSet;

int facts_load(Facts *f, const Root *root, DiagList *diags);
/* The facts the rules ask about: their daemons, their module files, literal servers. */
int facts_load_for_rules(Facts *f, const Root *root, const struct RuleSet *rules, DiagList *diags);
void facts_done(Facts *f);
bool facts_daemon_enabled(const Facts *f, const char *unit);
bool facts_module_installed(const Facts *f, const char *module);
/* A host path of a file in the root as the root names it ("/tmp/r/etc/x" → "/etc/x"). */
const char *facts_path_in_root(const Facts *f, const char *host_path);

/* facts-pam.c: read the Helper= files of the rules; free what facts_pam_stack() kept. */
int facts_load_helpers(Facts *f, const Root *root, const struct RuleSet *rules);
void facts_pam_done(Facts *f);
const HelperFile *facts_helper(const Facts *f, const char *path);
/* The name of a numeric id in the root's passwd(5)/group(5) file, else the number. */
char *facts_name_of_id(const Root *root, const char *file, unsigned long id);
/* The stack of a PAM service, loaded on first use and kept. */
int facts_pam_stack(Facts *f, const Root *root, const char *service, const PamStack **ret, DiagList *diags);
/* Every PAM service of the root: the file names of /etc/pam.d and /usr/lib/pam.d. */
int facts_pam_services(const Root *root, char ***ret);

/* The server list a rule's Servers= word names; NULL for an unknown word. */
const ServerList *facts_servers(const Facts *f, const char *provider);

/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * /etc/nsswitch.conf as glibc 2.36 reads it (nss/nss_database.c process_line(),
 * nss/nss_action_parse.c), including what glibc does *not* do:
 *   - no comment stripping: "passwd: files # x" makes glibc try modules "#" and "x"
 *     (harmless: they fail to load and the lookup continues); we keep them, marked;
 *   - no continuation lines; database and service names are case-sensitive;
 *   - a last line without a terminating newline is dropped (glibc sees end-of-file
 *     before it processes that line);
 *   - an unparsable [STATUS=ACTION] anywhere aborts the whole reload: glibc then has no
 *     configuration and every lookup of every database fails (verified: getent passwd
 *     root returns 2 with such a file). We report that as an error, not per line;
 *   - a missing line takes glibc's default (Debian builds without obsolete NSL):
 *     hosts/networks "files dns", *_compat "nis", publickey "nis nisplus", others
 *     "files"; shadow inherits passwd's line and gshadow group's; initgroups uses group's.
 */

#include <stdbool.h>

#include "diag.h"
#include "rootfs.h"

typedef enum NssStatus {
        NSS_SUCCESS,
        NSS_NOTFOUND,
        NSS_UNAVAIL,
        NSS_TRYAGAIN,
        _NSS_STATUS_MAX,
} NssStatus;

typedef enum NssAction {
        NSS_ACTION_CONTINUE,
        NSS_ACTION_RETURN,
        NSS_ACTION_MERGE,
} NssAction;

typedef enum NssDb {
        NSS_DB_ALIASES, NSS_DB_ETHERS, NSS_DB_GROUP, NSS_DB_GROUP_COMPAT, NSS_DB_GSHADOW,
        NSS_DB_HOSTS, NSS_DB_INITGROUPS, NSS_DB_NETGROUP, NSS_DB_NETWORKS, NSS_DB_PASSWD,
        NSS_DB_PASSWD_COMPAT, NSS_DB_PROTOCOLS, NSS_DB_PUBLICKEY, NSS_DB_RPC, NSS_DB_SERVICES,
        NSS_DB_SHADOW, NSS_DB_SHADOW_COMPAT,
        _NSS_DB_MAX,
} NssDb;

typedef struct NssService {
        char *name;
        NssAction actions[_NSS_STATUS_MAX];
        bool comment;           /* at or after a word starting with '#' */
} NssService;

typedef enum NssOrigin {
        NSS_ORIGIN_LINE,        /* the database's own line */
        NSS_ORIGIN_INHERITED,   /* shadow ← passwd, gshadow ← group, … */
        NSS_ORIGIN_DEFAULT,     /* glibc's built-in default */
} NssOrigin;

typedef struct NssDatabase {
        NssService *services;
        size_t n;
        NssOrigin origin;
        NssDb inherited_from;   /* for NSS_ORIGIN_INHERITED */
        unsigned line;          /* for NSS_ORIGIN_LINE (and the inherited line) */
        char *text;             /* the services as written after "db:", or the default */
} NssDatabase;

typedef struct NssConfig {
        char *path;             /* host path of the file, for messages */
        bool missing;           /* file absent or unreadable: all defaults */
        bool broken;            /* a parse error: glibc fails every lookup */
        unsigned broken_line;
        NssDatabase db[_NSS_DB_MAX];
} NssConfig;

int nsswitch_load(NssConfig *c, const Root *root, DiagList *diags);
/* Parse the file's contents (size bytes, NULs allowed); display names the file. */
int nsswitch_parse(NssConfig *c, const char *text, size_t size, const char *display, DiagList *diags);
void nsswitch_done(NssConfig *c);

const char *nss_db_to_string(NssDb db);
int nss_db_from_string(const char *s);
const char *nss_status_to_string(NssStatus s);
const char *nss_action_to_string(NssAction a);

/* Is service i of a database reached at all? Service 0 is; service i+1 is when some
 * status of service i continues (glibc: SUCCESS returns unless told otherwise) and can
 * happen. unavail_possible(service, data) says whether UNAVAIL can; NULL: always. */
bool nss_service_reachable(const NssDatabase *d, size_t i,
                           bool (*unavail_possible)(const NssService *s, const void *data), const void *data);

/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Which PAM services a unit's processes run, and the evidence for each (pam.md Task 3):
 *   1. PAMName=: systemd itself runs the stack in the forked child, as root, before the
 *      sandbox is set up (systemd 252 src/core/execute.c exec_child(): setup_keyring(),
 *      the rlimits, then setup_pam(); only afterwards setup_namespace(), the capability
 *      bounding set, enforce_user(), NoNewPrivileges and the seccomp filters). So only
 *      what is attached to the cgroup from the fork on — IPAddressDeny/Allow= and the
 *      device policy — and LimitX=/KeyringMode= reach those modules.
 *   2. A Kind=pam-service rule naming the unit: the daemon calls pam_start() itself, and
 *      the whole sandbox applies to its modules.
 *   3. Observation: an Exec* binary of the unit needs libpam.so.0 (through any library),
 *      and /etc/pam.d (or /usr/lib/pam.d) has a service named after the unit or after that
 *      binary. The package that ships both the binary and that file is quoted as further
 *      evidence. A binary that links libpam but matches no service name is only a note: a
 *      linked library is not a call (pam.md: systemd's daemons link libpam through
 *      libsystemd-shared and never start it).
 * Which management groups run: a rule's Types= (the PAM calls its program makes:
 * pam_setcred() runs the auth lines, pam_chauthtok() the password lines); for PAMName=,
 * systemd 252's setup_pam() calls pam_acct_mgmt(), pam_setcred() and pam_open_session(),
 * so auth, account and session; for an observed caller, the same three: the password
 * lines (which may rewrite /etc) only count when a rule says the program changes
 * passwords.
 * Reads the root's files (ELF headers, pam.d, the dpkg database); results per binary are
 * kept in Facts, so each file is read once per run.
 */

#include <stdint.h>

#include "diag.h"
#include "facts.h"
#include "pamd.h"
#include "rootfs.h"

struct RuleSet;

typedef enum PamScope {
        PAM_SCOPE_IN_PROCESS,           /* the daemon calls PAM: the whole sandbox applies */
        PAM_SCOPE_BEFORE_SANDBOX,       /* PAMName=: only cgroup-attached settings apply */
} PamScope;

typedef struct PamUse {
        char *service;
        PamScope scope;
        uint32_t types;                 /* bit per PamType the caller invokes */
        char **evidence;                /* one signal per line */
        const PamStack *stack;          /* points into Facts */
} PamUse;

typedef struct PamUseList {
        PamUse *items;
        size_t n, cap;
        char **notes;
} PamUseList;

typedef struct PamUnitInfo {
        const char *id;                 /* "getty@tty1.service" */
        const char *template_id;        /* "getty@.service", NULL if not an instance */
        const char *pam_name;           /* PAMName=, NULL if unset */
        const char *pam_name_origin;    /* "FILE:LINE" */
        char **exec_paths;              /* Exec* commands that run inside the sandbox */
} PamUnitInfo;

int pam_use_find(Facts *f, const Root *root, const struct RuleSet *rules, const PamUnitInfo *u,
                 PamUseList *ret, DiagList *diags);
void pam_use_list_done(PamUseList *l);
const char *pam_scope_to_string(PamScope s);

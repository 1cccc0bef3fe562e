/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Which sandbox setting made a unit fail: a pure function of the failure read from the
 * journal (failure.h), the unit's sandbox as systemd runs it now, and what hardening-compat
 * knows about the unit (its executables' ABIs, whether it sends mail, its plan).
 *
 * A signal is blamed on a setting only when the unit has that setting:
 *   status=31/SYS (SIGSYS)            SystemCallArchitectures= when the ABI of the call the
 *                                     kernel's audit record names (or else an executable's
 *                                     ABI) is refused by it, else SystemCallFilter=
 *   exit statuses 2xx of systemd's    the settings that step applies (exit-status.h):
 *   own set-up                        218/CAPABILITIES, 225/NETWORK, 226/NAMESPACE,
 *                                     227/NO_NEW_PRIVILEGES, 228/SECCOMP, 232/ADDRESS_FAMILIES,
 *                                     244/BPF, …
 *   "Address family not supported     RestrictAddressFamilies=
 *   by protocol"
 *   "Read-only file system"           ProtectSystem=, ReadOnlyPaths=
 *   "Connection timed out", "Operation IPAddressDeny=
 *   not permitted" on a connection
 *   set-ID helpers refused: postdrop's NoNewPrivileges= (explicit or implied)
 *   "mail_queue_enter: create file
 *   maildrop/…: Permission denied", exim's "Failed to create spool file …: Permission
 *   denied", "nullmailer-queue failed", unix_chkpwd; and a start timeout of a unit that
 *   sends mail through postfix (postdrop retries without end)
 * When nothing shows it (an NSS module that cannot reach its daemon makes lookups answer
 * "not found", silently), the lines of hardening-compat's plan that are not in effect name
 * the likely causes. Nothing else is blamed: a missing configuration file, a crash, a
 * failing command on a unit whose needs are met are reported as "no sandbox cause found",
 * with the exit status and the last lines.
 *
 * For each cause: the line of hardening-compat's plan that relaxes it, whether that line is
 * already in effect (the drop-in on disk) or would be written by regenerate, or why nothing
 * is (the plan's unmet entries).
 */

#include "exec-abi.h"
#include "failure.h"
#include "plan.h"
#include "unit.h"

typedef struct Cause {
        char *setting;          /* "SystemCallArchitectures=native (/etc/systemd/system/x.service:5)" */
        char *evidence;         /* the journal line or status that shows it */
        char *explanation;      /* why that setting does this */
        char *remedy;           /* what hardening-compat does about it */
        bool likely;            /* no message shows it: inferred from the needs not in effect */
} Cause;

typedef struct Diagnosis {
        Cause *causes;
        size_t n, cap;
        char *summary;          /* "failed at …: result=signal, code=killed, status=31/SYS" */
} Diagnosis;

typedef struct DiagnoseInput {
        const UnitFailure *failure;
        const UnitView *view;           /* the unit as systemd runs it now (our drop-in included) */
        const ExecAbiList *exec;
        char * const *mail;             /* the evidence that it sends mail, NULL: none */
        const char *mta_rule;           /* Name= of the MTA's rule, NULL: none */
        const Plan *plan;
        const char *current_dropin;     /* our drop-in on disk, NULL: none */
        const char *root;               /* the root's host path, to name files as it sees them */
} DiagnoseInput;

int diagnose(const DiagnoseInput *in, Diagnosis *ret);
void diagnosis_done(Diagnosis *d);
/* "SECCOMP" for 228, "FAILURE" for 1, NULL when systemd has no name for it. */
const char *exit_status_name(int status);

/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Stage 6 (audit): a unit's last failure, as systemd 252 recorded it in the journal
 * (failure.c), and which sandbox setting caused it (diagnose.c).
 *
 * The failure is the newest "Failed with result '…'" entry of PID 1 about the unit
 * (MESSAGE_ID=d9b373ed55a64feb8242e02dbe79a49c, UNIT=, UNIT_RESULT=, INVOCATION_ID=:
 * unit_log_failure() in src/core/unit.c), with what belongs to that invocation: PID 1's
 * "Main process exited, code=…, status=…" (MESSAGE_ID=98e322203f7a4ed290d09fe03c09fe15,
 * EXIT_CODE=, EXIT_STATUS=, COMMAND=: unit_log_process_exit()), its "start operation timed
 * out" line, and the unit's own output (_SYSTEMD_INVOCATION_ID=). The journal is read
 * with sd-journal: the running system's, or, with --root, the files under ROOT/var/log/journal
 * and ROOT/run/log/journal (SD_JOURNAL_OS_ROOT), so an image can be audited offline.
 */

#include <stdbool.h>
#include <stdint.h>

#include "rootfs.h"

typedef struct UnitFailure {
        char *unit;
        char *invocation;       /* INVOCATION_ID of the failed run */
        uint64_t realtime;      /* when it failed, µs since the epoch */
        char *result;           /* UNIT_RESULT: "exit-code", "signal", "timeout", "core-dump", … */
        char *exit_code;        /* EXIT_CODE of the last process exit: "exited", "killed", "dumped" */
        int exit_status;        /* EXIT_STATUS: an exit status or a signal number; -1: none logged */
        char *command;          /* COMMAND of that exit */
        bool timed_out;         /* "… operation timed out. Terminating." */
        char **lines;           /* the run's own messages and PID 1's about it, oldest first */
        /* The kernel's audit record of a seccomp kill (type 1326, "SECCOMP") shortly before
         * the failure, when the journal has one (journald's audit transport, or the kernel
         * log): which executable, and which system call of which ABI. */
        char *seccomp_exe;
        uint32_t seccomp_arch;  /* AUDIT_ARCH_* (= SCMP_ARCH_*) */
        int seccomp_syscall;    /* -1: no record */
} UnitFailure;

/* 1 and *ret filled when the journal has a failure of unit; 0 when it has none; -errno with
 * *ret_error set when the journal cannot be read. */
int failure_read_journal(const Root *root, const char *unit, UnitFailure *ret, char **ret_error);
/* A seccomp audit record's executable, arch and system call number ("… type=1326 … exe=\"/usr/bin/hello\"
 * sig=31 arch=40000003 syscall=252 …"); 1 when msg is one with sig=31, else 0. */
int parse_seccomp_audit(const char *msg, char **ret_exe, uint32_t *ret_arch, int *ret_syscall);
void unit_failure_done(UnitFailure *f);

/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Stage 4: the plan for one unit — a pure function of the unit, its baseline view and
 * its needs: the drop-in text, one directive per line with its reasons as comments, and
 * what cannot be met.
 *
 * Policy (checked while the plan is built, before anything is written):
 *   - RestrictAddressFamilies=AF_X only when the effective setting refuses AF_X (an allow
 *     list without it, or a deny list with it). On an unrestricted unit the line would
 *     *create* an allow list, so it is never written there.
 *   - IPAddressAllow=ADDR only when the unit's IPAddressDeny= (its own or its slices')
 *     would block ADDR; never with PrivateNetwork=yes, where the server is unreachable
 *     anyway: that is reported as unmet, not silently widened (replacing PrivateNetwork=
 *     would open more than the servers: abstract sockets, the host's interfaces).
 *   - An IP family granted only to reach servers (AF_INET for nis on an AF_UNIX-only
 *     unit) comes with IPAddressDeny=<that family's whole space> plus IPAddressAllow= for
 *     the servers, so the unit reaches those servers and nothing else; when a later
 *     setting undoes that firewall, the family is not granted at all.
 *   - The plan is then read back as systemd would read it (plan_verify()): a need that a
 *     later drop-in still refuses is reported with that drop-in's name; a line that would
 *     refuse a family the unit had is dropped; a same-named file elsewhere that would
 *     shadow ours, or an administrator's file at our path, stops the write.
 */

#include <stdbool.h>

#include "needs.h"
#include "unit.h"

typedef struct PlanLine {
        char *key;              /* "RestrictAddressFamilies" */
        char *value;            /* "AF_UNIX" */
        char **comments;        /* the reasons, one comment line each */
        char *comment_buf;      /* scratch while building */
        const Need *need;
        int deny_family;        /* IPAddressDeny= line fencing a granted family, else 0 */
} PlanLine;

/* A file written next to the drop-in, in the same directory (systemd reads only *.conf
 * there): the sendmail stand-in and its aliases (needs-mta.c's loopback strategy). */
#define STANDIN_NAME "zz-hardening-compat.sendmail"
#define STANDIN_ALIASES_NAME "zz-hardening-compat.aliases"
#define PLAN_FILES_MAX 2

typedef struct PlanFile {
        const char *name;       /* in the drop-in's directory */
        char *text;
        unsigned mode;
} PlanFile;

typedef struct Plan {
        char *unit;
        char *path;             /* inside the root */
        PlanLine *lines;
        size_t n, cap;
        char **unmet;           /* needs left unmet, with why */
        char *text;             /* the drop-in; NULL when none is needed */
        PlanFile files[PLAN_FILES_MAX]; /* written with it (only when text is) */
        size_t n_files;
        bool blocked;           /* we must not write (foreign file, shadowed): text kept for diff */
} Plan;

int plan_build(const Unit *u, const UnitView *base, const NeedList *needs, Plan *ret);
int plan_verify(Loader *l, const Unit *u, const UnitView *base, Plan *p);
void plan_done(Plan *p);

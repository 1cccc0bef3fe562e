/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Shared by the NSS walk (needs.c) and the PAM walk (needs-pam.c). */

#include "needs.h"

typedef struct NeedKey {
        NeedKind kind;
        int af;
        int number;
        const Server *server;
        const char *value;
        bool for_servers;
} NeedKey;

/* Add a reason for a need (the need is created on first use). reason->chain and
 * reason->detail are copied. */
int need_list_add(NeedList *l, const NeedKey *k, const NeedReason *reason);

/* The servers a rule names and the address families it opens (families_too false: the
 * module runs where RestrictAddressFamilies= does not reach it). tmpl gives the reason's
 * source fields; base is the evidence chain so far. */
int needs_add_servers_and_families(const Facts *f, NeedList *out, const NeedsSpec *spec, bool families_too,
                                   const char *base, const NeedReason *tmpl);

/* Applying a rule's [Needs] to one unit (needs-spec.c). */
typedef struct SpecWalk {
        const Facts *facts;
        const RuleSet *rules;
        const UnitView *view;
        NeedList *out;
        bool root;              /* the process that runs the module is root */
        bool helper_root;       /* its Helper= is setuid root: the bounding set limits it */
        bool nnp_lifted;        /* NoNewPrivileges=no is planned for a setuid Helper= */
} SpecWalk;

/* Every setting that implies NoNewPrivileges for a non-root service, with file and line:
 * "SystemCallArchitectures= (/lib/…/x.service:7), DynamicUser=yes"; "" for none. */
char *needs_nnp_implied_by(const Facts *f, const Sandbox *sb);

/* spec's needs with the evidence base; in_process false: the code runs before the
 * sandbox (PAMName=), where only the cgroup's IP firewall and device policy reach it. */
int needs_apply_spec(SpecWalk *w, bool in_process, const NeedsSpec *spec, const char *base, const NeedReason *tmpl);

int needs_compute_pam(const Facts *f, const RuleSet *rules, const UnitView *v, const PamUseList *pam, NeedList *out);

/* needs-arch.c: the ABIs of the unit's executables its SystemCallArchitectures= must allow. */
int needs_compute_abis(const Facts *f, const UnitView *v, const ExecAbiList *exec, NeedList *out);

/* needs-mta.c: what submitting the unit's mail through the MTA takes. */
int needs_compute_mail(const Facts *f, const RuleSet *rules, const UnitView *v, char * const *mail, NeedList *out);

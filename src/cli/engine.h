/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The pipeline, run once per command: facts → unit index → for each unit: effective
 * sandbox → needs → plan (verified). Every verb works from an Engine; only regenerate
 * goes on to the writer.
 */

#include "diag.h"
#include "facts.h"
#include "needs.h"
#include "plan.h"
#include "rules.h"
#include "specifier.h"
#include "unit-index.h"
#include "unit.h"
#include "writer.h"

typedef struct UnitResult {
        Unit *unit;
        bool viewed;            /* current/base views and the plan are valid */
        int error;              /* -ENOEXEC: systemd refuses the unit */
        /* Without the engine's lean mode (engine_open()'s callers that show one unit); in
         * lean mode they are released once the unit is planned, since a run over thousands of
         * units would otherwise hold every unit's sandbox at once: */
        UnitView *base;         /* without our drop-in: what needs are computed against */
        UnitView *current;      /* as systemd runs it now, our existing drop-in included */
        PamUseList pam;         /* the PAM services it runs */
        ExecAbiList exec;       /* the system call ABIs its executables use */
        bool ip_denied;         /* the current view has an IPAddressDeny= (its own or a slice's) */
        char **mail;            /* the evidence that it sends mail */
        NeedList needs;
        Plan plan;
        char *current_text;     /* our existing drop-in, NULL if none */
        bool files_differ;      /* a file written next to it is missing, stale or different */
        WantedFile files[PLAN_FILES_MAX];       /* engine_wanted()'s view of plan.files */
} UnitResult;

typedef struct Engine {
        Root root;
        HostInfo host;
        DiagList diags;
        Facts facts;
        RuleSet rules;
        UnitIndex index;
        Loader loader;
        NssNeedsCache nss_needs;        /* of facts and rules, shared by every unit */
        int output_fd;                  /* UNIT_OUTPUT_DIR, to read our files (-errno: none) */
        UnitResult *units;
        size_t n_units, cap;
        size_t n_masked;
        bool lean;              /* release each unit's views, PAM and ABI lists once planned */
        bool lean_needs;        /* and its needs (for commands that show none) */
} Engine;

/* Returns 0, or -errno with *ret_error set to a one-line message. */
int engine_open(Engine *e, const char *root, const char *rules_dir, char **ret_error);
void engine_close(Engine *e);

/* Plan every service unit of the root (templates included, aliases and masks not). */
int engine_plan_all(Engine *e);
/* Plan one unit by any of its names: -EINVAL for an invalid name, -ENOENT when systemd
 * would not load it (*ret is then still set, with its load state). */
int engine_plan_unit(Engine *e, const char *name, UnitResult **ret);

const char *unit_load_state_to_string(UnitLoadState s);

/* The drop-ins the plans want written (units whose plan has text and is not blocked).
 * *ret points into the results; free the array only. */
int engine_wanted(Engine *e, WantedDropin **ret, size_t *ret_n);

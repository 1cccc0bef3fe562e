/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The whole pipeline for one unit "x.service" of a test root, as the engine runs it:
 * facts, the rules (the source tree's fragments/ plus the root's own), the unit's
 * view, then — with the observations the suite made — needs, plan and its verification.
 */

#include "facts.h"
#include "needs.h"
#include "plan.h"
#include "rules.h"
#include "testutil.h"

typedef struct TuPlan {
        TuUnits t;
        Facts f;
        RuleSet rs;
        Unit *u;
        UnitView v;
        NeedList nl;
        Plan p;
        char *rules_dir;
} TuPlan;

static inline void tu_plan_open(TuPlan *x, const char *root) {
        *x = (TuPlan) {};
        ck_assert_int_ge(asprintf(&x->rules_dir, "%s/fragments", getenv("HC_SRCDIR") ?: "."), 0);
        tu_units_open(&x->t, root);
        ck_assert_int_eq(facts_load(&x->f, &x->t.root, &x->t.diags), 0);
        ck_assert_int_eq(rules_load(&x->rs, &x->t.root, x->rules_dir, &x->t.diags), 0);
        ck_assert_int_eq(facts_load_for_rules(&x->f, &x->t.root, &x->rs, &x->t.diags), 0);
        ck_assert_int_eq(unit_load(&x->t.loader, "x.service", true, &x->u), 0);
        ck_assert_int_eq(unit_view(&x->t.loader, x->u, NULL, &x->t.diags, &x->v), 0);
}

/* Needs, plan, verification. */
static inline void tu_plan_run(TuPlan *x, const PamUseList *pam, const ExecAbiList *exec, char * const *mail) {
        ck_assert_int_eq(needs_compute(&x->f, &x->rs, &x->v, pam, exec, mail, &x->nl), 0);
        ck_assert_int_eq(plan_build(x->u, &x->v, &x->nl, &x->p), 0);
        ck_assert_int_eq(plan_verify(&x->t.loader, x->u, &x->v, &x->p), 0);
}

static inline void tu_plan_close(TuPlan *x) {
        plan_done(&x->p);
        need_list_done(&x->nl);
        unit_view_done(&x->v);
        unit_free(x->u);
        rules_done(&x->rs);
        facts_done(&x->f);
        tu_units_close(&x->t);
        free(x->rules_dir);
}

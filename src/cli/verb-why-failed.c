/* SPDX-License-Identifier: GPL-2.0-or-later */
/* why-failed UNIT: the unit's last failure from the journal, and the sandbox setting that
 * caused it, if any (src/audit/diagnose.h). */
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "diagnose.h"
#include "failure.h"
#include "macro.h"
#include "strv.h"
#include "unit-name.h"

/* the lines shown when no sandbox cause is found */
#define TAIL_LINES 8

static void format_time(uint64_t usec, char *buf, size_t size) {
        time_t t = (time_t) (usec / 1000000);
        struct tm tm;

        if (!usec || !localtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
                snprintf(buf, size, "an unknown time");
}

static json_object *json_diagnosis(const char *name, const UnitFailure *f, const Diagnosis *d) {
        json_object *o = json_object_new_object(), *causes = json_object_new_array(), *lines = json_object_new_array();
        size_t n = strv_length(f->lines);

        json_object_object_add(o, "unit", json_object_new_string(name));
        json_object_object_add(o, "failed", json_object_new_boolean(f->invocation != NULL));
        json_object_object_add(o, "invocation", f->invocation ? json_object_new_string(f->invocation) : NULL);
        json_object_object_add(o, "realtime_usec", json_object_new_int64((int64_t) f->realtime));
        json_object_object_add(o, "result", f->result ? json_object_new_string(f->result) : NULL);
        json_object_object_add(o, "exit_code", f->exit_code ? json_object_new_string(f->exit_code) : NULL);
        json_object_object_add(o, "exit_status", f->exit_status >= 0 ? json_object_new_int(f->exit_status) : NULL);
        json_object_object_add(o, "command", f->command ? json_object_new_string(f->command) : NULL);
        json_object_object_add(o, "timed_out", json_object_new_boolean(f->timed_out));
        for (size_t i = 0; d && i < d->n; i++) {
                json_object *c = json_object_new_object();

                json_object_object_add(c, "setting", json_object_new_string(d->causes[i].setting));
                json_object_object_add(c, "evidence", json_object_new_string(d->causes[i].evidence));
                json_object_object_add(c, "explanation", json_object_new_string(d->causes[i].explanation));
                json_object_object_add(c, "hardening_compat", json_object_new_string(d->causes[i].remedy));
                json_object_object_add(c, "likely", json_object_new_boolean(d->causes[i].likely));
                json_object_array_add(causes, c);
        }
        json_object_object_add(o, "sandbox_causes", causes);
        for (size_t i = n > TAIL_LINES ? n - TAIL_LINES : 0; i < n; i++)
                json_object_array_add(lines, json_object_new_string(f->lines[i]));
        json_object_object_add(o, "last_lines", lines);
        return o;
}

static void print_diagnosis(const char *name, const UnitFailure *f, const Diagnosis *d) {
        size_t n = strv_length(f->lines);
        char when[64];

        format_time(f->realtime, when, sizeof(when));
        printf("%s failed at %s: %s\n", name, when, d->summary);
        for (size_t i = 0; i < d->n; i++) {
                printf("%s: %s\n", d->causes[i].likely ? "Likely sandbox cause" : "Sandbox cause", d->causes[i].setting);
                printf("  Evidence:         %s\n", d->causes[i].evidence);
                printf("  Why:              %s\n", d->causes[i].explanation);
                printf("  hardening-compat: %s\n", d->causes[i].remedy);
        }
        if (d->n > 0)
                return;
        printf("No sandbox cause found: neither the exit status nor the unit's messages point at a setting "
               "of its sandbox.%s\n", n ? " Its last messages:" : "");
        for (size_t i = n > TAIL_LINES ? n - TAIL_LINES : 0; i < n; i++)
                printf("  %s\n", f->lines[i]);
}

int verb_why_failed(Engine *e, const Options *o, const char *name) {
        _cleanup_free_ char *err = NULL;
        UnitFailure f = { .exit_status = -1 };
        Diagnosis d = {};
        UnitResult *u = NULL;
        int r, found;

        if (!unit_name_is_valid(name, UNIT_NAME_ANY)) {
                print_error("invalid unit name '%s'.", name);
                return EXIT_USAGE;
        }
        r = engine_plan_unit(e, name, &u);
        if (r == -ENOENT) {
                print_error("unit %s is %s.", name, unit_load_state_to_string(u->unit->state));
                return EXIT_NO_UNIT;
        }
        if (r < 0) {
                print_error("cannot plan %s: %s", name, strerror(-r));
                return EXIT_FAIL;
        }
        found = failure_read_journal(&e->root, u->unit->id, &f, &err);
        if (found < 0) {
                print_error("%s", err);
                return EXIT_FAIL;
        }
        if (found) {
                DiagnoseInput in = {
                        .failure = &f, .view = u->current, .exec = &u->exec, .mail = u->mail,
                        .mta_rule = e->facts.mta.rule ? e->facts.mta.rule->name : NULL, .plan = &u->plan,
                        .current_dropin = u->current_text, .root = e->root.path,
                };

                r = diagnose(&in, &d);
                if (r < 0) {
                        print_error("cannot diagnose %s: %s", name, strerror(-r));
                        unit_failure_done(&f);
                        return EXIT_FAIL;
                }
        }
        if (o->json != JSON_OFF) {
                json_object *j = json_diagnosis(u->unit->id, &f, found ? &d : NULL);

                print_json(j, o->json);
                json_object_put(j);
        } else if (!found)
                printf("%s: the journal has no failure of this unit.\n", u->unit->id);
        else
                print_diagnosis(u->unit->id, &f, &d);
        diagnosis_done(&d);
        unit_failure_done(&f);
        return EXIT_OK;
}

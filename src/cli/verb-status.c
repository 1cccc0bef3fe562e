/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "cli.h"
#include "macro.h"
#include "names.h"
#include "strv.h"

static void print_nss(const Engine *e) {
        const NssConfig *c = &e->facts.nss;

        printf("NSS (%s)%s:\n", c->path, c->missing ? ", file missing: glibc's defaults" : "");
        if (c->broken) {
                printf("  BROKEN: line %u does not parse; glibc fails every lookup\n", c->broken_line);
                return;
        }
        for (int db = 0; db < _NSS_DB_MAX; db++) {
                const NssDatabase *d = &c->db[db];

                if (d->origin != NSS_ORIGIN_LINE)
                        continue;
                printf("  %-14s %s  (line %u)\n", nss_db_to_string((NssDb) db), d->text, d->line);
        }
}

/* Every service of nsswitch.conf without a rule, whether or not a unit needs it now. */
static int unknown_services(const Engine *e, char ***ret) {
        const NssConfig *c = &e->facts.nss;

        for (int db = 0; db < _NSS_DB_MAX && !c->broken; db++)
                for (size_t i = 0; i < c->db[db].n; i++) {
                        const NssService *s = &c->db[db].services[i];
                        _cleanup_free_ char *m = NULL;

                        if (s->comment || rules_find(&e->rules, RULE_NSS, s->name))
                                continue;
                        if (asprintf_safe(&m, "'%s' (%s: %s)", s->name, nss_db_to_string((NssDb) db),
                                          c->db[db].origin == NSS_ORIGIN_DEFAULT ? "glibc's default" : "/etc/nsswitch.conf") < 0 ||
                            strv_extend_uniq(ret, m) < 0)
                                return -ENOMEM;
                }
        return 0;
}

static void print_servers(const char *what, const ServerList *l) {
        for (size_t i = 0; i < l->n; i++)
                printf("  %-11s %s  (%s)\n", what, l->items[i].value, l->items[i].origin);
}

static char *summary(const UnitResult *u) {
        _cleanup_strv_free_ char **l = NULL;

        for (size_t i = 0; i < u->plan.n; i++) {
                _cleanup_free_ char *s = strjoin(u->plan.lines[i].key, "=", u->plan.lines[i].value);

                if (!s || strv_consume(&l, TAKE_PTR(s)) < 0)
                        return NULL;
        }
        return strv_join(l, " ");
}

static int status_json(Engine *e, const Options *o) {
        json_object *root = json_object_new_object(), *units = json_object_new_array(), *nss = json_object_new_object();

        json_object_object_add(root, "root", json_object_new_string(e->root.path));
        json_object_object_add(nss, "path", json_object_new_string(e->facts.nss.path));
        json_object_object_add(nss, "broken", json_object_new_boolean(e->facts.nss.broken));
        for (int db = 0; db < _NSS_DB_MAX && !e->facts.nss.broken; db++) {
                const NssDatabase *d = &e->facts.nss.db[db];
                json_object *a = json_object_new_array();

                for (size_t i = 0; i < d->n; i++)
                        json_object_array_add(a, json_object_new_string(d->services[i].name));
                json_object_object_add(nss, nss_db_to_string((NssDb) db), a);
        }
        json_object_object_add(root, "nss", nss);
        for (size_t i = 0; i < e->n_units; i++)
                json_object_array_add(units, json_unit(e, &e->units[i], false));
        json_object_object_add(root, "units", units);
        json_object_object_add(root, "masked", json_object_new_int((int) e->n_masked));
        {
                _cleanup_strv_free_ char **unknown = NULL;
                json_object *a = json_object_new_array();

                if (unknown_services(e, &unknown) < 0)
                        return EXIT_FAIL;
                STRV_FOREACH(k, unknown)
                        json_object_array_add(a, json_object_new_string(*k));
                json_object_object_add(root, "unknown_services", a);
        }
        json_object_object_add(root, "diagnostics", json_diags(&e->diags));
        print_json(root, o->json);
        json_object_put(root);
        return EXIT_OK;
}

int verb_status(Engine *e, const Options *o) {
        _cleanup_strv_free_ char **unknown = NULL;
        size_t with = 0, pending = 0, skipped = 0;

        if (o->json != JSON_OFF)
                return status_json(e, o);

        printf("Root: %s\n", e->root.path);
        print_nss(e);
        printf("Servers:\n");
        print_servers("nameserver", &e->facts.nameservers);
        print_servers("NIS", &e->facts.yp_servers);
        if (e->facts.yp_servers.unexpressible)
                printf("  NIS         %s\n", e->facts.yp_servers.unexpressible);
        printf("Rules: %zu rules from %zu files\n", e->rules.n, strv_length(e->rules.files));

        for (size_t i = 0; i < e->n_units; i++) {
                const UnitResult *u = &e->units[i];

                skipped += !u->viewed;
                if (!u->viewed)
                        continue;
                with += u->plan.text != NULL;
                pending += !streq(dropin_status(u), "unchanged") && !streq(dropin_status(u), "none");
        }
        if (unknown_services(e, &unknown) < 0)
                return EXIT_FAIL;
        printf("Units: %zu services, %zu need a drop-in, %zu pending, %zu masked, %zu skipped\n",
               e->n_units, with, pending, e->n_masked, skipped);
        for (size_t i = 0; i < e->n_units; i++) {
                const UnitResult *u = &e->units[i];
                const char *st = dropin_status(u);
                _cleanup_free_ char *s = NULL;

                if (streq(st, "none"))
                        continue;
                s = summary(u);
                printf("  %-40s %-10s %s\n", u->unit->id, st, strempty(s));
                STRV_FOREACH(m, u->plan.unmet)
                        printf("  %-40s %-10s %s\n", "", "unmet", *m);
        }
        if (unknown) {
                printf("NSS services without a rule (no unit is granted anything for them; add a rule to\n"
                       "/etc/hardening-compat/fragments.d/):\n");
                STRV_FOREACH(k, unknown)
                        printf("  %s\n", *k);
        }
        if (e->diags.n)
                printf("Diagnostics: %zu errors, %zu warnings (below)\n", diag_count(&e->diags, DIAG_ERROR),
                       diag_count(&e->diags, DIAG_WARNING));
        fflush(stdout);
        print_diags(&e->diags, true);
        return EXIT_OK;
}

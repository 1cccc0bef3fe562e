/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <linux/magic.h>
#include <stdio.h>
#include <sys/vfs.h>

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

/* A module and the services whose stacks have it. */
typedef struct ModuleUse {
        char *module;
        char **services;
} ModuleUse;

typedef struct ModuleUses {
        ModuleUse *items;
        size_t n, cap;
} ModuleUses;

typedef struct PamReport {
        char **services;
        ModuleUses unknown, unconfinable;
} PamReport;

static void module_uses_done(ModuleUses *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].module);
                strv_free(l->items[i].services);
        }
        free(l->items);
}

static void pam_report_done(PamReport *p) {
        strv_free(p->services);
        module_uses_done(&p->unknown);
        module_uses_done(&p->unconfinable);
}

static int note_module(ModuleUses *l, const char *module, const char *service) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i].module, module))
                        return strv_extend_uniq(&l->items[i].services, service);
        if (GROW(l->items, l->cap, l->n + 1) < 0)
                return -ENOMEM;
        l->items[l->n] = (ModuleUse) { .module = strdup(module) };
        if (!l->items[l->n].module)
                return -ENOMEM;
        return strv_extend(&l->items[l->n++].services, service);
}

/* "pam_x.so (svc1, svc2)" */
static char *module_use_string(const ModuleUse *m) {
        _cleanup_free_ char *svcs = strv_join(m->services, ", ");
        char *s = NULL;

        if (svcs)
                asprintf_safe(&s, "%s (%s)", m->module, svcs);
        return s;
}

static json_object *json_module_uses(const ModuleUses *l) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; i < l->n; i++) {
                json_object *o = json_object_new_object();

                json_object_object_add(o, "module", json_object_new_string(l->items[i].module));
                json_object_object_add(o, "services", json_strv_new(l->items[i].services));
                json_object_array_add(a, o);
        }
        return a;
}

/* Every PAM service of the root, whether or not a unit runs it: modules without a rule,
 * and modules that cannot be confined. */
static int pam_report(Engine *e, PamReport *ret) {
        int r;

        *ret = (PamReport) {};
        r = facts_pam_services(&e->root, &ret->services);
        if (r < 0)
                return r;
        STRV_FOREACH(svc, ret->services) {
                const PamStack *st;

                r = facts_pam_stack(&e->facts, &e->root, *svc, &st, &e->diags);
                if (r == -EINVAL)
                        continue;
                if (r < 0)
                        return r;
                for (size_t i = 0; i < st->n; i++) {
                        const PamEntry *x = &st->entries[i];
                        const Rule *rule = rules_find_pam(&e->rules, x->module_name, x->args);

                        if (!x->module_path)
                                continue;
                        if (!rule)
                                r = note_module(&ret->unknown, x->module_name, *svc);
                        else if (!rule->confinable && (!rule->types || (rule->types & (UINT32_C(1) << x->type))))
                                r = note_module(&ret->unconfinable, x->module_name, *svc);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static void print_pam(const Engine *e, const PamReport *p) {
        printf("PAM: %zu services in /etc/pam.d and /usr/lib/pam.d\n", strv_length(p->services));
        for (size_t i = 0; i < e->n_units; i++) {
                const UnitResult *u = &e->units[i];

                for (size_t k = 0; u->viewed && k < u->pam.n; k++)
                        printf("  %-40s runs %s%s\n", u->unit->id, u->pam.items[k].service,
                               u->pam.items[k].scope == PAM_SCOPE_BEFORE_SANDBOX ? " (PAMName=, before the sandbox)" : "");
        }
        if (p->unknown.n == 0)
                printf("PAM modules without a rule: none\n");
        else
                printf("PAM modules without a rule (no unit is granted anything for them; add a rule to\n"
                       "/etc/hardening-compat/fragments.d/):\n");
        for (size_t i = 0; i < p->unknown.n; i++) {
                _cleanup_free_ char *m = module_use_string(&p->unknown.items[i]);
                printf("  %s\n", strempty(m));
        }
        if (p->unconfinable.n > 0)
                printf("PAM modules that cannot be confined (they run programs the administrator supplies;\n"
                       "no sandbox is opened for them):\n");
        for (size_t i = 0; i < p->unconfinable.n; i++) {
                _cleanup_free_ char *m = module_use_string(&p->unconfinable.items[i]);
                printf("  %s\n", strempty(m));
        }
}

/* "amd64 (x86-64, native), i386 (x86)" — dpkg's architectures with their ABIs */
static char *dpkg_archs_string(const HostArchs *a) {
        _cleanup_strv_free_ char **l = NULL;
        char *s = NULL;

        if (!a->dpkg_native)
                return strdup("no dpkg database");
        if (asprintf_safe(&s, "%s (%s)", a->dpkg_native, abi_of_dpkg_arch(a->dpkg_native) ?: "no systemd ABI") < 0 ||
            strv_consume(&l, s) < 0)
                return NULL;
        STRV_FOREACH(f, a->dpkg_foreign)
                if (asprintf_safe(&s, "%s (%s)", *f, abi_of_dpkg_arch(*f) ?: "no systemd ABI") < 0 || strv_consume(&l, s) < 0)
                        return NULL;
        return strv_join(l, ", ");
}

static void print_archs(const Engine *e) {
        const HostArchs *a = &e->facts.archs;
        _cleanup_free_ char *d = dpkg_archs_string(a), *local = strv_join((char **) a->local_abis, " ");

        printf("Architectures:\n");
        printf("  native ABI  %s  (%s)\n", strempty(a->native_abi), strempty(a->native_abi_source));
        printf("  kernel runs %s\n", strempty(local));
        printf("  dpkg        %s\n", strempty(d));
}

static json_object *json_archs(const HostArchs *a) {
        json_object *o = json_object_new_object();

        json_object_object_add(o, "native_abi", a->native_abi ? json_object_new_string(a->native_abi) : NULL);
        json_object_object_add(o, "native_abi_source", a->native_abi_source ? json_object_new_string(a->native_abi_source) : NULL);
        json_object_object_add(o, "kernel_abis", json_strv_new((char **) a->local_abis));
        json_object_object_add(o, "dpkg_native", a->dpkg_native ? json_object_new_string(a->dpkg_native) : NULL);
        json_object_object_add(o, "dpkg_foreign", json_strv_new(a->dpkg_foreign));
        return o;
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

/* On the running system: the units with our drop-in that still run without it. *ret NULL
 * offline; on a failure to ask systemd, a warning and NULL. */
static int restart_pending(const Engine *e, char ***ret, bool *ret_online) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_strv_free_ char **ours = NULL;
        _cleanup_free_ char *err = NULL;
        int r;

        *ret = NULL;
        *ret_online = systemd_online(&e->root);
        if (!*ret_online)
                return 0;
        /* a drop-in of firewall and device lines only is applied to running units by the reload */
        for (size_t i = 0; i < e->n_units; i++)
                if (e->units[i].current_text && dropin_change_needs_restart(NULL, e->units[i].current_text) &&
                    strv_extend(&ours, e->units[i].unit->id) < 0)
                        return -ENOMEM;
        if (!ours)
                return 0;
        r = manager_connect(&bus, &err);
        if (r >= 0)
                r = units_restart_pending(bus, ours, ret, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                print_error("warning: %s", err ? err : strerror(-r));
                *ret_online = false;
        }
        return 0;
}

/* On the running system: can systemd enforce IPAddressAllow=/IPAddressDeny=? It attaches its
 * BPF firewall only on the unified cgroup hierarchy; on a hybrid or legacy one it logs "does
 * not support BPF/cgroup firewalling" once and runs every unit without it (testbed.md §4a).
 * NULL when enforced or unknown (offline). */
static const char *firewall_warning(const Engine *e) {
        struct statfs fs;

        if (!root_is_host(&e->root) || statfs("/sys/fs/cgroup", &fs) < 0 || fs.f_type == CGROUP2_SUPER_MAGIC)
                return NULL;
        for (size_t i = 0; i < e->n_units; i++)
                if (e->units[i].viewed && e->units[i].ip_denied)
                        return "/sys/fs/cgroup is not the unified cgroup hierarchy: systemd cannot attach its BPF "
                               "firewall, and IPAddressAllow=/IPAddressDeny= (of the units and of our drop-ins) are "
                               "not enforced on this system";
        return NULL;
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
        json_object_object_add(root, "architectures", json_archs(&e->facts.archs));
        {
                const MtaFacts *m = &e->facts.mta;
                json_object *mta = json_object_new_object();

                json_object_object_add(mta, "sendmail", m->path ? json_object_new_string(m->path) : NULL);
                json_object_object_add(mta, "resolved", m->resolved ? json_object_new_string(m->resolved) : NULL);
                json_object_object_add(mta, "mode", m->mode ? json_object_new_string(m->mode) : NULL);
                json_object_object_add(mta, "packages", json_strv_new(m->packages));
                json_object_object_add(mta, "rule", m->rule ? json_object_new_string(m->rule->file_name) : NULL);
                if (m->listener.address) {
                        json_object *l = json_object_new_object();

                        json_object_object_add(l, "address", json_object_new_string(m->listener.address));
                        json_object_object_add(l, "port", json_object_new_int((int) m->listener.port));
                        json_object_object_add(l, "origin", json_object_new_string(m->listener.origin));
                        json_object_object_add(l, "daemon", json_object_new_string(m->listener.daemon));
                        json_object_object_add(mta, "loopback_listener", l);
                } else
                        json_object_object_add(mta, "loopback_listener", NULL);
                json_object_object_add(mta, "no_loopback_listener_because",
                                       m->listener.absent ? json_object_new_string(m->listener.absent) : NULL);
                json_object_object_add(mta, "stand_in",
                                       m->loopback_program ? json_object_new_string(m->loopback_program) : NULL);
                json_object_object_add(root, "mta", mta);
        }
        for (size_t i = 0; i < e->n_units; i++)
                json_object_array_add(units, json_unit(e, &e->units[i], false));
        json_object_object_add(root, "units", units);
        json_object_object_add(root, "masked", json_object_new_int((int) e->n_masked));
        {
                _cleanup_strv_free_ char **pending_restart = NULL;
                bool online;

                if (restart_pending(e, &pending_restart, &online) < 0) {
                        json_object_put(root);
                        return EXIT_FAIL;
                }
                /* null offline: there is no running system to ask */
                json_object_object_add(root, "restart_needed", online ? json_strv_new(pending_restart) : NULL);
        }
        json_object_object_add(root, "warnings", json_object_new_array());
        if (firewall_warning(e))
                json_object_array_add(json_object_object_get(root, "warnings"),
                                      json_object_new_string(firewall_warning(e)));
        {
                _cleanup_strv_free_ char **unknown = NULL;
                json_object *a = json_object_new_array();

                if (unknown_services(e, &unknown) < 0)
                        return EXIT_FAIL;
                STRV_FOREACH(k, unknown)
                        json_object_array_add(a, json_object_new_string(*k));
                json_object_object_add(root, "unknown_services", a);
        }
        {
                _cleanup_(pam_report_done) PamReport p = {};
                json_object *pam = json_object_new_object();

                if (pam_report(e, &p) < 0)
                        return EXIT_FAIL;
                json_object_object_add(pam, "services", json_strv_new(p.services));
                json_object_object_add(pam, "unknown_modules", json_module_uses(&p.unknown));
                json_object_object_add(pam, "unconfinable_modules", json_module_uses(&p.unconfinable));
                json_object_object_add(root, "pam", pam);
        }
        json_object_object_add(root, "diagnostics", json_diags(&e->diags));
        print_json(root, o->json);
        json_object_put(root);
        return EXIT_OK;
}

int verb_status(Engine *e, const Options *o) {
        _cleanup_strv_free_ char **unknown = NULL;
        _cleanup_(pam_report_done) PamReport pam = {};
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
        print_archs(e);
        if (firewall_warning(e))
                printf("Warning: %s\n", firewall_warning(e));
        {
                const MtaFacts *m = &e->facts.mta;
                _cleanup_free_ char *mta = mta_describe(m);

                printf("MTA: %s\n", strempty(mta));
                if (m->listener.address)
                        printf("  loopback    %s port %u (%s; %s enabled), stand-in %s\n", m->listener.address,
                               m->listener.port, m->listener.origin, m->listener.daemon,
                               m->loopback_program ? m->loopback_program : "none (install msmtp)");
                else if (m->listener.absent)
                        printf("  loopback    none: %s\n", m->listener.absent);
        }
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

                if (streq(st, "none") && !(u->viewed && u->plan.unmet))
                        continue;
                s = summary(u);
                printf("  %-40s %-10s %s\n", u->unit->id, st, strempty(s));
                STRV_FOREACH(m, u->plan.unmet)
                        printf("  %-40s %-10s %s\n", "", "unmet", *m);
        }
        {
                _cleanup_strv_free_ char **pending_restart = NULL;
                bool online;

                if (restart_pending(e, &pending_restart, &online) < 0)
                        return EXIT_FAIL;
                if (online) {
                        _cleanup_free_ char *l = strv_join(pending_restart, " ");

                        printf("Restart needed (running since before their drop-in was written): %s\n",
                               pending_restart ? l : "none");
                }
        }
        if (unknown) {
                printf("NSS services without a rule (no unit is granted anything for them; add a rule to\n"
                       "/etc/hardening-compat/fragments.d/):\n");
                STRV_FOREACH(k, unknown)
                        printf("  %s\n", *k);
        }
        if (pam_report(e, &pam) < 0)
                return EXIT_FAIL;
        print_pam(e, &pam);
        if (e->diags.n)
                printf("Diagnostics: %zu errors, %zu warnings (below)\n", diag_count(&e->diags, DIAG_ERROR),
                       diag_count(&e->diags, DIAG_WARNING));
        fflush(stdout);
        print_diags(&e->diags, true);
        return EXIT_OK;
}

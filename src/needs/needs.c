/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <sys/socket.h>

#include "macro.h"
#include "names.h"
#include "needs-internal.h"
#include "needs.h"
#include "strv.h"

static const uint32_t identity_dbs =
        1u << NSS_DB_PASSWD | 1u << NSS_DB_GROUP | 1u << NSS_DB_SHADOW | 1u << NSS_DB_GSHADOW |
        1u << NSS_DB_INITGROUPS;
static const uint32_t network_dbs =
        1u << NSS_DB_HOSTS | 1u << NSS_DB_SERVICES | 1u << NSS_DB_PROTOCOLS;

typedef struct Walk {
        const Facts *facts;
        const RuleSet *rules;
        NeedList *out;
        const char *via;        /* set while walking a *_compat database */
} Walk;

void need_list_done(NeedList *l) {
        for (size_t i = 0; i < l->n; i++) {
                for (size_t k = 0; k < l->items[i].n_reasons; k++) {
                        free(l->items[i].reasons[k].chain);
                        free(l->items[i].reasons[k].detail);
                }
                free(l->items[i].reasons);
                free(l->items[i].value);
        }
        free(l->items);
        strv_free(l->unknown);
        strv_free(l->unconfinable);
        strv_free(l->vias);
        strv_free(l->unmet);
        strv_free(l->notes);
        *l = (NeedList) {};
}

const char *need_kind_to_string(NeedKind k) {
        static const char *const t[] = {
                [NEED_FAMILY] = "address-family", [NEED_SERVER] = "server", [NEED_GROUP] = "group",
                [NEED_PATH] = "path", [NEED_CAPABILITY] = "capability", [NEED_SYSCALL] = "system-call",
                [NEED_NAMESPACE] = "namespace", [NEED_DEVICE] = "device", [NEED_HOME] = "home",
                [NEED_ABI] = "system-call-abi", [NEED_NO_NNP] = "no-new-privileges-off",
                [NEED_SENDMAIL_STANDIN] = "sendmail-stand-in",
        };
        return t[k];
}

char *need_value_string(const Need *n) {
        char *s;

        switch (n->kind) {
        case NEED_FAMILY:
                return strdup(af_to_name(n->af));
        case NEED_SERVER:
                return strdup(n->server->value);
        case NEED_CAPABILITY:
                s = strdup(strempty(capability_to_name(n->number)));
                for (char *c = s; c && *c; c++)
                        *c = (char) toupper((unsigned char) *c);
                return s;
        default:
                return strdup(n->value);
        }
}

static bool same_need(const Need *n, const NeedKey *k) {
        if (n->kind != k->kind)
                return false;
        switch (k->kind) {
        case NEED_FAMILY:
                return n->af == k->af;
        case NEED_SERVER:
                /* The same address from two sources (yp.conf's 127.0.0.1 and localhost) is one need. */
                return streq(n->server->value, k->server->value);
        case NEED_CAPABILITY:
                return n->number == k->number;
        default:
                return streq(n->value, k->value);
        }
}

int need_list_add(NeedList *l, const NeedKey *k, const NeedReason *reason) {
        NeedReason *nr;
        Need *n = NULL;

        for (size_t i = 0; i < l->n && !n; i++)
                if (same_need(&l->items[i], k))
                        n = &l->items[i];
        if (!n) {
                if (GROW(l->items, l->cap, l->n + 1) < 0)
                        return -ENOMEM;
                n = &l->items[l->n];
                *n = (Need) { .kind = k->kind, .af = k->af, .number = k->number, .server = k->server,
                              .for_servers = k->for_servers };
                if (k->value && !(n->value = strdup(k->value)))
                        return -ENOMEM;
                l->n++;
        }
        /* A family wanted for its own sake is not only wanted for servers. */
        n->for_servers = n->for_servers && k->for_servers;
        for (size_t i = 0; i < n->n_reasons; i++)
                if (streq(n->reasons[i].chain, reason->chain))
                        return 0;
        if (GROW(n->reasons, n->cap, n->n_reasons + 1) < 0)
                return -ENOMEM;
        nr = &n->reasons[n->n_reasons];
        *nr = *reason;
        nr->chain = strdup(reason->chain);
        nr->detail = strdup_or_null(reason->detail);
        if (!nr->chain || (reason->detail && !nr->detail)) {
                free(nr->chain);
                free(nr->detail);
                return -ENOMEM;
        }
        n->n_reasons++;
        return 0;
}

/* "passwd: files sss (/etc/nsswitch.conf:7)" */
static char *db_origin(const NssConfig *nss, NssDb db) {
        const NssDatabase *d = &nss->db[db];
        char *s = NULL;

        switch (d->origin) {
        case NSS_ORIGIN_LINE:
                asprintf_safe(&s, "%s: %s (/etc/nsswitch.conf:%u)", nss_db_to_string(db), d->text, d->line);
                break;
        case NSS_ORIGIN_INHERITED:
                if (d->line)
                        asprintf_safe(&s, "%s: %s (/etc/nsswitch.conf:%u, the %s line, which %s inherits)", nss_db_to_string(db),
                                      d->text, d->line, nss_db_to_string(d->inherited_from), nss_db_to_string(db));
                else
                        asprintf_safe(&s, "%s: %s (glibc's default for %s, which %s inherits)", nss_db_to_string(db),
                                      d->text, nss_db_to_string(d->inherited_from), nss_db_to_string(db));
                break;
        case NSS_ORIGIN_DEFAULT:
                asprintf_safe(&s, "%s: %s (glibc's default: no %s line in /etc/nsswitch.conf)", nss_db_to_string(db),
                              d->text, nss_db_to_string(db));
                break;
        }
        return s;
}

static int walk_db(Walk *w, NssDb db, const char *prefix, bool first_only);

/* libnss_compat calls the passwd_compat service's passwd functions, and so on. */
static NssDb base_db(NssDb db) {
        return db == NSS_DB_PASSWD_COMPAT ? NSS_DB_PASSWD :
               db == NSS_DB_GROUP_COMPAT ? NSS_DB_GROUP :
               db == NSS_DB_SHADOW_COMPAT ? NSS_DB_SHADOW : db;
}

static uint64_t families_of_servers(const ServerList *l) {
        uint64_t m = 0;

        for (size_t i = 0; i < l->n; i++) {
                if (l->items[i].unix_socket)
                        m |= UINT64_C(1) << AF_UNIX;
                for (unsigned k = 0; k < l->items[i].n_prefixes; k++)
                        m |= UINT64_C(1) << l->items[i].prefixes[k].family;
        }
        return m;
}

int needs_add_servers_and_families(const Facts *f, NeedList *out, const NeedsSpec *spec, bool families_too,
                                   const char *base, const NeedReason *tmpl) {
        uint64_t families = spec->families;
        int r;

        STRV_FOREACH(p, spec->servers) {
                const ServerList *l = facts_servers(f, *p);

                if (!l)
                        continue;
                if (spec->server_families)
                        families |= families_of_servers(l);
                for (size_t i = 0; i < l->n; i++) {
                        _cleanup_free_ char *why = NULL;
                        NeedReason nr = *tmpl;

                        if (l->items[i].unix_socket)
                                continue;       /* a socket path: only its family matters */
                        if (asprintf_safe(&why, "%s → server %s (%s)", base, l->items[i].value, l->items[i].origin) < 0)
                                return -ENOMEM;
                        nr.chain = why;
                        r = need_list_add(out, &(NeedKey) { .kind = NEED_SERVER, .server = &l->items[i] }, &nr);
                        if (r < 0)
                                return r;
                }
                if (l->unexpressible) {
                        _cleanup_free_ char *why = NULL;

                        if (asprintf_safe(&why, "%s → %s", base, l->unexpressible) < 0 ||
                            strv_extend_uniq(&out->unmet, why) < 0)
                                return -ENOMEM;
                }
        }

        for (int af = 0; families_too && af < AF_BITS; af++) {
                NeedReason nr = *tmpl;

                if (!(families & (UINT64_C(1) << af)))
                        continue;
                nr.chain = (char *) base;
                /* IP families of a module with servers exist to reach those servers. */
                r = need_list_add(out, &(NeedKey) { .kind = NEED_FAMILY, .af = af,
                                                    .for_servers = spec->servers && (af == AF_INET || af == AF_INET6) }, &nr);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int apply_rule(Walk *w, NssDb db, const Rule *rule, const char *chain) {
        _cleanup_free_ char *base = NULL, *pkgs = rule_packages(rule);

        if (!pkgs || asprintf_safe(&base, "%s → %s: %s (%s, %s)", chain, rule->name,
                                   strempty(rule->contacts), pkgs, rule->file_name) < 0)
                return -ENOMEM;
        return needs_add_servers_and_families(w->facts, w->out, &rule->needs, true, base,
                                              &(NeedReason) { .db = db, .line = w->facts->nss.db[db].line,
                                                              .rule = rule, .via = w->via });
}

static int walk_compat(Walk *w, NssDb db, const char *chain) {
        static const struct { NssDb db, compat_db; int file; } map[] = {
                { NSS_DB_PASSWD, NSS_DB_PASSWD_COMPAT, COMPAT_PASSWD },
                { NSS_DB_GROUP, NSS_DB_GROUP_COMPAT, COMPAT_GROUP },
                { NSS_DB_SHADOW, NSS_DB_SHADOW_COMPAT, COMPAT_SHADOW },
        };

        for (size_t i = 0; i < ELEMENTSOF(map); i++) {
                const CompatUse *c = &w->facts->compat[map[i].file];
                _cleanup_free_ char *next = NULL;

                if (map[i].db != db || !c->origin)
                        continue;
                _cleanup_free_ char *via = NULL;
                int r;

                if (asprintf_safe(&next, "%s → compat entry '%s' (%s) →", chain, c->entry, c->origin) < 0 ||
                    asprintf_safe(&via, "%s: compat, /etc/nsswitch.conf:%u, and '%s' in %s", nss_db_to_string(db),
                                  w->facts->nss.db[db].line, c->entry, c->origin) < 0 ||
                    strv_extend(&w->out->vias, via) < 0)
                        return -ENOMEM;
                /* libnss_compat asks only the first service of the *_compat line. */
                w->via = w->out->vias[strv_length(w->out->vias) - 1];
                r = walk_db(w, map[i].compat_db, next, true);
                w->via = NULL;
                return r;
        }
        return 0;
}

/* Can a lookup through service s end UNAVAIL on this host? Yes when its module is not
 * installed (dlopen fails), or when the daemon behind it is not enabled. A module whose
 * daemon runs answers, since the unit gets the families it needs to reach it. */
static bool unavail_possible(const NssService *s, const void *data) {
        const Walk *w = data;
        const Rule *r = rules_find(w->rules, RULE_NSS, s->name);

        if (!r || !r->daemons)
                return true;
        if (!isempty(r->module) && !facts_module_installed(w->facts, r->module))
                return true;
        STRV_FOREACH(d, r->daemons)
                if (facts_daemon_enabled(w->facts, *d))
                        return false;
        return true;
}

static int walk_db(Walk *w, NssDb db, const char *prefix, bool first_only) {
        const NssDatabase *d = &w->facts->nss.db[db];
        _cleanup_free_ char *origin = db_origin(&w->facts->nss, db), *chain = NULL;
        int r;

        if (!origin)
                return -ENOMEM;
        chain = prefix ? strjoin(prefix, " ", origin) : strdup(origin);
        if (!chain)
                return -ENOMEM;

        for (size_t i = 0; i < d->n && !(first_only && i > 0); i++) {
                const NssService *s = &d->services[i];
                const Rule *rule;

                if (!nss_service_reachable(d, i, unavail_possible, w))
                        break;
                if (s->comment)
                        continue;
                rule = rules_find(w->rules, RULE_NSS, s->name);
                if (!rule) {
                        _cleanup_free_ char *msg = NULL;

                        if (asprintf_safe(&msg, "%s → no rule describes NSS service '%s': nothing granted for it",
                                          chain, s->name) < 0 ||
                            strv_extend_uniq(&w->out->unknown, msg) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (rule->needs.databases && !(rule->needs.databases & (UINT32_C(1) << base_db(db))))
                        continue;       /* glibc finds no function for this database */
                if (!isempty(rule->module) && w->facts->nss_modules_observable &&
                    !facts_module_installed(w->facts, rule->module)) {
                        /* glibc cannot load it: the service is UNAVAIL and needs nothing (a
                         * purged libnss-ldapd leaves "ldap" in nsswitch.conf) */
                        if (strv_extend_uniqf(&w->out->notes, "%s → %s: %s is not installed, so glibc skips the "
                                                              "service (UNAVAIL): nothing granted for it", chain,
                                              s->name, rule->module) < 0)
                                return -ENOMEM;
                        continue;
                }
                r = apply_rule(w, db, rule, chain);
                if (r < 0)
                        return r;
                if (streq(s->name, "compat")) {
                        r = walk_compat(w, db, chain);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* Can the unit reach some address other than its own loopback over this family? */
static bool reaches_beyond_loopback(const UnitView *v, int family) {
        IPPrefix any = { .family = family, .prefixlen = 0 };
        IPPrefix loop;

        if (ip_prefix_parse(family == AF_INET ? "127.0.0.0/8" : "::1", &loop) < 0)
                return true;
        if (!ip_prefix_set_contains(&v->ip_deny, &any))
                return true;    /* not everything is denied */
        for (size_t i = 0; i < v->ip_allow.n; i++)
                if (v->ip_allow.items[i].family == family && !ip_prefix_contains(&loop, &v->ip_allow.items[i]))
                        return true;
        return false;
}

static const char *why_no_hosts(const UnitView *v) {
        bool v4 = sandbox_af_allowed(&v->sb, AF_INET), v6 = sandbox_af_allowed(&v->sb, AF_INET6);

        if (v->sb.private_network)
                return "host and network databases not considered: PrivateNetwork=yes (judged without our drop-in)";
        if (!v4 && !v6)
                return "host and network databases not considered: no AF_INET/AF_INET6 sockets (judged without our drop-in)";
        if (!(v4 && reaches_beyond_loopback(v, AF_INET)) && !(v6 && reaches_beyond_loopback(v, AF_INET6)))
                return "host and network databases not considered: IPAddressDeny= leaves only loopback (judged without our drop-in)";
        return NULL;
}

/* The NSS databases a unit uses, walked into out: the walk reads only the facts and the
 * rules, so its result depends on the unit through uses_ip alone. */
static int walk_nss(const Facts *f, const RuleSet *rules, bool uses_ip, NeedList *out) {
        Walk w = { .facts = f, .rules = rules, .out = out };

        for (int db = 0; db < _NSS_DB_MAX && !f->nss.broken; db++) {
                int r;

                if (!(identity_dbs & (1u << db)) && !((network_dbs & (1u << db)) && uses_ip))
                        continue;
                r = walk_db(&w, (NssDb) db, NULL, false);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Like strv_copy(), but NULL stays NULL: an empty list and no list read the same to
 * need_list_done(), not to every reader of a NeedList. */
static int copy_strv(char * const *src, char ***dst) {
        if (!src)
                return 0;
        *dst = strv_copy(src);
        return *dst ? 0 : -ENOMEM;
}

static int copy_need(const NeedList *src, const Need *n, NeedList *dst, Need *ret) {
        *ret = *n;
        ret->value = NULL;
        ret->reasons = NULL;
        ret->n_reasons = ret->cap = 0;
        if (n->value && !(ret->value = strdup(n->value)))
                return -ENOMEM;
        ret->reasons = calloc(n->n_reasons ?: 1, sizeof(NeedReason));
        if (!ret->reasons)
                return -ENOMEM;
        ret->cap = n->n_reasons ?: 1;
        for (size_t k = 0; k < n->n_reasons; k++) {
                NeedReason *nr = &ret->reasons[k];

                *nr = n->reasons[k];
                nr->chain = strdup(n->reasons[k].chain);
                nr->detail = strdup_or_null(n->reasons[k].detail);
                if (!nr->chain || (n->reasons[k].detail && !nr->detail)) {
                        free(nr->chain);
                        free(nr->detail);
                        return -ENOMEM;
                }
                ret->n_reasons++;
                /* via points into the list's own vias: to the same entry of the copy's */
                for (size_t i = 0; nr->via && src->vias && src->vias[i]; i++)
                        if (nr->via == src->vias[i]) {
                                nr->via = dst->vias[i];
                                break;
                        }
        }
        return 0;
}

/* A deep copy of a cached NSS walk into a unit's list, which holds nothing yet but
 * possibly why_no_hosts()'s note: the same list the walk would have built in place. */
static int copy_walk(const NeedList *src, NeedList *dst) {
        int r;

        r = copy_strv(src->vias, &dst->vias);
        if (r >= 0)
                r = copy_strv(src->unknown, &dst->unknown);
        if (r >= 0)
                r = copy_strv(src->unconfinable, &dst->unconfinable);
        if (r >= 0)
                r = copy_strv(src->unmet, &dst->unmet);
        STRV_FOREACH(s, src->notes)
                if (r >= 0)
                        r = strv_extend(&dst->notes, *s);
        if (r < 0)
                return r;
        if (src->n == 0)
                return 0;
        dst->items = calloc(src->n, sizeof(Need));
        if (!dst->items)
                return -ENOMEM;
        dst->cap = src->n;
        for (; dst->n < src->n; dst->n++) {
                r = copy_need(src, &src->items[dst->n], dst, &dst->items[dst->n]);
                if (r < 0) {
                        dst->n++;       /* its partial copy is freed with the list */
                        return r;
                }
        }
        return 0;
}

void nss_needs_cache_done(NssNeedsCache *c) {
        for (int i = 0; i < 2; i++)
                need_list_done(&c->walk[i]);
        *c = (NssNeedsCache) {};
}

/* The NSS part of a unit's needs, from the cache when there is one: every unit walks the
 * same nsswitch.conf with the same rules, and building its evidence strings afresh for
 * each of thousands of units was a fifth of a regenerate. */
static int nss_needs(NssNeedsCache *cache, const Facts *f, const RuleSet *rules, bool uses_ip, NeedList *out) {
        int r;

        if (!cache)
                return walk_nss(f, rules, uses_ip, out);
        if (!cache->done[uses_ip]) {
                r = walk_nss(f, rules, uses_ip, &cache->walk[uses_ip]);
                if (r < 0) {
                        need_list_done(&cache->walk[uses_ip]);
                        return r;
                }
                cache->done[uses_ip] = true;
        }
        return copy_walk(&cache->walk[uses_ip], out);
}

int needs_compute(const Facts *f, const RuleSet *rules, const UnitView *v, const PamUseList *pam,
                  const ExecAbiList *exec, char * const *mail, NeedList *ret) {
        return needs_compute_cached(NULL, f, rules, v, pam, exec, mail, ret);
}

int needs_compute_cached(NssNeedsCache *cache, const Facts *f, const RuleSet *rules, const UnitView *v,
                         const PamUseList *pam, const ExecAbiList *exec, char * const *mail, NeedList *ret) {
        const char *no_hosts = why_no_hosts(v);
        bool uses_ip = !no_hosts;
        int r;

        *ret = (NeedList) {};
        ret->nss_broken = f->nss.broken;        /* then nothing resolves, and NSS needs nothing */
        if (!f->nss.broken && no_hosts && strv_extend(&ret->notes, no_hosts) < 0)
                return -ENOMEM;

        r = nss_needs(cache, f, rules, uses_ip, ret);
        if (r < 0)
                goto fail;
        if (pam) {
                r = needs_compute_pam(f, rules, v, pam, ret);
                if (r < 0)
                        goto fail;
        }
        r = needs_compute_abis(f, v, exec, ret);
        if (r >= 0)
                r = needs_compute_mail(f, rules, v, mail, ret);
        if (r < 0)
                goto fail;
        return 0;
fail:
        need_list_done(ret);
        return r;
}

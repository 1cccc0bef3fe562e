/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <sys/socket.h>

#include "lookup-paths.h"
#include "macro.h"
#include "names.h"
#include "nsswitch.h"
#include "plan.h"
#include "strv.h"
#include "syscalls.h"

#define HEADER \
        OUR_HEADER " Do not edit: \"hardening-compat regenerate\" rewrites it.\n" \
        "# Each line relaxes the sandbox for a module or program this host runs inside\n" \
        "# the service; \"hardening-compat explain UNIT\" shows the full evidence. To\n" \
        "# override a line, add a drop-in whose name sorts after this one.\n"

void plan_done(Plan *p) {
        for (size_t i = 0; i < p->n; i++) {
                free(p->lines[i].key);
                free(p->lines[i].value);
                free(p->lines[i].comment_buf);
                strv_free(p->lines[i].comments);
        }
        free(p->lines);
        free(p->unit);
        free(p->path);
        free(p->text);
        for (size_t i = 0; i < p->n_files; i++)
                free(p->files[i].text);
        strv_free(p->unmet);
        *p = (Plan) {};
}

static int cmp_unsigned(const void *a, const void *b) {
        unsigned x = *(const unsigned *) a, y = *(const unsigned *) b;

        return (x > y) - (x < y);
}

/* "sss for passwd, group (/etc/nsswitch.conf:1,2): <contacts> [libnss-sss, nss-sss.rules]" —
 * one comment per rule, the databases that reach it gathered in file order; databases
 * reached through compat entries follow with how they were reached. */
static int comment_for_nss_rule(const Need *n, const Rule *rule, char **ret) {
        _cleanup_strv_free_ char **dbs = NULL, **lines = NULL, **vias = NULL;
        _cleanup_free_ char *d = NULL, *l = NULL, *what = NULL, *v = NULL;
        _cleanup_free_ unsigned *nums = calloc(n->n_reasons + 1, sizeof(unsigned));
        _cleanup_free_ const NeedReason **order = calloc(n->n_reasons + 1, sizeof(NeedReason *));
        size_t k = 0, m = 0;

        if (!nums || !order)
                return -ENOMEM;
        for (size_t i = 0; i < n->n_reasons; i++)
                if (n->reasons[i].rule == rule)
                        order[m++] = &n->reasons[i];
        /* databases by line (defaults, line 0, last), stable */
        for (size_t i = 1; i < m; i++)
                for (size_t j = i; j > 0 && (order[j - 1]->line == 0 ? UINT32_MAX : order[j - 1]->line) >
                                            (order[j]->line == 0 ? UINT32_MAX : order[j]->line); j--) {
                        const NeedReason *t = order[j - 1];
                        order[j - 1] = order[j];
                        order[j] = t;
                }
        for (size_t i = 0; i < m; i++) {
                if (order[i]->via) {
                        _cleanup_free_ char *x = NULL;

                        if (asprintf_safe(&x, "%s (via %s)", nss_db_to_string(order[i]->db), order[i]->via) < 0 ||
                            strv_extend_uniq(&vias, x) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (strv_extend_uniq(&dbs, nss_db_to_string(order[i]->db)) < 0)
                        return -ENOMEM;
                if (order[i]->line) {
                        bool seen = false;

                        for (size_t x = 0; x < k; x++)
                                seen = seen || nums[x] == order[i]->line;
                        if (!seen)
                                nums[k++] = order[i]->line;
                }
        }
        if (k > 0)
                qsort(nums, k, sizeof(unsigned), cmp_unsigned);
        for (size_t i = 0; i < k; i++) {
                char num[16];

                snprintf(num, sizeof(num), "%u", nums[i]);
                if (strv_extend(&lines, num) < 0)
                        return -ENOMEM;
        }
        if (dbs) {
                _cleanup_free_ char *names = strv_join(dbs, ", "), *ls = lines ? strv_join(lines, ",") : strdup("glibc default");

                if (!names || !ls || asprintf_safe(&d, "%s (%s%s)", names, lines ? "/etc/nsswitch.conf:" : "", ls) < 0)
                        return -ENOMEM;
        }
        if (vias) {
                v = strv_join(vias, ", ");
                if (!v)
                        return -ENOMEM;
        }
        l = strjoin(strempty(d), d && v ? " and " : "", strempty(v));
        if (!l)
                return -ENOMEM;
        if (n->kind == NEED_SERVER)
                asprintf_safe(&what, "server %s (%s)", n->server->value, n->server->origin);
        else
                what = strdup(strempty(rule->contacts));
        if (!what)
                return -ENOMEM;
        {
                _cleanup_free_ char *pkgs = rule_packages(rule);

                if (!pkgs)
                        return -ENOMEM;
                return asprintf_safe(ret, "# %s for %s: %s [%s, %s]", rule->name, l, what, pkgs, rule->file_name);
        }
}

/* What the module does that needs the line: the server, the reason's own detail (a
 * helper's group), or the rule's Contacts=. */
static char *what_for(const Need *n, const NeedReason *first) {
        char *s = NULL;

        if (n->kind == NEED_SERVER)
                asprintf_safe(&s, "server %s (%s)", n->server->value, n->server->origin);
        else
                s = strdup(first->detail ? first->detail : strempty(first->rule->contacts));
        return s;
}

/* "pam_ldap.so for sshd auth, account (/etc/pam.d/sshd:3 → /etc/pam.d/common-auth:17; …):
 * <what> [libpam-ldapd, pam-pam_ldap.rules]" — one comment per rule, the services, types
 * and stack lines that reach it gathered in order. */
static int comment_for_pam_rule(const Need *n, const Rule *rule, char **ret) {
        _cleanup_strv_free_ char **services = NULL, **wheres = NULL, **uses = NULL;
        _cleanup_free_ char *u = NULL, *w = NULL, *what = NULL, *pkgs = rule_packages(rule);
        const NeedReason *first = NULL;

        if (!pkgs)
                return -ENOMEM;
        for (size_t i = 0; i < n->n_reasons; i++) {
                const NeedReason *r = &n->reasons[i];

                if (r->rule != rule)
                        continue;
                first = first ? first : r;
                if (strv_extend_uniq(&services, r->pam_service) < 0 || strv_extend_uniq(&wheres, r->pam_where) < 0)
                        return -ENOMEM;
        }
        STRV_FOREACH(svc, services) {
                _cleanup_strv_free_ char **types = NULL;
                _cleanup_free_ char *t = NULL, *one = NULL;

                for (size_t i = 0; i < n->n_reasons; i++)
                        if (n->reasons[i].rule == rule && streq(n->reasons[i].pam_service, *svc) &&
                            strv_extend_uniq(&types, pam_type_to_string(n->reasons[i].pam_type)) < 0)
                                return -ENOMEM;
                t = strv_join(types, ", ");
                if (!t || asprintf_safe(&one, "%s %s", *svc, t) < 0 || strv_consume(&uses, TAKE_PTR(one)) < 0)
                        return -ENOMEM;
        }
        u = strv_join(uses, "; ");
        w = strv_join(wheres, "; ");
        what = what_for(n, first);
        if (!u || !w || !what)
                return -ENOMEM;
        return asprintf_safe(ret, "# %s for PAM %s (%s): %s [%s, %s]", rule->name, u, w, what, pkgs, rule->file_name);
}

/* "postfix, the MTA behind /usr/sbin/sendmail, for the mail the unit sends (ExecStart= (…)
 * runs /usr/sbin/sendmail): <what> [postfix, mta-postfix.rules]" */
static int comment_for_mta_rule(const Need *n, const NeedReason *first, char **ret) {
        _cleanup_free_ char *what = what_for(n, first), *pkgs = rule_packages(first->rule);

        if (!what || !pkgs)
                return -ENOMEM;
        return asprintf_safe(ret, "# %s, %s, for the mail this unit sends (%s): %s [%s, %s]", first->rule->name,
                             first->rule->kind == RULE_MTA ? "the MTA behind sendmail" : "standing in for sendmail",
                             strempty(first->sender), what, pkgs, first->rule->file_name);
}

static int comment_for_rule(const Need *n, const Rule *rule, char **ret) {
        for (size_t i = 0; i < n->n_reasons; i++) {
                if (n->reasons[i].rule != rule)
                        continue;
                if (rule->kind == RULE_MTA || rule->kind == RULE_MAIL_LOOPBACK)
                        return comment_for_mta_rule(n, &n->reasons[i], ret);
                return n->reasons[i].pam_service ? comment_for_pam_rule(n, rule, ret) : comment_for_nss_rule(n, rule, ret);
        }
        return -EINVAL;
}

static int add_line(Plan *p, const char *key, const char *value, const Need *n) {
        PlanLine pl = { .need = n };
        int r;

        pl.key = strdup(key);
        pl.value = strdup(value);
        if (!pl.key || !pl.value)
                goto oom;
        for (size_t i = 0; i < n->n_reasons; i++) {
                _cleanup_free_ char *c = NULL;
                bool done = false;

                if (!n->reasons[i].rule) {
                        /* an executable's ABI: the reason says it all */
                        c = strjoin("# ", n->reasons[i].detail);
                        if (!c || strv_consume(&pl.comments, TAKE_PTR(c)) < 0)
                                goto oom;
                        continue;
                }
                for (size_t k = 0; k < i; k++)
                        done = done || n->reasons[k].rule == n->reasons[i].rule;
                if (done)
                        continue;
                r = comment_for_rule(n, n->reasons[i].rule, &c);
                if (r < 0 || strv_consume(&pl.comments, TAKE_PTR(c)) < 0)
                        goto oom;
        }
        if (GROW(p->lines, p->cap, p->n + 1) < 0)
                goto oom;
        p->lines[p->n++] = pl;
        return 0;
oom:
        free(pl.key);
        free(pl.value);
        strv_free(pl.comments);
        return -ENOMEM;
}

static bool server_blocked(const UnitView *v, const Server *s) {
        for (unsigned i = 0; i < s->n_prefixes; i++) {
                const IPPrefix *p = &s->prefixes[i];

                /* Allowed when an allow entry matches; else denied when a deny entry
                 * matches; else allowed (systemd.resource-control(5)). */
                if (!ip_prefix_set_contains(&v->ip_allow, p) && ip_prefix_set_contains(&v->ip_deny, p))
                        return true;
        }
        return false;
}

static int render(Plan *p) {
        size_t len = strlen(HEADER) + 16;
        char *t, *q;

        free(p->text);
        p->text = NULL;
        if (p->n == 0)
                return 0;
        for (size_t i = 0; i < p->n; i++) {
                STRV_FOREACH(c, p->lines[i].comments)
                        len += strlen(*c) + 1;
                len += strlen(p->lines[i].key) + strlen(p->lines[i].value) + 2;
        }
        t = q = malloc(len + 1);
        if (!t)
                return -ENOMEM;
        q = stpcpy(q, HEADER "[Service]\n");
        for (size_t i = 0; i < p->n; i++) {
                STRV_FOREACH(c, p->lines[i].comments)
                        q = stpcpy(stpcpy(q, *c), "\n");
                q = stpcpy(stpcpy(stpcpy(stpcpy(q, p->lines[i].key), "="), p->lines[i].value), "\n");
        }
        p->text = t;
        return 0;
}

/* The whole address space of a family, as IPAddressDeny= writes it. */
static const char *any_of(int family) {
        return family == AF_INET ? "0.0.0.0/0" : "::/0";
}

static bool denies_all(const IPPrefixSet *deny, int family) {
        IPPrefix any = { .family = family, .prefixlen = 0 };

        return ip_prefix_set_contains(deny, &any);
}

static int add_deny_line(Plan *p, int family, const Need *n) {
        PlanLine pl = { .need = n, .deny_family = family };

        pl.key = strdup("IPAddressDeny");
        pl.value = strdup(any_of(family));
        if (!pl.key || !pl.value ||
            asprintf_safe(&pl.comment_buf, "# %s is granted above only to reach the servers allowed below: "
                          "every other %s address stays refused", af_to_name(family), af_to_name(family)) < 0 ||
            strv_consume(&pl.comments, TAKE_PTR(pl.comment_buf)) < 0 ||
            GROW(p->lines, p->cap, p->n + 1) < 0) {
                free(pl.key);
                free(pl.value);
                free(pl.comment_buf);
                strv_free(pl.comments);
                return -ENOMEM;
        }
        p->lines[p->n++] = pl;
        return 0;
}

/* The first rule name of a need, for messages. */
static const char *need_module(const Need *n) {
        return n->n_reasons > 0 && n->reasons[0].rule ? n->reasons[0].rule->name : "a module";
}

/* DeviceAllow= "NODE PERMS" → node and perms ("r", "rw", "rwm"; default "rwm"). */
static int split_device(const char *spec, char **ret_node, const char **ret_perms) {
        size_t k = strcspn(spec, " \t");
        const char *perms = spec + k + strspn(spec + k, " \t");

        *ret_node = strndup(spec, k);
        *ret_perms = *perms ? perms : "rwm";
        return *ret_node ? 0 : -ENOMEM;
}

/* Whether the base view already meets a module need (PAM), as systemd would run it. */
static bool module_need_met(const Sandbox *sb, const Need *n) {
        switch (n->kind) {
        case NEED_GROUP:
                return strv_contains(sb->supplementary_groups, n->value);
        case NEED_PATH:
                return sandbox_path_writable(sb, n->value);
        case NEED_CAPABILITY:
                return sb->capability_bounding_set & (UINT64_C(1) << n->number);
        case NEED_SYSCALL:
                return syscall_filter_allows_group(&sb->syscall_filter, n->value);
        case NEED_NAMESPACE:
                return sandbox_namespace_allowed(sb, n->value);
        case NEED_DEVICE: {
                _cleanup_free_ char *node = NULL;
                const char *perms;

                return split_device(n->value, &node, &perms) < 0 || sandbox_device_allowed(sb, node, perms);
        }
        case NEED_HOME:
                return !sandbox_path_hidden_by_home(sb, "/home") &&
                       (streq(n->value, "read") || sandbox_path_writable(sb, "/home"));
        case NEED_ABI:
                return sandbox_abi_allowed(sb, n->value);
        case NEED_NO_NNP:
                return !sb->no_new_privileges;
        case NEED_SENDMAIL_STANDIN:
                for (size_t i = 0; i < sb->n_binds; i++)
                        if (endswith(sb->binds[i].source, "/" STANDIN_NAME))
                                return true;
                return false;
        default:
                return true;
        }
}

static void plan_files_drop(Plan *p) {
        for (size_t i = 0; i < p->n_files; i++)
                free(p->files[i].text);
        p->n_files = 0;
}

static int add_file(Plan *p, const char *name, unsigned mode, char *text) {
        if (!text)
                return -ENOMEM;
        if (p->n_files >= PLAN_FILES_MAX) {
                free(text);
                return -EINVAL;
        }
        p->files[p->n_files++] = (PlanFile) { .name = name, .text = text, .mode = mode };
        return 0;
}

/* The loopback strategy: a script bound over sendmail in this unit only, which runs the
 * stand-in (msmtp) against the MTA's listener, with every option on its command line
 * (--host makes msmtp read no configuration file, so /etc/msmtprc, if any, is left alone),
 * and an aliases table that qualifies the login names ("root" → "root@localhost"): SMTP
 * listeners refuse bare names, which the MTA's own sendmail would have qualified. The same
 * holds for addresses in headers (cron's "From: root (Cron Daemon)", unattended-upgrades'
 * "To: root"), which msmtp cannot qualify: it writes From: from the envelope sender and
 * replaces To:/Cc:/Bcc: by "undisclosed-recipients:;" instead (the recipients are kept). */
static int plan_standin(Plan *p, const MtaFacts *m, const Need *n) {
        _cleanup_free_ char *dir = NULL, *bind = NULL, *aliases = NULL;
        char *script = NULL;

        if (!m || !m->listener.address || !m->loopback_program)
                return -EINVAL;
        dir = strjoin(UNIT_OUTPUT_DIR "/", p->unit, ".d/");
        if (!dir || asprintf_safe(&bind, "%s" STANDIN_NAME ":%s", dir, m->path) < 0 ||
            asprintf_safe(&aliases, "%s" STANDIN_ALIASES_NAME, dir) < 0)
                return -ENOMEM;
        {
                _cleanup_free_ char *body = NULL;
                size_t len = 1;

                STRV_FOREACH(u, m->local_users)
                        len += 2 * strlen(*u) + strlen(": @localhost\n");
                body = calloc(1, len);
                if (!body)
                        return -ENOMEM;
                STRV_FOREACH(u, m->local_users)
                        strcat(strcat(strcat(strcat(body, *u), ": "), *u), "@localhost\n");
                if (add_file(p, STANDIN_ALIASES_NAME, 0644,
                             strjoin(OUR_HEADER " Do not edit: \"hardening-compat regenerate\" rewrites it.\n"
                                     "# msmtp's aliases for the sendmail stand-in of ", p->unit,
                                     ": each login name of /etc/passwd,\n"
                                     "# qualified with @localhost, as the MTA's own sendmail would qualify it.\n",
                                     body)) < 0)
                        return -ENOMEM;
        }
        if (asprintf_safe(&script,
                          "#!/bin/sh\n"
                          OUR_HEADER " Do not edit: \"hardening-compat regenerate\" rewrites it.\n"
                          "# Bound over %s in %s only (BindReadOnlyPaths= in " OUR_DROPIN_NAME "):\n"
                          "# %s's submission needs set-ID privilege, which NoNewPrivileges= stops;\n"
                          "# %s hands the mail to %s's SMTP listener on %s port %u instead.\n"
                          "# Bare local names are qualified (the aliases), and the From:, To:, Cc: headers replaced,\n"
                          "# since an SMTP listener refuses bare names there (exim: \"550 header syntax\").\n"
                          "exec %s --host=%s --port=%u --auth=off --tls=off --from=%%U@localhost --aliases=%s \\\n"
                          "\t--set-from-header=on --undisclosed-recipients=on \"$@\"\n",
                          m->path, p->unit, m->rule->name, m->loopback_program, m->rule->name, m->listener.address,
                          m->listener.port, m->loopback_program, m->listener.address, m->listener.port, aliases) < 0)
                return -ENOMEM;
        if (add_file(p, STANDIN_NAME, 0755, script) < 0)
                return -ENOMEM;
        return add_line(p, "BindReadOnlyPaths", bind, n);
}

/* The line that meets a module need the base view refuses, or an unmet entry when no
 * line can without opening more than the module needs. */
static int plan_module_need(Plan *p, const UnitView *base, const MtaFacts *mta, const Need *n) {
        const Sandbox *sb = &base->sb;
        _cleanup_free_ char *dash = NULL;

        if (n->kind == NEED_FAMILY || n->kind == NEED_SERVER || module_need_met(sb, n))
                return 0;
        switch (n->kind) {
        case NEED_GROUP:
                return add_line(p, "SupplementaryGroups", n->value, n);
        case NEED_PATH:
                if (sandbox_path_hidden_by_home(sb, n->value))
                        return strv_extend_uniqf(&p->unmet, "%s writes %s, which ProtectHome= hides: not relaxed", need_module(n), n->value);
                /* "-": a path that does not exist yet must not fail the unit (226/NAMESPACE). */
                dash = strjoin("-", n->value);
                return dash ? add_line(p, "ReadWritePaths", dash, n) : -ENOMEM;
        case NEED_CAPABILITY: {
                char name[64];

                /* systemd reads names case-insensitively; the man pages write them upper-case */
                snprintf(name, sizeof(name), "%s", strempty(capability_to_name(n->number)));
                for (char *c = name; *c; c++)
                        *c = (char) toupper((unsigned char) *c);
                return add_line(p, "CapabilityBoundingSet", name, n);
        }
        case NEED_SYSCALL:
                return add_line(p, "SystemCallFilter", n->value, n);
        case NEED_NAMESPACE:
                return add_line(p, "RestrictNamespaces", n->value, n);
        case NEED_DEVICE:
                if (sb->private_devices)
                        return strv_extend_uniqf(&p->unmet, "%s needs the device %s, which PrivateDevices=yes removes from /dev: not relaxed",
                                         need_module(n), n->value);
                return add_line(p, "DeviceAllow", n->value, n);
        case NEED_HOME:
                if (sandbox_path_hidden_by_home(sb, "/home"))
                        return strv_extend_uniqf(&p->unmet, "%s %ss home directories, which ProtectHome= hides: not relaxed (that would "
                                            "expose every user's files; override it in your own drop-in if you use %s)",
                                         need_module(n), n->value, need_module(n));
                return add_line(p, "ReadWritePaths", "-/home", n);
        case NEED_ABI:
                /* additive: SystemCallArchitectures= is a union, and the need only exists
                 * when the set is non-empty (needs-arch.c), so no restriction is created */
                return add_line(p, "SystemCallArchitectures", n->value, n);
        case NEED_NO_NNP:
                /* needs-mta.c asks for it only when nothing else implies NoNewPrivileges */
                return add_line(p, "NoNewPrivileges", "no", n);
        case NEED_SENDMAIL_STANDIN:
                return plan_standin(p, mta, n);
        default:
                return 0;
        }
}

int plan_build(const Unit *u, const UnitView *base, const NeedList *needs, Plan *ret) {
        const Sandbox *sb = &base->sb;
        IPPrefixSet deny = {};
        int r = -ENOMEM;

        *ret = (Plan) {};
        ret->unit = strdup(u->id);
        ret->path = strjoin(UNIT_OUTPUT_DIR "/", u->id, ".d/" OUR_DROPIN_NAME);
        if (!ret->unit || !ret->path || ip_prefix_set_copy(&deny, &base->ip_deny) < 0)
                goto fail;

        /* Families first, then the firewall, then servers: the order of the file. */
        for (size_t i = 0; i < needs->n; i++) {
                const Need *n = &needs->items[i];

                if (n->kind != NEED_FAMILY || sandbox_af_allowed(sb, n->af))
                        continue;
                if (n->for_servers && sb->private_network)
                        continue;       /* reported with the servers below */
                r = add_line(ret, "RestrictAddressFamilies", af_to_name(n->af), n);
                if (r < 0)
                        goto fail;
        }
        /* An IP family granted only to reach servers comes with a firewall that allows those
         * servers and nothing else, unless the unit's IPAddressDeny= already refuses it all. */
        for (size_t i = 0, k = ret->n; i < k; i++) {
                const Need *n = ret->lines[i].need;
                IPPrefix any;

                if (!n->for_servers || denies_all(&deny, n->af))
                        continue;
                if (ip_prefix_parse(any_of(n->af), &any) < 0 || ip_prefix_set_add(&deny, &any) < 0)
                        goto fail;
                r = add_deny_line(ret, n->af, n);
                if (r < 0)
                        goto fail;
        }
        for (size_t i = 0; i < needs->n; i++) {
                const Need *n = &needs->items[i];
                UnitView v = { .ip_allow = base->ip_allow, .ip_deny = deny };

                if (n->kind != NEED_SERVER)
                        continue;
                if (sb->private_network) {
                        r = strv_extend_uniqf(&ret->unmet, "server %s (%s) is unreachable: the unit has PrivateNetwork=yes, not widened",
                                      n->server->value, n->server->origin);
                        if (r < 0)
                                goto fail;
                        continue;
                }
                if (!server_blocked(&v, n->server))
                        continue;
                r = add_line(ret, "IPAddressAllow", n->server->value, n);
                if (r < 0)
                        goto fail;
        }
        for (size_t i = 0; i < needs->n; i++) {
                r = plan_module_need(ret, base, needs->mta, &needs->items[i]);
                if (r < 0)
                        goto fail;
        }
        STRV_FOREACH(m, needs->unmet)
                if (strv_extend_uniq(&ret->unmet, *m) < 0)
                        goto fail;
        r = render(ret);
        if (r < 0)
                goto fail;
        ip_prefix_set_clear(&deny);
        return 0;
fail:
        ip_prefix_set_clear(&deny);
        plan_done(ret);
        return r;
}

/* The last assignment of a setting that is not ours: who overrides us. */
static const Origin *last_foreign_origin(const UnitView *v, Setting s, const char *ours) {
        const OriginList *l = &v->sb.origins[s];

        for (size_t i = l->n; i > 0; i--)
                if (!streq(l->items[i - 1].file, ours))
                        return &l->items[i - 1];
        return NULL;
}

static bool line_met(const PlanLine *pl, const UnitView *v) {
        if (pl->deny_family)
                return denies_all(&v->ip_deny, pl->deny_family);
        if (pl->need->kind == NEED_FAMILY)
                return sandbox_af_allowed(&v->sb, pl->need->af);
        if (pl->need->kind == NEED_SERVER)
                return !server_blocked(v, pl->need->server);
        return module_need_met(&v->sb, pl->need);
}

static Setting line_setting(const PlanLine *pl) {
        static const struct { const char *key; Setting s; } t[] = {
                { "RestrictAddressFamilies", SETTING_RESTRICT_ADDRESS_FAMILIES },
                { "IPAddressAllow", SETTING_IP_ADDRESS_ALLOW },
                { "IPAddressDeny", SETTING_IP_ADDRESS_DENY },
                { "SupplementaryGroups", SETTING_SUPPLEMENTARY_GROUPS },
                { "ReadWritePaths", SETTING_READ_WRITE_PATHS },
                { "CapabilityBoundingSet", SETTING_CAPABILITY_BOUNDING_SET },
                { "SystemCallFilter", SETTING_SYSTEM_CALL_FILTER },
                { "RestrictNamespaces", SETTING_RESTRICT_NAMESPACES },
                { "SystemCallArchitectures", SETTING_SYSTEM_CALL_ARCHITECTURES },
                { "NoNewPrivileges", SETTING_NO_NEW_PRIVILEGES },
                { "BindReadOnlyPaths", SETTING_BIND_READ_ONLY_PATHS },
        };

        for (size_t i = 0; i < ELEMENTSOF(t); i++)
                if (streq(pl->key, t[i].key))
                        return t[i].s;
        return SETTING_DEVICE_ALLOW;
}

/* Lines that change nothing are noise: drop them (need cleared by the caller). */
static int drop_lines_without_need(Plan *p) {
        size_t n = 0;

        for (size_t i = 0; i < p->n; i++) {
                if (!p->lines[i].need) {
                        if (streq(p->lines[i].key, "BindReadOnlyPaths"))
                                plan_files_drop(p);
                        free(p->lines[i].key);
                        free(p->lines[i].value);
                        strv_free(p->lines[i].comments);
                        continue;
                }
                p->lines[n++] = p->lines[i];
        }
        if (n == p->n)
                return 0;
        p->n = n;
        return render(p);
}

static int drop_family_lines(Plan *p) {
        size_t n = 0;

        for (size_t i = 0; i < p->n; i++) {
                if (streq(p->lines[i].key, "RestrictAddressFamilies")) {
                        free(p->lines[i].key);
                        free(p->lines[i].value);
                        strv_free(p->lines[i].comments);
                        continue;
                }
                p->lines[n++] = p->lines[i];
        }
        p->n = n;
        return render(p);
}

int plan_verify(Loader *l, const Unit *u, const UnitView *base, Plan *p) {
        _cleanup_free_ char *host_path = NULL;
        const UnitFile *other;
        UnitFile extra = {};
        UnitView sim = {};
        uint64_t withdrawn = 0;
        int r;

        if (!p->text)
                return 0;

        other = unit_foreign_file_at_our_path(u);
        if (other) {
                p->blocked = true;
                return strv_extend_uniqf(&p->unmet, "%s is not ours (no hardening-compat header): not touching it", other->host_path);
        }
        other = unit_dropin_shadowing_ours(u);
        if (other) {
                p->blocked = true;
                return strv_extend_uniqf(&p->unmet, "%s has our file name in a directory systemd reads first: ours would be ignored",
                                 other->host_path);
        }

        host_path = root_host_path(l->index->root, p->path);
        if (!host_path)
                return -ENOMEM;
        r = unit_file_from_text(p->text, host_path, &extra);
        if (r < 0)
                return r;
        r = unit_view(l, u, &extra, NULL, &sim);
        if (r < 0)
                goto out;

        /* Never create a restriction: every family the unit could open, it still can. */
        for (int af = 0; af < AF_BITS; af++)
                if (sandbox_af_allowed(&base->sb, af) && !sandbox_af_allowed(&sim.sb, af)) {
                        r = strv_extend_uniqf(&p->unmet, "RestrictAddressFamilies= lines would refuse %s where the unit had it, "
                                         "because of how later drop-ins combine with them: not written", af_to_name(af));
                        if (r >= 0)
                                r = drop_family_lines(p);
                        goto out;
                }

        for (size_t i = 0; i < p->n; i++) {
                const PlanLine *pl = &p->lines[i];
                Setting s = line_setting(pl);
                const Origin *o;
                _cleanup_free_ char *where = NULL;

                if (!pl->need || line_met(pl, &sim))
                        continue;
                o = last_foreign_origin(&sim, s, host_path);
                if (o && asprintf_safe(&where, "%s:%u", o->file, o->line) < 0) {
                        r = -ENOMEM;
                        goto out;
                }
                if (pl->deny_family) {
                        /* Without its fence, the family would reach everything: not granted. */
                        r = strv_extend_uniqf(&p->unmet, "%s would reach every address: a later setting (%s) resets IPAddressDeny=, "
                                         "so it is not granted", af_to_name(pl->deny_family), where ? where : "a slice");
                        if (r < 0)
                                goto out;
                        for (size_t k = 0; k < p->n; k++)
                                if (p->lines[k].deny_family == pl->deny_family ||
                                    (p->lines[k].need && p->lines[k].need->kind == NEED_FAMILY &&
                                     p->lines[k].need->af == pl->deny_family))
                                        p->lines[k].need = NULL;
                        withdrawn |= UINT64_C(1) << pl->deny_family;
                        continue;
                }
                r = strv_extend_uniqf(&p->unmet, "%s: a later setting still refuses it (%s), not written", pl->value, where ? where : "a slice");
                if (r < 0)
                        goto out;
                p->lines[i].need = NULL;        /* marks the line for removal */
        }
        /* Servers only reachable over a withdrawn family need no IPAddressAllow= either. */
        for (size_t i = 0; withdrawn && i < p->n; i++) {
                const Need *n = p->lines[i].need;
                bool reachable = false;

                if (!n || n->kind != NEED_SERVER)
                        continue;
                for (unsigned k = 0; k < n->server->n_prefixes; k++) {
                        int f = n->server->prefixes[k].family;
                        reachable = reachable || !(withdrawn & (UINT64_C(1) << f)) || sandbox_af_allowed(&base->sb, f);
                }
                if (!reachable)
                        p->lines[i].need = NULL;
        }
        r = drop_lines_without_need(p);
out:
        unit_view_done(&sim);
        unit_file_done(&extra);
        return r;
}

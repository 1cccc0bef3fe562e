/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mail a unit sends goes through /usr/sbin/sendmail into the MTA's submission path,
 * inside the unit's sandbox: the MTA rule's [Needs] apply to the unit (a setgid helper's
 * group under NoNewPrivileges, its queue directory under ProtectSystem=, its families and
 * servers). A setuid helper under NoNewPrivileges (or a setgid one that checks its own
 * group) has no narrower substitute inside the MTA. Least privilege first:
 *   1. the MTA listens for SMTP on loopback and a mail-loopback program (msmtp) is
 *      installed: that program stands in for sendmail in this unit only (bound over it) and
 *      hands the mail to the listener; NoNewPrivileges= stays on, and the unit gets what the
 *      stand-in needs (the listener's address family and firewall opening, a writable /tmp),
 *      nothing of the MTA's spool;
 *   2. NoNewPrivileges=yes is only explicit: it is switched off, with the rest of the rule's
 *      needs;
 *   3. otherwise nothing is written, and the settings that would have to go are named, with
 *      what closes the loopback way.
 * hardening-compat.conf's LoopbackSubmission=no and NoNewPrivilegesOff=no forbid 1 and 2.
 */
#include "macro.h"
#include "names.h"
#include "needs-internal.h"
#include "strv.h"
#include "unit-name.h"

/* Only a unit whose sandbox can refuse something the submission path needs is read: a
 * sender's files may be large programs, scanned for a sendmail path. */
static bool can_break_mail(const Sandbox *sb) {
        return sandbox_nnp_in_effect(sb, sandbox_user_is_root(sb)) || sb->protect_system != PROTECT_SYSTEM_NO ||
               sandbox_af_restricted(sb) || sb->private_network || sb->read_only_paths || sb->inaccessible_paths ||
               sb->ip_deny.n > 0 || syscall_filter_active(&sb->syscall_filter) ||
               (sb->capability_bounding_set & capability_known_mask()) != capability_known_mask();
}

int mail_use_find_for_unit(Facts *f, const Root *root, const RuleSet *rules, const Unit *u, const Sandbox *sb,
                           char ***ret) {
        _cleanup_free_ MailExec *exec = calloc(sb->n_exec + 1, sizeof(MailExec));
        _cleanup_strv_free_ char **origins = NULL;
        _cleanup_free_ char *tmpl = NULL;
        MailUnitInfo info = { .id = u->id, .exec = exec };
        int r;

        *ret = NULL;
        if (!exec)
                return -ENOMEM;
        /* without an MTA there is no submission path to break */
        if (!f->mta.path || !can_break_mail(sb))
                return 0;
        if (u->instance && unit_name_template(u->id, &tmpl) < 0)
                return -ENOMEM;
        info.template_id = tmpl;
        for (size_t i = 0; i < sb->n_exec; i++) {
                const ExecCommand *c = &sb->exec[i];

                /* "+" runs outside the sandbox: its mail is not this sandbox's business */
                if ((c->flags & EXEC_FULLY_PRIVILEGED) || !c->path)
                        continue;
                r = strv_extend_uniqf(&origins, "%s:%u", facts_path_in_root(f, c->file), c->line);
                if (r < 0)
                        return r;
                exec[info.n_exec++] = (MailExec) { .key = c->key, .path = c->path, .argv = c->argv,
                                                   .origin = origins[strv_length(origins) - 1] };
        }
        return mail_use_find(f, root, rules, &info, ret);
}

/* Strategy 1: 1 when chosen; 0 with *why_not saying what closes it. */
static int loopback_submitter(SpecWalk *w, const char *base, const char *bit_of, const NeedReason *tmpl, char **why_not) {
        const Facts *f = w->facts;
        const MtaFacts *m = &f->mta;
        _cleanup_free_ char *detail = NULL, *chain = NULL, *pkgs = NULL;
        NeedReason nr = *tmpl;
        int r;

        if (!f->config.loopback)
                return asprintf_safe(why_not, "LoopbackSubmission=no (%s:%u) forbids handing it to a loopback listener",
                                     f->config.path, f->config.loopback_line) < 0 ? -ENOMEM : 0;
        if (!m->listener.address)
                return asprintf_safe(why_not, "no loopback SMTP listener to hand it to: %s",
                                     m->listener.absent ? m->listener.absent : "none known") < 0 ? -ENOMEM : 0;
        if (!m->loopback)
                return asprintf_safe(why_not, "%s listens on %s port %u, but no program that submits there is installed "
                                              "(install msmtp)", m->rule->name, m->listener.address, m->listener.port) < 0 ?
                       -ENOMEM : 0;
        if (w->view->sb.private_network)
                return asprintf_safe(why_not, "PrivateNetwork=yes: the unit cannot reach the host's loopback listener") < 0 ?
                       -ENOMEM : 0;
        pkgs = rule_packages(m->loopback);
        if (!pkgs || asprintf_safe(&detail, "%s; %s listens on %s port %u (%s; %s enabled): in this unit only, "
                                            "%s stands in for %s and hands the mail to that listener, so "
                                            "NoNewPrivileges= stays on (%s, %s)",
                                   bit_of, m->rule->name, m->listener.address, m->listener.port, m->listener.origin,
                                   m->listener.daemon, m->loopback_program, m->path, pkgs, m->loopback->file_name) < 0 ||
            asprintf_safe(&chain, "%s → %s", base, detail) < 0)
                return -ENOMEM;
        nr.chain = chain;
        nr.detail = detail;
        r = need_list_add(w->out, &(NeedKey) { .kind = NEED_SENDMAIL_STANDIN, .value = m->loopback_program }, &nr);
        if (r < 0)
                return r;
        w->out->mta = m;
        /* the stand-in's own needs (a temporary file, the listener's address), not the MTA's */
        free(chain);
        chain = NULL;
        if (asprintf_safe(&chain, "%s → %s stands in for %s: %s (%s, %s)", base, m->loopback->name, m->path,
                          strempty(m->loopback->contacts), pkgs, m->loopback->file_name) < 0)
                return -ENOMEM;
        nr = *tmpl;
        nr.rule = m->loopback;
        r = needs_apply_spec(w, true, &m->loopback->needs, chain, &nr);
        return r < 0 ? r : 1;
}

/* A submitter whose privilege only its set-ID bit gives (setuid, or setgid with its own
 * group check) under NoNewPrivileges: the loopback stand-in, else only an explicit
 * NoNewPrivileges=yes can be switched off (an implied one stays whatever the drop-in says,
 * testbed.md §4a). 1: the caller plans NoNewPrivileges=no; 0: nothing to do; 2: it cannot
 * work, reported; 3: the stand-in is planned. */
static int privileged_submitter(SpecWalk *w, const HelperFile *h, bool checks_group, const char *base,
                                const NeedReason *tmpl) {
        const Sandbox *sb = &w->view->sb;
        _cleanup_free_ char *implied = NULL, *detail = NULL, *chain = NULL, *bit = NULL, *bit_of = NULL,
                            *why_not = NULL;
        int r;

        if (!h || !h->present || !(h->setuid || (h->setgid && checks_group)) || !sandbox_nnp_in_effect(sb, w->root))
                return 0;
        if (asprintf_safe(&bit, h->setuid ? "setuid %s" : "setgid %s and checks that it runs with that group",
                          h->setuid ? h->owner : h->group) < 0 ||
            asprintf_safe(&bit_of, "runs %s, %s, which NoNewPrivileges= keeps from gaining privilege", h->path, bit) < 0)
                return -ENOMEM;
        r = loopback_submitter(w, base, bit_of, tmpl, &why_not);
        if (r != 0)
                return r < 0 ? r : 3;
        /* for root, seccomp settings imply nothing (it keeps CAP_SYS_ADMIN): only an explicit
         * NoNewPrivileges=yes can be in effect */
        implied = w->root ? strdup("") : needs_nnp_implied_by(w->facts, sb);
        if (!implied)
                return -ENOMEM;
        if (!isempty(implied) || !w->facts->config.nnp_off) {
                if (isempty(implied))
                        return strv_extend_uniqf(&w->out->unmet, "mail cannot reach %s: %s is %s, "
                                                 "NoNewPrivilegesOff=no (%s:%u) forbids switching NoNewPrivileges=yes off, "
                                                 "and %s: nothing written for mail", w->facts->mta.rule->name, h->path, bit,
                                                 w->facts->config.path, w->facts->config.nnp_off_line, why_not) < 0 ?
                               -ENOMEM : 2;
                if (strv_extend_uniqf(&w->out->unmet, "mail cannot reach %s: %s is %s, and the NoNewPrivileges= "
                                                      "that %s imply cannot be switched off; it cannot be made to work "
                                                      "without removing %s (or an MTA whose submission is setgid or "
                                                      "network-only), and %s: nothing written for mail",
                                      w->facts->mta.rule->name, h->path, bit, implied, implied, why_not) < 0)
                        return -ENOMEM;
                return 2;
        }
        if (asprintf_safe(&detail, "runs %s, %s, which NoNewPrivileges=yes keeps from gaining privilege; no "
                                   "other setting implies NoNewPrivileges, so it can be switched off", h->path, bit) < 0 ||
            asprintf_safe(&chain, "%s → %s", base, detail) < 0)
                return -ENOMEM;
        {
                NeedReason nr = *tmpl;

                nr.chain = chain;
                nr.detail = detail;
                if (need_list_add(w->out, &(NeedKey) { .kind = NEED_NO_NNP, .value = h->path }, &nr) < 0)
                        return -ENOMEM;
        }
        w->nnp_lifted = true;
        return 1;
}

int needs_compute_mail(const Facts *f, const RuleSet *rules, const UnitView *v, char * const *mail, NeedList *out) {
        const MtaFacts *m = &f->mta;
        _cleanup_free_ char *ev = NULL, *mta = NULL, *base = NULL, *pkgs = NULL;
        SpecWalk w = { .facts = f, .rules = rules, .view = v, .out = out, .root = sandbox_user_is_root(&v->sb) };
        const HelperFile *h;
        NeedReason tmpl;
        int r;

        if (!mail)
                return 0;
        ev = strv_join((char **) mail, "; ");
        mta = mta_describe(m);
        if (!ev || !mta)
                return -ENOMEM;
        if (!m->resolved)
                return strv_extend_uniqf(&out->notes, "sends mail (%s), but the MTA is %s: nothing to relax", ev, mta);
        if (!m->rule)
                return strv_extend_uniqf(&out->unknown, "mail (%s) goes to %s: no Kind=mta rule describes it, nothing "
                                                        "granted for it", ev, mta);
        pkgs = rule_packages(m->rule);
        if (!pkgs || asprintf_safe(&base, "sends mail (%s) → %s → %s: %s (%s, %s)", ev, m->path, m->rule->name,
                                   strempty(m->rule->contacts), pkgs, m->rule->file_name) < 0)
                return -ENOMEM;
        tmpl = (NeedReason) { .rule = m->rule, .sender = mail[0] };
        h = m->rule->needs.helper ? facts_helper(f, m->rule->needs.helper) : NULL;
        w.helper_root = h && h->present && h->setuid && streq_ptr(h->owner, "root");
        r = privileged_submitter(&w, h, m->rule->needs.helper_checks_group, base, &tmpl);
        if (r < 0 || r == 2 || r == 3)
                return r < 0 ? r : 0;
        return needs_apply_spec(&w, true, &m->rule->needs, base, &tmpl);
}

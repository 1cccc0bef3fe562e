/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which units send mail: see mta.h. */
#include "elf.h"
#include "facts.h"
#include "macro.h"
#include "mta.h"
#include "rules.h"
#include "strv.h"

#define SCAN_MAX (32U << 20)    /* programs larger than this are not read */

/* Whether one file mentions a sendmail path, read once per run. */
typedef struct MailScan {
        char *path;
        const char *needle;     /* the path found, NULL: none */
} MailScan;

/* The programs that submit mail, as a command line names them. */
static const char *const mailers[] = { "sendmail", "mail", "mailx", "bsd-mailx", "s-nail" };
static const char *const sendmail_paths[] = { "/usr/sbin/sendmail", "/usr/lib/sendmail" };

void mail_use_cache_done(Facts *f) {
        for (size_t i = 0; i < f->n_mail_scans; i++)
                free(f->mail_scans[i].path);
        free(f->mail_scans);
        f->mail_scans = NULL;
        f->n_mail_scans = f->mail_scans_cap = 0;
        str_index_done(&f->mail_scan_index);
}

static const char *scan_key(const void *ctx, size_t i) {
        return ((const Facts *) ctx)->mail_scans[i].path;
}

static int scan_file(Facts *f, const Root *root, const char *path, const char **ret) {
        _cleanup_free_ char *text = NULL;
        MailScan m = {};
        size_t size = 0, i = str_index_find(&f->mail_scan_index, path, scan_key, f);

        if (i != (size_t) -1) {
                *ret = f->mail_scans[i].needle;
                return 0;
        }
        if (root_read_file(root, path, SCAN_MAX, &text, &size) == -ENOMEM)
                return -ENOMEM;
        for (size_t k = 0; text && k < ELEMENTSOF(sendmail_paths) && !m.needle; k++)
                if (memmem(text, size, sendmail_paths[k], strlen(sendmail_paths[k])))
                        m.needle = sendmail_paths[k];
        m.path = strdup(path);
        if (!m.path || GROW(f->mail_scans, f->mail_scans_cap, f->n_mail_scans + 1) < 0) {
                free(m.path);
                return -ENOMEM;
        }
        f->mail_scans[f->n_mail_scans++] = m;
        *ret = m.needle;
        return str_index_add(&f->mail_scan_index, f->n_mail_scans, scan_key, f);
}

/* A word of a command line that runs a mailer: a sendmail path anywhere in it (a "sh -c"
 * string), or a token — split at blanks and shell operators — named like a mailer. */
static const char *names_mailer(const char *word) {
        _cleanup_strv_free_ char **tokens = NULL;

        for (size_t i = 0; i < ELEMENTSOF(sendmail_paths); i++)
                if (strstr(word, sendmail_paths[i]))
                        return sendmail_paths[i];
        if (strv_split(word, " \t\n|;&()`", &tokens) < 0)
                return NULL;
        STRV_FOREACH(t, tokens) {
                const char *base = path_filename(*t) ?: *t;

                for (size_t i = 0; i < ELEMENTSOF(mailers); i++)
                        if (streq(base, mailers[i]))
                                return mailers[i];
        }
        return NULL;
}

int mail_use_find(Facts *f, const Root *root, const RuleSet *rules, const MailUnitInfo *u, char ***ret) {
        _cleanup_strv_free_ char **ev = NULL;
        int r;

        *ret = NULL;
        if (strv_contains(f->config.not_senders, u->id))
                return 0;
        if (strv_contains(f->config.senders, u->id) &&
            strv_extend_uniqf(&ev, "Senders= of %s:%u", f->config.path, f->config.senders_line) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < rules->n; i++) {
                const Rule *rule = &rules->rules[i];
                _cleanup_free_ char *progs = NULL;

                if (rule->kind != RULE_MAIL_SENDER ||
                    !(strv_contains(rule->units, u->id) || (u->template_id && strv_contains(rule->units, u->template_id))))
                        continue;
                progs = rule->programs ? strv_join(rule->programs, ", ") : strdup("its daemon");
                if (!progs || strv_extend_uniqf(&ev, "rule %s: %s sends mail", rule->file_name, progs) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < u->n_exec; i++) {
                const MailExec *x = &u->exec[i];
                _cleanup_free_ char *file = NULL;
                const char *m = names_mailer(x->path);

                STRV_FOREACH(a, (char **) x->argv)
                        m = m ?: names_mailer(*a);
                if (m && strv_extend_uniqf(&ev, "%s= (%s) runs %s", x->key, x->origin, m) < 0)
                        return -ENOMEM;
                if (exec_resolve(root, x->path, &file) < 0)
                        continue;
                r = scan_file(f, root, file, &m);
                if (r < 0)
                        return r;
                if (m && strv_extend_uniqf(&ev, "%s= (%s) runs %s, which names %s", x->key, x->origin, file, m) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(ev);
        return 0;
}

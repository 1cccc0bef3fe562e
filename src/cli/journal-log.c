/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * One structured journal entry per regenerate run on the running system, so that
 * "journalctl MESSAGE_ID=" HC_RUN_MESSAGE_ID finds every run, whatever started it (a dpkg
 * trigger, a path unit, an admin). The fields are listed in README.md.
 */

#include <stdarg.h>
#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "cli.h"
#include "macro.h"
#include "strv.h"

static int field_add_each(char ***l, const char *key, char * const *values) {
        int r = 0;

        STRV_FOREACH(v, (char **) values)
                if ((r = strv_extendf(l, "%s=%s", key, *v)) < 0)
                        break;
        return r;
}

/* MESSAGE=: what happened, in the words of the stdout lines. */
static char *run_message(const RunLog *l) {
        _cleanup_free_ char *restart = strv_join(l->restart, " "), *restarted = strv_join(l->restarted, " ");
        char *m;

        if (!restart || !restarted)
                return NULL;
        if (l->error)
                return strjoin("Drop-ins not regenerated: ", l->error);
        if (l->created + l->updated + l->removed + l->failed == 0)
                return strdup("Drop-ins regenerated: nothing changed.");
        if (asprintf_safe(&m, "Drop-ins regenerated: %u created, %u updated, %u removed, %u failed; systemd %s%s%s%s%s.",
                          l->created, l->updated, l->removed, l->failed, l->reloaded ? "reloaded" : "not reloaded",
                          *restarted ? "; restarted: " : "", restarted,
                          *restart ? "; running units to restart: " : "", restart) < 0)
                return NULL;
        return m;
}

static int run_fields(const RunLog *l, char ***ret) {
        _cleanup_strv_free_ char **f = NULL;
        _cleanup_free_ char *msg = run_message(l);
        int r;

        if (!msg)
                return -ENOMEM;
        r = strv_extendf(&f, "MESSAGE=%s", msg);
        if (r >= 0)
                r = strv_extendf(&f, "PRIORITY=%i", l->exit_status == EXIT_OK ? LOG_INFO : LOG_ERR);
        if (r >= 0)
                r = strv_extendf(&f, "SYSLOG_IDENTIFIER=hardening-compat");
        if (r >= 0)
                r = strv_extendf(&f, "MESSAGE_ID=%s", HC_RUN_MESSAGE_ID);
        if (r >= 0)
                r = strv_extendf(&f, "HARDENING_COMPAT_ROOT=%s", l->root);
        if (r >= 0)
                r = strv_extendf(&f, "HARDENING_COMPAT_CREATED=%u", l->created);
        if (r >= 0)
                r = strv_extendf(&f, "HARDENING_COMPAT_UPDATED=%u", l->updated);
        if (r >= 0)
                r = strv_extendf(&f, "HARDENING_COMPAT_REMOVED=%u", l->removed);
        if (r >= 0)
                r = strv_extendf(&f, "HARDENING_COMPAT_FAILED=%u", l->failed);
        if (r >= 0)
                r = strv_extendf(&f, "HARDENING_COMPAT_RELOADED=%s", l->reloaded ? "yes" : "no");
        if (r >= 0)
                r = strv_extendf(&f, "HARDENING_COMPAT_EXIT_STATUS=%i", l->exit_status);
        if (r >= 0)
                r = field_add_each(&f, "HARDENING_COMPAT_UNIT", l->changed);
        if (r >= 0)
                r = field_add_each(&f, "HARDENING_COMPAT_RESTART_NEEDED", l->restart);
        if (r >= 0)
                r = field_add_each(&f, "HARDENING_COMPAT_RESTARTED", l->restarted);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(f);
        return 0;
}

void journal_log_run(const RunLog *l) {
        _cleanup_strv_free_ char **f = NULL;
        _cleanup_free_ struct iovec *iov = NULL;
        size_t n;

        /* Logging is a courtesy: no journal, no memory, no entry, and the run goes on. */
        if (run_fields(l, &f) < 0)
                return;
        n = strv_length(f);
        iov = calloc(n, sizeof(struct iovec));
        if (!iov)
                return;
        for (size_t i = 0; i < n; i++)
                iov[i] = (struct iovec) { .iov_base = f[i], .iov_len = strlen(f[i]) };
        (void) sd_journal_sendv(iov, (int) n);
}

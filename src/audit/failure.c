/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <systemd/sd-journal.h>

#include "failure.h"
#include "macro.h"
#include "strv.h"

/* systemd 252 src/systemd/sd-messages.h */
#define MESSAGE_UNIT_FAILURE_RESULT "d9b373ed55a64feb8242e02dbe79a49c"
#define MESSAGE_UNIT_PROCESS_EXIT "98e322203f7a4ed290d09fe03c09fe15"
/* a long-running daemon can log without end: the newest lines are the ones that matter */
#define LINES_MAX 400

void unit_failure_done(UnitFailure *f) {
        free(f->unit);
        free(f->invocation);
        free(f->result);
        free(f->exit_code);
        free(f->command);
        strv_free(f->lines);
        free(f->seccomp_exe);
        *f = (UnitFailure) { .exit_status = -1, .seccomp_syscall = -1 };
}

/* The value of FIELD in the current entry, newly allocated; NULL when absent. */
static char *field(sd_journal *j, const char *name) {
        const void *data;
        size_t n, k = strlen(name);

        if (sd_journal_get_data(j, name, &data, &n) < 0 || n <= k || ((const char *) data)[k] != '=')
                return NULL;
        return strndup((const char *) data + k + 1, n - k - 1);
}

/* The value of " key=" in an audit message: a quoted string or a word. */
static char *audit_value(const char *msg, const char *key) {
        const char *p = msg;
        size_t k = strlen(key);

        while ((p = strstr(p, key))) {
                if ((p == msg || p[-1] == ' ') && p[k] == '=') {
                        p += k + 1;
                        if (*p == '"') {
                                const char *e = strchr(p + 1, '"');
                                return e ? strndup(p + 1, (size_t) (e - p - 1)) : NULL;
                        }
                        return strndup(p, strcspn(p, " "));
                }
                p += k;
        }
        return NULL;
}

int parse_seccomp_audit(const char *msg, char **ret_exe, uint32_t *ret_arch, int *ret_syscall) {
        _cleanup_free_ char *sig = NULL, *arch = NULL, *nr = NULL, *exe = NULL;
        char *end;
        unsigned long a, n;

        if (!strstr(msg, "type=1326") && !strstr(msg, "SECCOMP"))
                return 0;
        sig = audit_value(msg, "sig");
        arch = audit_value(msg, "arch");
        nr = audit_value(msg, "syscall");
        exe = audit_value(msg, "exe");
        if (!sig || !streq(sig, "31") || !arch || !nr || !exe)
                return 0;
        errno = 0;
        a = strtoul(arch, &end, 16);
        if (errno || *end || a > UINT32_MAX)
                return 0;
        n = strtoul(nr, &end, 10);
        if (errno || *end || n > INT32_MAX)
                return 0;
        *ret_exe = TAKE_PTR(exe);
        *ret_arch = (uint32_t) a;
        *ret_syscall = (int) n;
        return 1;
}

/* The last seccomp kill the kernel audited in the two minutes up to the failure. */
static int read_seccomp_audit(sd_journal *j, UnitFailure *f) {
        int r;

        sd_journal_flush_matches(j);
        r = sd_journal_add_match(j, "_AUDIT_TYPE=1326", 0);
        if (r >= 0)
                r = sd_journal_add_disjunction(j);
        if (r >= 0)
                r = sd_journal_add_match(j, "_TRANSPORT=kernel", 0);
        if (r >= 0)
                r = sd_journal_seek_realtime_usec(j, f->realtime > 120000000 ? f->realtime - 120000000 : 0);
        while (r >= 0 && (r = sd_journal_next(j)) > 0) {
                _cleanup_free_ char *msg = field(j, "MESSAGE"), *exe = NULL;
                uint64_t t = 0;
                uint32_t arch;
                int nr;

                (void) sd_journal_get_realtime_usec(j, &t);
                if (t > f->realtime + 1000000)
                        break;
                if (!msg || parse_seccomp_audit(msg, &exe, &arch, &nr) <= 0)
                        continue;
                free(f->seccomp_exe);
                f->seccomp_exe = TAKE_PTR(exe);
                f->seccomp_arch = arch;
                f->seccomp_syscall = nr;
        }
        return r < 0 ? r : 0;
}

static int open_journal(const Root *root, sd_journal **ret) {
        if (root_is_host(root))
                return sd_journal_open(ret, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
        return sd_journal_open_directory(ret, root->path, SD_JOURNAL_OS_ROOT);
}

/* The newest "Failed with result" entry about unit: its invocation, result and time. */
static int find_failure(sd_journal *j, const char *unit, UnitFailure *f) {
        _cleanup_free_ char *m = strjoin("UNIT=", unit);
        int r;

        if (!m)
                return -ENOMEM;
        r = sd_journal_add_match(j, "MESSAGE_ID=" MESSAGE_UNIT_FAILURE_RESULT, 0);
        if (r >= 0)
                r = sd_journal_add_match(j, m, 0);
        if (r >= 0)
                r = sd_journal_seek_tail(j);
        if (r >= 0)
                r = sd_journal_previous(j);
        if (r <= 0)
                return r;
        f->invocation = field(j, "INVOCATION_ID");
        f->result = field(j, "UNIT_RESULT");
        (void) sd_journal_get_realtime_usec(j, &f->realtime);
        return f->invocation ? 1 : 0;
}

/* When the invocation began: its first entry (systemd's "Starting …"). 0 when none. */
static int invocation_start(sd_journal *j, const char *match, uint64_t *ret) {
        int r;

        *ret = 0;
        sd_journal_flush_matches(j);
        r = sd_journal_add_match(j, match, 0);
        if (r >= 0)
                r = sd_journal_seek_head(j);
        if (r >= 0)
                r = sd_journal_next(j);
        if (r > 0)
                r = sd_journal_get_realtime_usec(j, ret);
        return r < 0 ? r : 0;
}

/* The invocation's entries: systemd's about it (INVOCATION_ID=), its processes' (tagged
 * _SYSTEMD_INVOCATION_ID= by journald), and any other line of the unit's processes logged
 * between its start and its failure: journald does not always tag a stdout line with the
 * invocation (seen: nullmailer-inject's error, after the unit had run before), and that
 * line is the one that says what went wrong. */
static int read_invocation(sd_journal *j, UnitFailure *f) {
        _cleanup_free_ char *a = strjoin("INVOCATION_ID=", f->invocation),
                            *b = strjoin("_SYSTEMD_INVOCATION_ID=", f->invocation),
                            *c = strjoin("_SYSTEMD_UNIT=", f->unit);
        uint64_t start;
        size_t n = 0;
        int r;

        if (!a || !b || !c)
                return -ENOMEM;
        r = invocation_start(j, a, &start);
        if (r < 0)
                return r;
        sd_journal_flush_matches(j);
        r = sd_journal_add_match(j, a, 0);
        if (r >= 0)
                r = sd_journal_add_disjunction(j);
        if (r >= 0)
                r = sd_journal_add_match(j, b, 0);
        if (r >= 0 && start > 0)
                r = sd_journal_add_disjunction(j);
        if (r >= 0 && start > 0)
                r = sd_journal_add_match(j, c, 0);
        if (r >= 0)
                r = start > 0 ? sd_journal_seek_realtime_usec(j, start) : sd_journal_seek_head(j);
        while (r >= 0 && (r = sd_journal_next(j)) > 0) {
                _cleanup_free_ char *msg = field(j, "MESSAGE"), *id = field(j, "MESSAGE_ID"),
                                    *inv = field(j, "INVOCATION_ID"), *sinv = field(j, "_SYSTEMD_INVOCATION_ID");
                bool ours = streq_ptr(inv, f->invocation) || streq_ptr(sinv, f->invocation);
                uint64_t t = 0;

                (void) sd_journal_get_realtime_usec(j, &t);
                if (start > 0 && t > f->realtime + 10000000)
                        break;  /* well after the failure: what follows is not about it */
                if (!msg || (!ours && t > f->realtime))
                        continue;       /* an untagged line after the failure: the next run's */
                if (streq_ptr(id, MESSAGE_UNIT_PROCESS_EXIT)) {
                        _cleanup_free_ char *status = field(j, "EXIT_STATUS");

                        free(f->exit_code);
                        free(f->command);
                        f->exit_code = field(j, "EXIT_CODE");
                        f->command = field(j, "COMMAND");
                        f->exit_status = status ? atoi(status) : -1;
                }
                if (strstr(msg, " operation timed out. "))
                        f->timed_out = true;
                if (n == LINES_MAX) {
                        free(f->lines[0]);
                        memmove(f->lines, f->lines + 1, (n - 1) * sizeof(char *));
                        f->lines[--n] = NULL;
                }
                r = strv_consume(&f->lines, TAKE_PTR(msg));
                n++;
        }
        return r;
}

int failure_read_journal(const Root *root, const char *unit, UnitFailure *ret, char **ret_error) {
        sd_journal *j = NULL;
        int r;

        *ret = (UnitFailure) { .exit_status = -1, .seccomp_syscall = -1 };
        *ret_error = NULL;
        r = open_journal(root, &j);
        if (r < 0) {
                asprintf_safe(ret_error, "cannot open the journal%s%s: %s", root_is_host(root) ? "" : " of ",
                              root_is_host(root) ? "" : root->path, strerror(-r));
                return r;
        }
        ret->unit = strdup(unit);
        r = ret->unit ? find_failure(j, unit, ret) : -ENOMEM;
        if (r == 0) {
                sd_journal_close(j);
                unit_failure_done(ret);
                return 0;
        }
        if (r > 0)
                r = read_invocation(j, ret);
        /* killed by a signal: the kernel may have audited a seccomp kill */
        if (r >= 0 && ret->exit_code && !streq(ret->exit_code, "exited"))
                r = read_seccomp_audit(j, ret);
        sd_journal_close(j);
        if (r < 0) {
                asprintf_safe(ret_error, "cannot read the journal: %s", strerror(-r));
                unit_failure_done(ret);
                return r;
        }
        return 1;
}

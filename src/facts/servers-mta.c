/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The smarthost of a network submitter's system configuration:
 *   msmtprc  /etc/msmtprc (msmtp(1) "CONFIGURATION FILES"): "defaults" and "account NAME
 *            [: OTHER…]" sections of "command argument" lines; without -a, msmtp uses the
 *            account named "default" (an "account default : NAME" line makes it NAME's
 *            settings), and "host" of that account, else of "defaults". A per-user
 *            ~/.msmtprc is not read: it belongs to whoever runs msmtp.
 */
#include "macro.h"
#include "servers-internal.h"
#include "strv.h"

#define MSMTP_ACCOUNTS 64

typedef struct MsmtpCtx {
        LineCtx line;
        char *account;                  /* the section being read; "" for defaults */
        char *alias;                    /* "account default : NAME" */
        char **names, **hosts;          /* each account's last host line, in order */
        unsigned lines[MSMTP_ACCOUNTS];
} MsmtpCtx;

static int set(char **slot, const char *v) {
        free(*slot);
        *slot = strdup(v);
        return *slot ? 0 : -ENOMEM;
}

static int msmtp_line(char *line, unsigned lineno, void *data) {
        MsmtpCtx *m = data;
        char *cmd, *arg;

        line += strspn(line, " \t");
        line[strcspn(line, "\r")] = '\0';
        if (*line == '#' || *line == '\0')
                return 0;
        cmd = line;
        arg = line + strcspn(line, " \t");
        if (*arg)
                *arg++ = '\0';
        arg += strspn(arg, " \t");
        if (streq(cmd, "defaults"))
                return set(&m->account, "");
        if (streq(cmd, "account")) {
                /* "account NAME", "account NAME : OTHER[,…]": NAME starts with OTHER's settings;
                 * "account default : main" makes main's host the default one */
                char *colon = strchr(arg, ':');
                size_t n = strcspn(arg, " \t:");

                if (colon && n == strlen("default") && startswith(arg, "default")) {
                        char *o = colon + 1 + strspn(colon + 1, " \t");

                        o[strcspn(o, " \t,")] = '\0';
                        return set(&m->alias, o);
                }
                arg[n] = '\0';
                return set(&m->account, arg);
        }
        arg[strcspn(arg, " \t")] = '\0';
        if (!streq(cmd, "host") || !m->account)
                return 0;
        for (size_t i = 0; m->names && m->names[i]; i++)
                if (streq(m->names[i], m->account)) {
                        m->lines[i] = lineno;
                        return set(&m->hosts[i], arg);
                }
        if (strv_length(m->names) >= MSMTP_ACCOUNTS)
                return 0;
        m->lines[strv_length(m->names)] = lineno;
        return strv_extend(&m->names, m->account) < 0 || strv_extend(&m->hosts, arg) < 0 ? -ENOMEM : 0;
}

/* The host line of an account ("" is defaults), or -1. */
static int host_of_account(const MsmtpCtx *m, const char *name) {
        for (size_t i = 0; m->names && m->names[i]; i++)
                if (streq(m->names[i], name))
                        return (int) i;
        return -1;
}

int servers_load_msmtprc(ServerList *l, const Root *root, DiagList *diags) {
        static const char path[] = "/etc/msmtprc";
        _cleanup_free_ char *hp = root_host_path(root, path);
        MsmtpCtx m = { .line = { .list = l, .root = root, .diags = diags, .path = path, .host_path = hp } };
        int r;

        *l = (ServerList) {};
        if (!hp)
                return -ENOMEM;
        r = servers_for_each_line(root, path, msmtp_line, &m);
        if (r == -ENOMEM)
                goto finish;
        if (r < 0)
                r = server_list_note_unexpressible(l, "/etc/msmtprc cannot be read: msmtp has no smarthost");
        else {
                int i = host_of_account(&m, m.alias ? m.alias : "default");

                if (i < 0)
                        i = host_of_account(&m, "");
                if (i >= 0)
                        r = servers_add_host(&m.line, "msmtp smarthost", m.hosts[i], m.lines[i]);
                else
                        r = server_list_note_unexpressible(l, "/etc/msmtprc names no host for the default account");
        }
finish:
        free(m.account);
        free(m.alias);
        strv_free(m.names);
        strv_free(m.hosts);
        return r;
}

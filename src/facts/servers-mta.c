/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The smarthost of a network submitter's system configuration:
 *   msmtprc  /etc/msmtprc (msmtp(1) "CONFIGURATION FILES"): "defaults" and "account NAME
 *            [: OTHER…]" sections of "command argument" lines; without -a, msmtp uses the
 *            account named "default" (an "account default : NAME" line makes it NAME's
 *            settings), and "host" of that account, else of "defaults". A per-user
 *            ~/.msmtprc is not read: it belongs to whoever runs msmtp.
 *   ssmtp.conf  /etc/ssmtp/ssmtp.conf "mailhub=HOST[:PORT]" (ssmtp.conf(5); ssmtp.c compares keys
 *               with strcasecmp()).
 *   dma.conf    /etc/dma/dma.conf "SMARTHOST HOST" (dma(8)); without one dma delivers to each
 *               recipient domain's MX: any host, which no IPAddressAllow= can express.
 *   esmtprc     /etc/esmtprc "hostname = HOST[:PORT]" (esmtprc(5)); ~/.esmtprc of the user
 *               running esmtp takes precedence and is not read.
 */
#include <strings.h>

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

/* A one-key file: KEY SEP VALUE per line, '#' comments; the last assignment wins. */
typedef struct KeyCtx {
        LineCtx line;
        const char *key;
        bool icase;             /* ssmtp compares keys with strcasecmp(), dma and esmtp exactly */
        char sep;               /* '=' or ' ' */
        char *value;
        unsigned value_line;
} KeyCtx;

static int key_line(char *line, unsigned lineno, void *data) {
        KeyCtx *k = data;
        size_t n = strlen(k->key);
        char *v;

        line += strspn(line, " \t");
        line[strcspn(line, "\r#")] = '\0';
        if ((k->icase ? strncasecmp(line, k->key, n) : strncmp(line, k->key, n)) != 0)
                return 0;
        v = line + n;
        v += strspn(v, " \t");
        if (k->sep == '=') {
                if (*v != '=')
                        return 0;
                v++;
                v += strspn(v, " \t");
        } else if (v == line + n)
                return 0;       /* "SMARTHOSTX" is another key */
        v[strcspn(v, " \t")] = '\0';
        if (!*v)
                return 0;
        k->value_line = lineno;
        return set(&k->value, v);
}

static int load_key(ServerList *l, const Root *root, DiagList *diags, const char *path, const char *key, bool icase,
                    char sep, const char *what, const char *without) {
        _cleanup_free_ char *hp = root_host_path(root, path), *host = NULL, *why = NULL;
        KeyCtx k = { .line = { .list = l, .root = root, .diags = diags, .path = path, .host_path = hp }, .key = key,
                     .icase = icase, .sep = sep };
        int r;

        *l = (ServerList) {};
        if (!hp)
                return -ENOMEM;
        r = servers_for_each_line(root, path, key_line, &k);
        if (r == -ENOMEM)
                goto finish;
        if (r < 0 || !k.value) {
                r = asprintf_safe(&why, "%s %s: %s", path, r < 0 ? "cannot be read" : "has no host", without) < 0 ? -ENOMEM :
                    server_list_note_unexpressible(l, why);
                goto finish;
        }
        host = servers_host_of(k.value);
        r = host ? servers_add_host(&k.line, what, host, k.value_line) : -ENOMEM;
finish:
        free(k.value);
        return r;
}

int servers_load_ssmtp_conf(ServerList *l, const Root *root, DiagList *diags) {
        return load_key(l, root, diags, "/etc/ssmtp/ssmtp.conf", "mailhub", true, '=', "ssmtp mailhub",
                        "ssmtp cannot send");
}

int servers_load_dma_conf(ServerList *l, const Root *root, DiagList *diags) {
        return load_key(l, root, diags, "/etc/dma/dma.conf", "SMARTHOST", false, ' ', "dma smarthost",
                        "dma delivers to each recipient domain's mail exchangers, any host");
}

int servers_load_esmtprc(ServerList *l, const Root *root, DiagList *diags) {
        return load_key(l, root, diags, "/etc/esmtprc", "hostname", false, '=', "esmtp smarthost",
                        "only a user's ~/.esmtprc can name one, which is not read");
}

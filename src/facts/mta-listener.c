/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MTA's SMTP listener on loopback, and the program that can hand mail to it: what the
 * loopback strategy needs when the MTA's own submission is setuid and NoNewPrivileges= stops
 * it (mta.h).
 *
 * Readers (a rule's Listener=):
 *   exim4  Debian's /etc/exim4/update-exim4.conf.conf: dc_local_interfaces, a ';' list of
 *          addresses, each optionally with its port as ".PORT" or "[ADDR]:PORT" (exim's
 *          local_interfaces syntax; update-exim4.conf seeds MAIN_LOCAL_INTERFACES from it only
 *          when it is not empty, and empty means every interface); the port otherwise is
 *          daemon_smtp_ports' default, 25. /etc/default/exim4's QUEUERUNNER= decides whether
 *          the init script starts a listener at all ("combined", "separate", "no", "ppp" do,
 *          "queueonly" does not). A hand-written /etc/exim4/exim4.conf replaces the Debian
 *          configuration: not read, so no listener is assumed.
 * The daemon counts when one of the rule's ListenerDaemon= units is enabled: pulled in by a
 * .wants/.requires link, or, for a System V script, an S link in /etc/rc[2-5].d (what
 * systemd-sysv-generator turns into a Wants=).
 */
#include <ctype.h>
#include <dirent.h>
#include <sys/stat.h>

#include "facts.h"
#include "macro.h"
#include "mta.h"
#include "rules.h"
#include "servers-internal.h"
#include "strv.h"

#define EXIM4_CONF "/etc/exim4/update-exim4.conf.conf"
#define EXIM4_DEFAULT "/etc/default/exim4"
#define EXIM4_HANDWRITTEN "/etc/exim4/exim4.conf"

/* VAR='value' or VAR=value of a shell fragment, the last assignment; *line 0 when absent. */
typedef struct ShellVar {
        const char *name;
        char *value;
        unsigned line;
} ShellVar;

static int shell_var_line(char *line, unsigned lineno, void *data) {
        ShellVar *v = data;
        const char *rest;
        size_t n;

        line += strspn(line, " \t");
        rest = startswith(line, v->name);
        if (!rest || *rest != '=')
                return 0;
        rest++;
        n = strcspn(rest, "#");
        while (n > 0 && isspace((unsigned char) rest[n - 1]))
                n--;
        if (n >= 2 && (rest[0] == '\'' || rest[0] == '"') && rest[n - 1] == rest[0]) {
                rest++;
                n -= 2;
        }
        free(v->value);
        v->value = strndup(rest, n);
        v->line = lineno;
        return v->value ? 0 : -ENOMEM;
}

static int shell_var(const Root *root, const char *path, ShellVar *v) {
        int r = servers_for_each_line(root, path, shell_var_line, v);

        return r == -ENOENT ? 0 : r;
}

static int parse_port(const char *s, unsigned *ret) {
        char *end;
        unsigned long v;

        if (!isdigit((unsigned char) s[0]))
                return -EINVAL;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || *end || v == 0 || v > 65535)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

static bool one_of(const char *s, const char *const *list) {
        for (; *list; list++)
                if (streq(s, *list))
                        return true;
        return false;
}

/* One exim local_interfaces item: "127.0.0.1", "127.0.0.1.2525", "[::1]:2525", "::1.2525". */
static bool exim_interface(const char *item, char *addr, size_t size, unsigned *port) {
        const char *dot = strrchr(item, '.'), *p;
        size_t n = strlen(item);
        unsigned dots = 0;

        *port = 25;
        if (item[0] == '[') {
                const char *close = strchr(item, ']');

                if (!close || (close[1] && (close[1] != ':' || parse_port(close + 2, port) < 0)))
                        return false;
                n = (size_t) (close - item - 1);
                item++;
        } else if (dot) {
                for (p = item; *p; p++)
                        dots += *p == '.';
                /* an IPv4 address has three dots, an IPv6 one none (a mapped v4 one, three) */
                if ((strchr(item, ':') ? dots == 1 || dots == 4 : dots == 4)) {
                        if (parse_port(dot + 1, port) < 0)
                                return false;
                        n = (size_t) (dot - item);
                }
        }
        if (n == 0 || n >= size)
                return false;
        memcpy(addr, item, n);
        addr[n] = '\0';
        return true;
}

static bool is_loopback(const char *addr) {
        return startswith(addr, "127.") || streq(addr, "::1");
}

static int read_exim4(MtaListener *l, const Root *root, DiagList *diags) {
        ShellVar ifaces = { .name = "dc_local_interfaces" }, runner = { .name = "QUEUERUNNER" };
        _cleanup_strv_free_ char **items = NULL;
        struct stat st;
        int r;

        (void) diags;
        if (root_stat(root, EXIM4_HANDWRITTEN, true, &st) >= 0)
                return asprintf_safe(&l->absent, "%s replaces Debian's configuration and is not read", EXIM4_HANDWRITTEN);
        r = shell_var(root, EXIM4_DEFAULT, &runner);
        if (r >= 0 && runner.value && !one_of(runner.value, (const char *const[]) { "combined", "separate", "no", "ppp", NULL }))
                r = asprintf_safe(&l->absent, "QUEUERUNNER='%s' (%s:%u) starts no listener", runner.value,
                                  EXIM4_DEFAULT, runner.line);
        free(runner.value);
        if (r < 0 || l->absent)
                return r;
        r = shell_var(root, EXIM4_CONF, &ifaces);
        if (r < 0)
                goto out;
        if (isempty(ifaces.value)) {
                /* every interface, loopback included */
                r = asprintf_safe(&l->origin, ifaces.line ? "%s:%u, dc_local_interfaces='': every interface" :
                                                            "%s: no dc_local_interfaces, every interface",
                                  EXIM4_CONF, ifaces.line);
                if (r >= 0 && !(l->address = strdup("127.0.0.1")))
                        r = -ENOMEM;
                l->port = 25;
                goto out;
        }
        r = strv_split(ifaces.value, ";", &items);
        STRV_FOREACH(i, items) {
                char addr[64], *w = *i + strspn(*i, " \t");
                unsigned port;

                w[strcspn(w, " \t")] = '\0';
                if (r < 0 || !exim_interface(w, addr, sizeof(addr), &port))
                        continue;
                /* the wildcard addresses listen on loopback too */
                if (!is_loopback(addr) && !one_of(addr, (const char *const[]) { "0.0.0.0", "::", "::0", NULL }))
                        continue;
                if (l->address && !(startswith(addr, "127.") && !startswith(l->address, "127.")))
                        continue;       /* IPv4 first: msmtp's --host takes one address */
                free(l->address);
                l->address = strdup(is_loopback(addr) ? addr : strchr(addr, ':') ? "::1" : "127.0.0.1");
                l->port = port;
                if (!l->address)
                        r = -ENOMEM;
        }
        if (r >= 0 && l->address)
                r = asprintf_safe(&l->origin, "%s:%u, dc_local_interfaces='%s'", EXIM4_CONF, ifaces.line, ifaces.value);
        else if (r >= 0)
                r = asprintf_safe(&l->absent, "dc_local_interfaces='%s' (%s:%u) has no loopback address", ifaces.value,
                                  EXIM4_CONF, ifaces.line);
out:
        free(ifaces.value);
        return r;
}

static const struct {
        const char *name;
        int (*read)(MtaListener *l, const Root *root, DiagList *diags);
} readers[] = {
        { "exim4", read_exim4 },
};

/* A System V script with an S link in a multi-user runlevel directory. */
static bool sysv_enabled(const Root *root, const char *unit) {
        _cleanup_free_ char *name = strndup(unit, strlen(unit) - (endswith(unit, ".service") ? strlen(".service") : 0));
        struct stat st;

        if (!name || !endswith(unit, ".service"))
                return false;
        {
                _cleanup_free_ char *script = strjoin("/etc/init.d/", name);

                if (!script || root_stat(root, script, true, &st) < 0 || !S_ISREG(st.st_mode))
                        return false;
        }
        for (char level = '2'; level <= '5'; level++) {
                char dir[] = "/etc/rcX.d";
                _cleanup_closedir_ DIR *d = NULL;
                struct dirent *de;

                dir[7] = level;
                if (root_opendir(root, dir, &d) < 0)
                        continue;
                while ((de = readdir(d)))
                        if (de->d_name[0] == 'S' && isdigit((unsigned char) de->d_name[1]) &&
                            isdigit((unsigned char) de->d_name[2]) && streq(de->d_name + 3, name))
                                return true;
        }
        return false;
}

/* The first stand-in program of a mail-loopback rule that the root has, executable. */
static int find_loopback_program(MtaFacts *m, const Root *root, const RuleSet *rules) {
        for (size_t i = 0; i < rules->n; i++) {
                const Rule *r = &rules->rules[i];
                struct stat st;

                if (r->kind != RULE_MAIL_LOOPBACK)
                        continue;
                STRV_FOREACH(p, r->sendmail)
                        if (root_stat(root, *p, true, &st) >= 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111)) {
                                m->loopback = r;
                                m->loopback_program = strdup(*p);
                                return m->loopback_program ? 0 : -ENOMEM;
                        }
        }
        return 0;
}

/* The login names of the root's /etc/passwd: the stand-in qualifies them ("root" →
 * "root@localhost"), as an MTA's own submission would, since SMTP listeners refuse
 * unqualified recipients. */
static int passwd_name(char *line, unsigned lineno, void *data) {
        char ***names = data;
        size_t n = strcspn(line, ":");

        (void) lineno;
        if (n == 0 || line[n] != ':' || line[0] == '+' || line[0] == '-' || line[0] == '#')
                return 0;
        line[n] = '\0';
        /* msmtp's aliases file: no '@', ':', '#', ',' or blanks in a name */
        if (line[strcspn(line, "@#, \t")] != '\0')
                return 0;
        return strv_extend_uniq(names, line);
}

int mta_listener_load(MtaFacts *m, const Root *root, const RuleSet *rules, char * const *pulled_in, DiagList *diags) {
        MtaListener *l = &m->listener;
        int r = 0;

        if (!m->rule)
                return 0;
        if (!m->rule->listener)
                return asprintf_safe(&l->absent, "%s does not listen for SMTP on loopback (%s has no Listener=)",
                                     m->rule->name, m->rule->file_name) < 0 ? -ENOMEM : 0;
        for (size_t i = 0; i < ELEMENTSOF(readers); i++)
                if (streq(readers[i].name, m->rule->listener))
                        r = readers[i].read(l, root, diags) ?: 1;
        if (r < 0)
                return r;
        if (r == 0)
                return asprintf_safe(&l->absent, "%s: unknown Listener=%s", m->rule->file_name, m->rule->listener) < 0 ?
                       -ENOMEM : 0;
        if (!l->address)
                return 0;
        STRV_FOREACH(d, m->rule->listener_daemons)
                if (strv_contains(pulled_in, *d) || sysv_enabled(root, *d)) {
                        l->daemon = strdup(*d);
                        if (!l->daemon)
                                return -ENOMEM;
                        break;
                }
        if (!l->daemon) {
                _cleanup_free_ char *units = strv_join(m->rule->listener_daemons, ", ");

                free(l->address);
                l->address = NULL;
                return !units || asprintf_safe(&l->absent, "the listener's daemon (%s) is not enabled",
                                               isempty(units) ? "no ListenerDaemon=" : units) < 0 ? -ENOMEM : 0;
        }
        r = servers_literal(&l->servers, l->address, l->origin);
        if (r < 0)
                return r;
        r = find_loopback_program(m, root, rules);
        if (r >= 0 && m->loopback)
                r = servers_for_each_line(root, "/etc/passwd", passwd_name, &m->local_users);
        return r == -ENOENT ? 0 : r;
}

void mta_listener_done(MtaFacts *m) {
        free(m->listener.address);
        free(m->listener.origin);
        free(m->listener.daemon);
        free(m->listener.absent);
        server_list_done(&m->listener.servers);
        free(m->loopback_program);
        strv_free(m->local_users);
}

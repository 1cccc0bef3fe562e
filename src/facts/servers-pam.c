/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The servers of network PAM modules, from the files that configure them:
 *   krb5.conf              MIT/Heimdal profile syntax (MIT util/profile/prof_parse.c):
 *                          kdc, master_kdc, admin_server, kpasswd_server of every realm in
 *                          [realms]; include/includedir are followed. A default realm
 *                          without kdc = is located by DNS SRV records (dns_lookup_kdc,
 *                          default true): no address list can express that.
 *   pam_radius_auth.conf   "server[:port] secret [timeout [source_ip [vrf]]]" lines,
 *                          '#' comments (pam_radius 2.0.0 README).
 *   pam_duo.conf           host = (or http_proxy =) of the [duo] section: Duo's API host
 *                          is a cloud service whose addresses change, so it is never
 *                          pinned; a proxy is.
 */
#include <ctype.h>
#include <fcntl.h>

#include "macro.h"
#include "servers-internal.h"
#include "strv.h"

#define INCLUDE_DEPTH_MAX 8
/* Files read in all, includes counted: a krb5.conf with a few "includedir /etc" lines
 * reads itself again at every level, 13 lines made 13^8 reads (found by fuzz-servers). */
#define INCLUDE_FILES_MAX 256

/* "host", "host:port", "[v6]:port", "v6", "tcp/host", "https://host:port/path" → host. */
typedef struct Krb5Ctx {
        LineCtx line;
        char section[64];
        char realm[256];        /* inside "REALM = {" of [realms] */
        unsigned depth;         /* brace depth */
        unsigned include_depth;
        unsigned files_read;
        char *default_realm;
        bool dns_lookup_kdc;
        char **realms_with_kdc;
} Krb5Ctx;

static int krb5_read(Krb5Ctx *k, const char *path);

static bool includable(const char *name) {
        /* MIT prof_parse.c valid_name(): alphanumerics, '-' and '_', or a name ending in ".conf". */
        if (endswith(name, ".conf"))
                return name[0] != '.';
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char) *p) && *p != '-' && *p != '_')
                        return false;
        return *name;
}

static int krb5_include_dir(Krb5Ctx *k, const char *dir) {
        _cleanup_closedir_ DIR *d = NULL;
        _cleanup_strv_free_ char **names = NULL;
        struct dirent *de;

        if (root_opendir(k->line.root, dir, &d) < 0)
                return 0;
        while ((de = readdir(d)))
                if (includable(de->d_name) && strv_extend(&names, de->d_name) < 0)
                        return -ENOMEM;
        strv_sort(names);
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *p = path_join(dir, *n);
                int r;

                if (!p)
                        return -ENOMEM;
                r = krb5_read(k, p);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int krb5_line(char *line, unsigned lineno, void *data) {
        Krb5Ctx *k = data;
        char *eq, *tag, *value;

        line += strspn(line, " \t");
        line[strcspn(line, "\r")] = '\0';
        if (!*line || *line == '#' || *line == ';')
                return 0;
        if (k->depth == 0 && (startswith(line, "include ") || startswith(line, "includedir "))) {
                bool dir = line[7] == 'd';
                char *p = line + (dir ? 10 : 7);

                p += strspn(p, " \t");
                if (k->include_depth >= INCLUDE_DEPTH_MAX) {
                        diag_add(k->line.diags, DIAG_WARNING, k->line.host_path, lineno, "includes nested too deep, ignoring '%s'.", p);
                        return 0;
                }
                if (k->files_read >= INCLUDE_FILES_MAX) {
                        diag_add(k->line.diags, DIAG_WARNING, k->line.host_path, lineno,
                                 "more than %u files included, ignoring '%s'.", INCLUDE_FILES_MAX, p);
                        return 0;
                }
                return dir ? krb5_include_dir(k, p) : krb5_read(k, p);
        }
        if (*line == '[') {
                size_t n = strcspn(line + 1, "]");

                snprintf(k->section, sizeof(k->section), "%.*s", (int) n, line + 1);
                k->depth = 0;
                return 0;
        }
        if (*line == '}') {
                if (k->depth > 0 && --k->depth == 0)
                        k->realm[0] = '\0';
                return 0;
        }
        eq = strchr(line, '=');
        if (!eq)
                return 0;
        *eq = '\0';
        tag = line;
        tag[strcspn(tag, " \t")] = '\0';
        value = eq + 1;
        value += strspn(value, " \t");
        value[strcspn(value, " \t")] = '\0';
        if (*value == '{') {
                if (k->depth++ == 0 && streq(k->section, "realms"))
                        snprintf(k->realm, sizeof(k->realm), "%s", tag);
                return 0;
        }
        if (streq(k->section, "libdefaults") && k->depth == 0) {
                if (streq(tag, "default_realm")) {
                        free(k->default_realm);
                        k->default_realm = strdup(value);
                        return k->default_realm ? 0 : -ENOMEM;
                }
                if (streq(tag, "dns_lookup_kdc") || streq(tag, "dns_fallback"))
                        k->dns_lookup_kdc = !strchr("nNfF0", value[0]);
                return 0;
        }
        if (streq(k->section, "realms") && k->depth == 1 && k->realm[0] &&
            (streq(tag, "kdc") || streq(tag, "master_kdc") || streq(tag, "admin_server") || streq(tag, "kpasswd_server"))) {
                _cleanup_free_ char *host = servers_host_of(value), *what = NULL;

                if (!host)
                        return -ENOMEM;
                if (streq(tag, "kdc") && strv_extend_uniq(&k->realms_with_kdc, k->realm) < 0)
                        return -ENOMEM;
                if (asprintf_safe(&what, "Kerberos %s of %s", tag, k->realm) < 0)
                        return -ENOMEM;
                return servers_add_host(&k->line, what, host, lineno);
        }
        return 0;
}

static int krb5_read(Krb5Ctx *k, const char *path) {
        _cleanup_free_ char *hp = root_host_path(k->line.root, path);
        LineCtx saved = k->line;
        int r;

        if (!hp)
                return -ENOMEM;
        k->line.path = path;
        k->line.host_path = hp;
        k->files_read++;
        k->include_depth++;
        r = servers_for_each_line(k->line.root, path, krb5_line, k);
        k->include_depth--;
        k->line = saved;
        if (r == -ENOMEM)
                return r;
        if (r < 0 && k->include_depth > 0)
                diag_add(k->line.diags, DIAG_WARNING, k->line.host_path, 0, "cannot read included %s: %s", path, strerror(-r));
        return r < 0 && k->include_depth == 0 ? r : 0;
}

int servers_load_krb5_conf(ServerList *l, const Root *root, DiagList *diags) {
        Krb5Ctx k = { .line = { .list = l, .root = root, .diags = diags }, .dns_lookup_kdc = true };
        int r;

        *l = (ServerList) {};
        r = krb5_read(&k, "/etc/krb5.conf");
        if (r == -ENOMEM)
                goto finish;
        if (r < 0) {
                r = server_list_note_unexpressible(l, r == -ENOENT ? "no /etc/krb5.conf: the KDCs are found by DNS SRV records"
                                                                   : "/etc/krb5.conf cannot be read");
                goto finish;
        }
        if (!k.default_realm || !strv_contains(k.realms_with_kdc, k.default_realm)) {
                _cleanup_free_ char *why = NULL;

                if (asprintf_safe(&why, "/etc/krb5.conf: %s%s has no kdc = line%s",
                                  k.default_realm ? "the default realm " : "no default_realm: the realm of the user",
                                  strempty(k.default_realm),
                                  k.dns_lookup_kdc ? ", its KDCs are found by DNS SRV records" : "") < 0) {
                        r = -ENOMEM;
                        goto finish;
                }
                r = server_list_note_unexpressible(l, why);
        }
finish:
        free(k.default_realm);
        strv_free(k.realms_with_kdc);
        return r;
}

static int radius_line(char *line, unsigned lineno, void *data) {
        _cleanup_strv_free_ char **w = NULL;
        _cleanup_free_ char *host = NULL;
        LineCtx *c = data;

        line += strspn(line, " \t");
        if (*line == '#')
                return 0;
        if (strv_split(line, " \t\r", &w) < 0)
                return -ENOMEM;
        if (!w || !w[1])        /* a server needs a secret */
                return 0;
        host = servers_host_of(w[0]);
        if (!host)
                return -ENOMEM;
        return servers_add_host(c, "RADIUS server", host, lineno);
}

int servers_load_radius_conf(ServerList *l, const Root *root, DiagList *diags) {
        static const char path[] = "/etc/pam_radius_auth.conf";
        _cleanup_free_ char *hp = root_host_path(root, path);
        LineCtx c = { .list = l, .root = root, .diags = diags, .path = path, .host_path = hp };
        int r;

        *l = (ServerList) {};
        if (!hp)
                return -ENOMEM;
        r = servers_for_each_line(root, path, radius_line, &c);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return server_list_note_unexpressible(l, "/etc/pam_radius_auth.conf cannot be read");
        return 0;
}

typedef struct DuoCtx {
        LineCtx line;
        bool in_duo;
        char *host, *proxy;
        unsigned host_line, proxy_line;
} DuoCtx;

static int duo_line(char *line, unsigned lineno, void *data) {
        DuoCtx *d = data;
        char *eq, *v, **slot;

        line += strspn(line, " \t");
        line[strcspn(line, "\r")] = '\0';
        if (*line == '[') {
                d->in_duo = startswith(line, "[duo]");
                return 0;
        }
        eq = strchr(line, '=');
        if (!d->in_duo || *line == ';' || *line == '#' || !eq)
                return 0;
        *eq = '\0';
        line[strcspn(line, " \t")] = '\0';
        if (streq(line, "host")) {
                slot = &d->host;
                d->host_line = lineno;
        } else if (streq(line, "http_proxy")) {
                slot = &d->proxy;
                d->proxy_line = lineno;
        } else
                return 0;
        v = eq + 1;
        v += strspn(v, " \t");
        v[strcspn(v, " \t")] = '\0';
        free(*slot);
        *slot = strdup(v);
        return *slot ? 0 : -ENOMEM;
}

int servers_load_duo_conf(ServerList *l, const Root *root, DiagList *diags) {
        static const char path[] = "/etc/security/pam_duo.conf";
        _cleanup_free_ char *hp = root_host_path(root, path);
        DuoCtx d = { .line = { .list = l, .root = root, .diags = diags, .path = path, .host_path = hp } };
        _cleanup_free_ char *why = NULL;
        int r;

        *l = (ServerList) {};
        if (!hp)
                return -ENOMEM;
        r = servers_for_each_line(root, path, duo_line, &d);
        if (r == -ENOMEM)
                goto finish;
        if (d.proxy) {
                /* http://user:pass@proxy:3128/ → proxy */
                const char *p = startswith(d.proxy, "http://") ?: startswith(d.proxy, "https://") ?: d.proxy;
                _cleanup_free_ char *host = NULL;

                p = strchr(p, '@') ? strchr(p, '@') + 1 : p;
                host = servers_host_of(p);
                r = host ? servers_add_host(&d.line, "Duo HTTP proxy", host, d.proxy_line) : -ENOMEM;
                goto finish;
        }
        if (asprintf_safe(&why, "%s: Duo's API host %s is a cloud service whose addresses change; only an http_proxy= could be pinned",
                          path, d.host ?: "(none)") < 0) {
                r = -ENOMEM;
                goto finish;
        }
        r = server_list_note_unexpressible(l, why);
finish:
        free(d.host);
        free(d.proxy);
        return r;
}

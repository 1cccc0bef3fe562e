/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <arpa/inet.h>
#include <netdb.h>
#include <ctype.h>
#include <sys/socket.h>

#include "macro.h"
#include "servers.h"
#include "servers-internal.h"
#include "strv.h"

#define MAXNS 3

void server_list_done(ServerList *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].value);
                free(l->items[i].origin);
        }
        free(l->items);
        free(l->unexpressible);
        *l = (ServerList) {};
}

static int add_server(ServerList *l, const IPPrefix *p, unsigned n, const char *value, const char *origin) {
        Server s = { .n_prefixes = n };

        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i].value, value))
                        return 0;
        for (unsigned i = 0; i < n; i++)
                s.prefixes[i] = p[i];
        s.value = strdup(value);
        s.origin = strdup(origin);
        if (!s.value || !s.origin || GROW(l->items, l->cap, l->n + 1) < 0) {
                free(s.value);
                free(s.origin);
                return -ENOMEM;
        }
        l->items[l->n++] = s;
        return 0;
}

static int add_address(ServerList *l, const char *addr, const char *origin) {
        char buf[INET6_ADDRSTRLEN + 1];
        IPPrefix p;

        /* "fe80::1%eth0": the scope does not matter to IPAddressAllow=. */
        snprintf(buf, sizeof(buf), "%.*s", (int) strcspn(addr, "%"), addr);
        if (ip_prefix_parse(buf, &p) < 0 || strchr(buf, '/'))
                return -EINVAL;
        return add_server(l, &p, 1, buf, origin);
}

/* The reasons are joined into one text, shown as an unmet need of every unit that uses
 * the list: past UNEXPRESSIBLE_MAX bytes further reasons are summed up as "…" (a yp.conf
 * of 200,000 "broadcast" lines made a 10 MB line per unit, joined in quadratic time). */
#define UNEXPRESSIBLE_MAX 1024U

int server_list_note_unexpressible(ServerList *l, const char *why) {
        char *s;

        if (l->unexpressible && strlen(l->unexpressible) >= UNEXPRESSIBLE_MAX) {
                if (endswith(l->unexpressible, "; …"))
                        return 0;
                why = "…";
        }
        if (l->unexpressible) {
                s = strjoin(l->unexpressible, "; ", why);
                free(l->unexpressible);
        } else
                s = strdup(why);
        l->unexpressible = s;
        return s ? 0 : -ENOMEM;
}

int servers_localhost(ServerList *l) {
        int r;

        *l = (ServerList) {};
        r = add_address(l, "127.0.0.1", "localhost");
        return r < 0 ? r : add_address(l, "::1", "localhost");
}

int servers_literal(ServerList *l, const char *word, const char *origin) {
        *l = (ServerList) {};
        return add_address(l, word, origin);
}

int servers_for_each_line(const Root *root, const char *path,
                         int (*fn)(char *line, unsigned lineno, void *data), void *data) {
        _cleanup_free_ char *text = NULL;
        unsigned n = 0;
        char *save;
        int r;

        r = root_read_file(root, path, ROOT_FILE_MAX, &text, NULL);
        if (r < 0)
                return r;
        for (char *l = text; l; l = save) {
                save = strchr(l, '\n');
                if (save)
                        *save++ = '\0';
                r = fn(l, ++n, data);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int resolv_line(char *line, unsigned lineno, void *data) {
        LineCtx *c = data;
        _cleanup_free_ char *origin = NULL;
        const char *v = startswith(line, "nameserver");
        char addr[128];
        int r;

        if (!v || !isspace((unsigned char) *v))
                return 0;
        if (sscanf(v, " %127s", addr) != 1)
                return 0;
        if (c->count >= MAXNS) {
                diag_add(c->diags, DIAG_NOTICE, c->host_path, lineno,
                         "more than %d nameservers: glibc uses only the first %d, ignoring.", MAXNS, MAXNS);
                return 0;
        }
        if (asprintf_safe(&origin, "%s:%u", c->path, lineno) < 0)
                return -ENOMEM;
        r = add_address(c->list, addr, origin);
        if (r == -EINVAL) {
                diag_add(c->diags, DIAG_WARNING, c->host_path, lineno, "invalid nameserver address '%s', ignoring.", addr);
                return 0;
        }
        if (r >= 0)
                c->count++;
        return r;
}

int servers_load_resolv_conf(ServerList *l, const Root *root, DiagList *diags) {
        _cleanup_free_ char *hp = root_host_path(root, "/etc/resolv.conf");
        LineCtx c = { .list = l, .root = root, .diags = diags, .path = "/etc/resolv.conf", .host_path = hp };
        int r;

        *l = (ServerList) {};
        if (!hp)
                return -ENOMEM;
        r = servers_for_each_line(root, "/etc/resolv.conf", resolv_line, &c);
        if (r == -ENOMEM)
                return r;
        if (r < 0 && r != -ENOENT)
                diag_add(diags, DIAG_WARNING, hp, 0, "cannot read: %s; assuming glibc's default nameserver.", strerror(-r));
        if (l->n == 0) {
                _cleanup_free_ char *origin = strdup("no nameserver in /etc/resolv.conf: glibc's default");

                if (!origin)
                        return -ENOMEM;
                return add_address(l, "127.0.0.1", origin);
        }
        return 0;
}

/* A host name of yp.conf, looked up in the root's /etc/hosts. */
static int lookup_hosts_file(const Root *root, const char *name, char ***ret);

/* Resolve a host name now: the root's /etc/hosts, then, for the running system only,
 * getaddrinfo() (which follows nsswitch.conf). */
static int resolve_name(const Root *root, const char *name, char ***ret) {
        struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res = NULL;
        int r;

        r = lookup_hosts_file(root, name, ret);
        if (r < 0 || *ret || !root_is_host(root))
                return r;
        if (getaddrinfo(name, NULL, &hints, &res) != 0)
                return 0;
        for (struct addrinfo *a = res; a; a = a->ai_next) {
                char buf[INET6_ADDRSTRLEN];
                const void *addr = a->ai_family == AF_INET ? (const void *) &((struct sockaddr_in *) a->ai_addr)->sin_addr :
                                                             (const void *) &((struct sockaddr_in6 *) a->ai_addr)->sin6_addr;

                if ((a->ai_family == AF_INET || a->ai_family == AF_INET6) &&
                    inet_ntop(a->ai_family, addr, buf, sizeof(buf)) && strv_extend_uniq(ret, buf) < 0) {
                        freeaddrinfo(res);
                        return -ENOMEM;
                }
        }
        freeaddrinfo(res);
        return 0;
}

static int lookup_hosts_file(const Root *root, const char *name, char ***ret) {
        _cleanup_free_ char *text = NULL;
        char *save;

        *ret = NULL;
        if (root_read_file(root, "/etc/hosts", ROOT_FILE_MAX, &text, NULL) < 0)
                return 0;
        for (char *l = text; l; l = save) {
                _cleanup_strv_free_ char **w = NULL;

                save = strchr(l, '\n');
                if (save)
                        *save++ = '\0';
                l[strcspn(l, "#")] = '\0';
                if (strv_split(l, " \t", &w) < 0)
                        return -ENOMEM;
                for (size_t i = 1; w && w[0] && w[i]; i++)
                        if (strcasecmp(w[i], name) == 0 && strv_extend(ret, w[0]) < 0)
                                return -ENOMEM;
        }
        return 0;
}

int servers_add_host(LineCtx *c, const char *what, const char *host, unsigned lineno) {
        _cleanup_free_ char *origin = NULL, *named = NULL;
        _cleanup_strv_free_ char **addrs = NULL;
        int r;

        if (asprintf_safe(&origin, "%s:%u", c->path, lineno) < 0)
                return -ENOMEM;
        r = add_address(c->list, host, origin);
        if (r != -EINVAL)
                return r;
        r = resolve_name(c->root, host, &addrs);
        if (r < 0)
                return r;
        if (!addrs) {
                _cleanup_free_ char *why = NULL;

                diag_add(c->diags, DIAG_WARNING, c->host_path, lineno,
                         "%s '%s' does not resolve%s; it cannot be allowed.", what, host,
                         root_is_host(c->root) ? "" : " in the root's /etc/hosts");
                if (asprintf_safe(&why, "%s '%s' (%s) has no known address", what, host, origin) < 0)
                        return -ENOMEM;
                return server_list_note_unexpressible(c->list, why);
        }
        if (asprintf_safe(&named, "%s, %s resolved when generated", origin, host) < 0)
                return -ENOMEM;
        STRV_FOREACH(a, addrs) {
                r = add_address(c->list, *a, named);
                if (r == -ENOMEM)
                        return r;
        }
        return 0;
}

static int yp_line(char *line, unsigned lineno, void *data) {
        _cleanup_strv_free_ char **w = NULL;
        LineCtx *c = data;

        line[strcspn(line, "#")] = '\0';
        if (strv_split(line, " \t\r", &w) < 0)
                return -ENOMEM;
        if (!w)
                return 0;
        if (streq(w[0], "ypserver") && w[1])
                return servers_add_host(c, "NIS server", w[1], lineno);
        if (streq(w[0], "domain") && w[1] && w[2] && streq(w[2], "server") && w[3])
                return servers_add_host(c, "NIS server", w[3], lineno);
        if (streq(w[0], "domain") && w[1] && w[2] && streq(w[2], "broadcast")) {
                _cleanup_free_ char *why = NULL;

                diag_add(c->diags, DIAG_WARNING, c->host_path, lineno,
                         "'broadcast' binds any NIS server that answers; IPAddressAllow= cannot express that.");
                if (asprintf_safe(&why, "%s:%u: NIS domain %s uses broadcast", c->path, lineno, w[1]) < 0)
                        return -ENOMEM;
                return server_list_note_unexpressible(c->list, why);
        }
        return 0;
}

int servers_load_yp_conf(ServerList *l, const Root *root, DiagList *diags) {
        _cleanup_free_ char *hp = root_host_path(root, "/etc/yp.conf");
        LineCtx c = { .list = l, .root = root, .diags = diags, .path = "/etc/yp.conf", .host_path = hp };
        int r;

        *l = (ServerList) {};
        if (!hp)
                return -ENOMEM;
        r = servers_for_each_line(root, "/etc/yp.conf", yp_line, &c);
        if (r == -ENOMEM)
                return r;
        if (r < 0 && r != -ENOENT)
                diag_add(diags, DIAG_WARNING, hp, 0, "cannot read: %s", strerror(-r));
        if (r == -ENOENT)
                return server_list_note_unexpressible(l, "no /etc/yp.conf: ypbind finds its server by broadcast");
        return 0;
}

static int add_unix_socket(ServerList *l, const char *dir, const char *port, const char *origin) {
        _cleanup_free_ char *v = NULL;
        Server s = { .unix_socket = true };

        if (asprintf_safe(&v, "%s/.s.PGSQL.%s", dir, port ? port : "5432") < 0)
                return -ENOMEM;
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i].value, v))
                        return 0;
        s.value = TAKE_PTR(v);
        s.origin = strdup(origin);
        if (!s.origin || GROW(l->items, l->cap, l->n + 1) < 0) {
                free(s.value);
                free(s.origin);
                return -ENOMEM;
        }
        l->items[l->n++] = s;
        return 0;
}

/* The value of a libpq keyword in a connection string ("host='a b' port=5432"). */
static char *conninfo_get(const char *cs, const char *key) {
        size_t k = strlen(key);

        for (const char *p = cs; *p;) {
                const char *e;

                p += strspn(p, " \t");
                if (strncmp(p, key, k) == 0 && (p[k] == '=' || p[k] == ' ')) {
                        p += k;
                        p += strspn(p, " \t=");
                        if (*p == '\'') {
                                e = strchr(p + 1, '\'');
                                return strndup(p + 1, e ? (size_t) (e - p - 1) : strlen(p + 1));
                        }
                        return strndup(p, strcspn(p, " \t"));
                }
                /* skip this keyword=value */
                e = p + strcspn(p, "=");
                if (!*e)
                        break;
                p = e + 1 + strspn(e + 1, " \t");
                if (*p == '\'') {
                        e = strchr(p + 1, '\'');
                        p = e ? e + 1 : p + strlen(p);
                } else
                        p += strcspn(p, " \t");
        }
        return NULL;
}

typedef struct PgCtx {
        LineCtx line;
        const char *key;
} PgCtx;

static int pgsql_line(char *line, unsigned lineno, void *data) {
        PgCtx *pg = data;
        LineCtx *c = &pg->line;
        _cleanup_free_ char *host = NULL, *hostaddr = NULL, *port = NULL, *origin = NULL;
        _cleanup_strv_free_ char **hosts = NULL;
        const char *v = startswith(line, pg->key);
        int r;

        if (!v || !strchr(" \t=", *v))
                return 0;
        v += strspn(v, " \t");
        if (*v != '=')
                return 0;
        v++;
        host = conninfo_get(v, "host");
        hostaddr = conninfo_get(v, "hostaddr");
        port = conninfo_get(v, "port");
        if (asprintf_safe(&origin, "%s:%u", c->path, lineno) < 0)
                return -ENOMEM;
        /* hostaddr= (numeric) takes precedence over host= for where libpq connects. */
        if (!hostaddr && (!host || !*host))
                return add_unix_socket(c->list, "/var/run/postgresql", port, origin);
        if (strv_split(hostaddr ? hostaddr : host, ",", &hosts) < 0)
                return -ENOMEM;
        STRV_FOREACH(h, hosts) {
                r = (*h)[0] == '/' ? add_unix_socket(c->list, *h, port, origin) : servers_add_host(c, "PostgreSQL server", *h, lineno);
                if (r < 0)
                        return r;
        }
        return 0;
}

int servers_load_pgsql(ServerList *l, const Root *root, DiagList *diags) {
        static const struct { const char *path, *key; } files[] = {
                { "/etc/nss-pgsql.conf", "connectionstring" },
                { "/etc/nss-pgsql-root.conf", "shadowconnectionstring" },
        };

        *l = (ServerList) {};
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *hp = root_host_path(root, files[i].path);
                PgCtx c = { .line = { .list = l, .root = root, .diags = diags, .path = files[i].path, .host_path = hp },
                            .key = files[i].key };
                int r;

                if (!hp)
                        return -ENOMEM;
                r = servers_for_each_line(root, files[i].path, pgsql_line, &c);
                if (r == -ENOMEM)
                        return r;
                if (r < 0 && r != -ENOENT)
                        diag_add(diags, DIAG_WARNING, hp, 0, "cannot read: %s", strerror(-r));
        }
        return 0;
}

char *servers_host_of(const char *s) {
        const char *e, *colon;

        s = startswith(s, "tcp/") ?: startswith(s, "udp/") ?: s;
        if (startswith(s, "https://"))
                s += strlen("https://");
        if (*s == '[') {
                e = strchr(s, ']');
                return e ? strndup(s + 1, e - s - 1) : NULL;
        }
        e = s + strcspn(s, "/");
        colon = memchr(s, ':', e - s);
        if (colon && memchr(colon + 1, ':', e - colon - 1))
                return strndup(s, e - s);       /* a bare IPv6 address */
        return strndup(s, strcspn(s, ":/"));
}

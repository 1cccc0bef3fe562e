/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * nsswitch.conf with glibc 2.36's semantics (nss/nss_database.c, nss_action_parse.c),
 * and the files behind the servers NSS modules contact. Rows marked (exp) were checked
 * against glibc itself with getent in a private mount namespace.
 */

#include "facts.h"
#include "nsswitch.h"
#include "servers.h"
#include "strv.h"
#include "testutil.h"

static char *services(const NssConfig *c, NssDb db) {
        char **l = NULL, *s;

        for (size_t i = 0; i < c->db[db].n; i++)
                ck_assert_int_eq(strv_extend(&l, c->db[db].services[i].name), 0);
        s = strv_join(l, " ");
        strv_free(l);
        return s;
}

static void parse_n(NssConfig *c, const char *text, size_t n, DiagList *d) {
        *c = (NssConfig) {};
        ck_assert_int_eq(nsswitch_parse(c, text, n, "nsswitch.conf", d), 0);
}

static void parse(NssConfig *c, const char *text, DiagList *d) {
        parse_n(c, text, strlen(text), d);
}

typedef struct Row {
        const char *name, *text;
        NssDb db;
        const char *expect;
} Row;

static const Row rows[] = {
        { "plain", "passwd: files sss\n", NSS_DB_PASSWD, "files sss" },
        { "no space after colon", "passwd:files\n", NSS_DB_PASSWD, "files" },
        { "leading whitespace", "   hosts:   files dns\n", NSS_DB_HOSTS, "files dns" },
        { "double colon is skipped", "passwd:: files\n", NSS_DB_PASSWD, "files" },
        { "later line wins", "passwd: files\npasswd: sss\n", NSS_DB_PASSWD, "sss" },
        { "case-sensitive database name (exp)", "PASSWD: sss\n", NSS_DB_PASSWD, "files" },
        { "unknown database ignored", "sudoers: files sss\n", NSS_DB_PASSWD, "files" },
        { "commented-out line", "#passwd: sss\n", NSS_DB_PASSWD, "files" },
        { "trailing comment becomes modules (exp)", "passwd: files # note\n", NSS_DB_PASSWD, "files # note" },
        { "action with spaces inside brackets", "hosts: files [ NOTFOUND = return ] dns\n", NSS_DB_HOSTS, "files dns" },
        { "shadow inherits passwd", "passwd: files sss\n", NSS_DB_SHADOW, "files sss" },
        { "gshadow inherits group", "group: files ldap\n", NSS_DB_GSHADOW, "files ldap" },
        { "initgroups uses group", "group: files winbind\n", NSS_DB_INITGROUPS, "files winbind" },
        { "shadow_compat inherits passwd_compat", "passwd_compat: ldap\n", NSS_DB_SHADOW_COMPAT, "ldap" },
        { "hosts default", "", NSS_DB_HOSTS, "files dns" },
        { "networks default", "", NSS_DB_NETWORKS, "files dns" },
        { "passwd default (no obsolete NSL)", "", NSS_DB_PASSWD, "files" },
        { "passwd_compat default", "", NSS_DB_PASSWD_COMPAT, "nis" },
        { "publickey default", "", NSS_DB_PUBLICKEY, "nis nisplus" },
        { "services default", "", NSS_DB_SERVICES, "files" },
        { "empty service list stays empty", "passwd:\n", NSS_DB_PASSWD, "" },
        { "bracket without a name stops the list", "passwd: files [NOTFOUND=return] [x] sss\n", NSS_DB_PASSWD, "files" },
        { "no continuation lines (exp)", "passwd: files\\\n sss\n", NSS_DB_PASSWD, "files\\" },
        { "last line without newline is ignored (exp)", "passwd: sss", NSS_DB_PASSWD, "files" },
};

START_TEST(test_row) {
        const Row *r = &rows[_i];
        DiagList d = {};
        NssConfig c;
        char *got;

        parse(&c, r->text, &d);
        ck_assert(!c.broken);
        got = services(&c, r->db);
        ck_assert_msg(streq(got, r->expect), "%s: got '%s', expected '%s'", r->name, got, r->expect);
        free(got);
        nsswitch_done(&c);
        diag_list_done(&d);
}
END_TEST

/* A NUL ends the content of its line only; the next lines still count. */
START_TEST(test_nul) {
        static const char text[] = "passwd: files\0 sss\nhosts: dns\n";
        DiagList d = {};
        NssConfig c;
        char *got;

        parse_n(&c, text, sizeof(text) - 1, &d);
        got = services(&c, NSS_DB_PASSWD);
        ck_assert_str_eq(got, "files");
        free(got);
        got = services(&c, NSS_DB_HOSTS);
        ck_assert_str_eq(got, "dns");
        free(got);
        nsswitch_done(&c);
        diag_list_done(&d);
}
END_TEST

START_TEST(test_actions) {
        DiagList d = {};
        NssConfig c;
        const NssDatabase *h;

        parse(&c, "hosts: files mymachines resolve [!UNAVAIL=return] dns myhostname\n"
                  "passwd: files [SUCCESS=continue] sss [NOTFOUND=return UNAVAIL=return TRYAGAIN=return] ldap\n", &d);
        h = &c.db[NSS_DB_HOSTS];
        ck_assert_int_eq(h->n, 5);
        ck_assert_int_eq(h->services[2].actions[NSS_UNAVAIL], NSS_ACTION_CONTINUE);
        ck_assert_int_eq(h->services[2].actions[NSS_NOTFOUND], NSS_ACTION_RETURN);
        ck_assert_int_eq(h->services[2].actions[NSS_SUCCESS], NSS_ACTION_RETURN);
        /* dns runs when resolved is unavailable; myhostname after dns too. */
        ck_assert(nss_service_reachable(h, 3, NULL, NULL));
        ck_assert(nss_service_reachable(h, 4, NULL, NULL));
        /* sss returns on everything: ldap is never reached. */
        ck_assert(nss_service_reachable(&c.db[NSS_DB_PASSWD], 1, NULL, NULL));
        ck_assert(!nss_service_reachable(&c.db[NSS_DB_PASSWD], 2, NULL, NULL));
        ck_assert_int_eq(c.db[NSS_DB_PASSWD].services[0].actions[NSS_SUCCESS], NSS_ACTION_CONTINUE);
        nsswitch_done(&c);
        diag_list_done(&d);
}
END_TEST

START_TEST(test_comment_services_marked) {
        DiagList d = {};
        NssConfig c;

        parse(&c, "passwd: files # sss here\n", &d);
        ck_assert(!c.db[NSS_DB_PASSWD].services[0].comment);
        ck_assert(c.db[NSS_DB_PASSWD].services[1].comment);
        ck_assert(c.db[NSS_DB_PASSWD].services[3].comment);
        nsswitch_done(&c);
        diag_list_done(&d);
}
END_TEST

/* One bad action anywhere: glibc drops the whole configuration (verified: getent passwd
 * root fails with a bad hosts: line). Reported once, with file and line. */
static const char *const broken[] = {
        "passwd: files [FOO=return] sss\n",
        "hosts: files [NOTFOUND=maybe] dns\n",
        "group: files [NOTFOUND return] sss\n",
        "passwd: files\nhosts: dns [!TRYAGAIN=]\n",
        "hosts: files [NOTFOUND=return dns\n",
        "ethers: files [SUCCESS=return # ] dns\n",
};

START_TEST(test_broken) {
        DiagList d = {};
        NssConfig c;

        parse(&c, broken[_i], &d);
        ck_assert(c.broken);
        ck_assert_uint_ge(c.broken_line, 1);
        ck_assert_int_eq(d.n, 1);
        ck_assert_str_eq(d.items[0].file, "nsswitch.conf");
        ck_assert_uint_eq(d.items[0].line, c.broken_line);
        ck_assert_ptr_nonnull(strstr(d.items[0].message, "every user, group and host lookup fails"));
        nsswitch_done(&c);
        diag_list_done(&d);
}
END_TEST

START_TEST(test_hostile) {
        /* Long lines, binary junk, and a huge number of services: no crash, sane result. */
        size_t n = 1 << 20;
        char *big = malloc(n + 64), *p = big;
        DiagList d = {};
        NssConfig c;

        p = stpcpy(p, "passwd: ");
        for (size_t i = 0; i < n / 4; i++)
                p = stpcpy(p, "x ");
        strcpy(p, "\n\xff\xfe:\x01\n[[[\n:\n");
        parse(&c, big, &d);
        ck_assert(!c.broken);
        ck_assert_uint_gt(c.db[NSS_DB_PASSWD].n, 1000);
        nsswitch_done(&c);
        diag_list_done(&d);
        free(big);
}
END_TEST

START_TEST(test_missing_file) {
        char *root = tu_mkroot();
        DiagList d = {};
        Root r;
        NssConfig c;
        char *got;

        ck_assert_int_eq(root_init(&r, root), 0);
        ck_assert_int_eq(nsswitch_load(&c, &r, &d), 0);
        ck_assert(c.missing);
        got = services(&c, NSS_DB_HOSTS);
        ck_assert_str_eq(got, "files dns");
        free(got);
        nsswitch_done(&c);
        ck_assert_int_eq(d.n, 0);
        root_done(&r);
        tu_rmrf(root);
}
END_TEST

START_TEST(test_servers) {
        char *root = tu_mkroot();
        DiagList d = {};
        ServerList l;
        Root r;

        tu_write(root, "/etc/resolv.conf", "# x\nsearch example.org\nnameserver 192.0.2.53\nnameserver fe80::1%eth0\n"
                                           "nameserver 192.0.2.54\nnameserver 192.0.2.55\nnameserver bogus\n");
        tu_write(root, "/etc/yp.conf", "domain d server 192.0.2.10\nypserver nis.example.org\nypserver unknown.example\n"
                                       "domain e broadcast\n");
        tu_write(root, "/etc/hosts", "127.0.0.1 localhost\n192.0.2.11 nis.example.org nis\n");
        ck_assert_int_eq(root_init(&r, root), 0);

        ck_assert_int_eq(servers_load_resolv_conf(&l, &r, &d), 0);
        ck_assert_int_eq(l.n, 3);      /* MAXNS */
        ck_assert_str_eq(l.items[0].value, "192.0.2.53");
        ck_assert_str_eq(l.items[1].value, "fe80::1");
        ck_assert_ptr_nonnull(strstr(l.items[0].origin, "/etc/resolv.conf:3"));
        server_list_done(&l);

        ck_assert_int_eq(servers_load_yp_conf(&l, &r, &d), 0);
        ck_assert_int_eq(l.n, 2);
        ck_assert_str_eq(l.items[0].value, "192.0.2.10");
        ck_assert_str_eq(l.items[1].value, "192.0.2.11");
        ck_assert_ptr_nonnull(l.unexpressible);
        ck_assert_ptr_nonnull(strstr(l.unexpressible, "unknown.example"));
        ck_assert_ptr_nonnull(strstr(l.unexpressible, "broadcast"));
        server_list_done(&l);

        {
                char *p = tu_path(root, "/etc/resolv.conf");
                unlink(p);
                free(p);
        }
        ck_assert_int_eq(servers_load_resolv_conf(&l, &r, &d), 0);
        ck_assert_int_eq(l.n, 1);
        ck_assert_str_eq(l.items[0].value, "127.0.0.1");
        server_list_done(&l);

        diag_list_done(&d);
        root_done(&r);
        tu_rmrf(root);
}
END_TEST

/* krb5.conf (includes, realms, IPv6, ports, DNS SRV fallback), pam_radius_auth.conf, pam_duo.conf. */
START_TEST(test_pam_servers) {
        char *root = tu_mkroot();
        DiagList d = {};
        ServerList l;
        Root r;

        tu_write(root, "/etc/krb5.conf",
                 "[libdefaults]\n default_realm = EXAMPLE.ORG\n\n"
                 "includedir /etc/krb5.conf.d/\n"
                 "[realms]\n EXAMPLE.ORG = {\n  kdc = kdc1.example.org:88\n  kdc = [2001:db8::88]:750\n"
                 "  admin_server = 192.0.2.89\n  default_domain = example.org\n }\n"
                 "[domain_realm]\n .example.org = EXAMPLE.ORG\n");
        tu_write(root, "/etc/krb5.conf.d/other", "[realms]\n OTHER.ORG = {\n kdc = tcp/192.0.2.90\n }\n");
        tu_write(root, "/etc/krb5.conf.d/.hidden", "[realms]\n X = {\n kdc = 192.0.2.99\n }\n");
        tu_write(root, "/etc/hosts", "192.0.2.88 kdc1.example.org\n");
        tu_write(root, "/etc/pam_radius_auth.conf", "# server[:port] secret\n127.0.0.1 secret 3\n"
                                                    "[2001:db8::1812]:1812 s6 3 [2001:db8::3] vrf-red\nlonely\n");
        tu_write(root, "/etc/security/pam_duo.conf", "[duo]\n; host = x\nhost = api-eval.duosecurity.com\n");
        ck_assert_int_eq(root_init(&r, root), 0);

        ck_assert_int_eq(servers_load_krb5_conf(&l, &r, &d), 0);
        ck_assert_int_eq(l.n, 4);
        ck_assert_str_eq(l.items[0].value, "192.0.2.90");        /* the included file comes first */
        ck_assert_str_eq(l.items[1].value, "192.0.2.88");
        ck_assert_ptr_nonnull(strstr(l.items[1].origin, "kdc1.example.org resolved when generated"));
        ck_assert_str_eq(l.items[2].value, "2001:db8::88");
        ck_assert_str_eq(l.items[3].value, "192.0.2.89");
        ck_assert_ptr_null(l.unexpressible);
        server_list_done(&l);

        tu_write(root, "/etc/krb5.conf", "[libdefaults]\n default_realm = EXAMPLE.ORG\n");
        ck_assert_int_eq(servers_load_krb5_conf(&l, &r, &d), 0);
        ck_assert_ptr_nonnull(l.unexpressible);
        ck_assert_ptr_nonnull(strstr(l.unexpressible, "DNS SRV"));
        server_list_done(&l);

        ck_assert_int_eq(servers_load_radius_conf(&l, &r, &d), 0);
        ck_assert_int_eq(l.n, 2);
        ck_assert_str_eq(l.items[0].value, "127.0.0.1");
        ck_assert_str_eq(l.items[1].value, "2001:db8::1812");
        server_list_done(&l);

        ck_assert_int_eq(servers_load_duo_conf(&l, &r, &d), 0);
        ck_assert_int_eq(l.n, 0);
        ck_assert_ptr_nonnull(strstr(l.unexpressible, "api-eval.duosecurity.com"));
        server_list_done(&l);
        tu_write(root, "/etc/security/pam_duo.conf", "[duo]\nhost = api-eval.duosecurity.com\nhttp_proxy = http://u:p@192.0.2.31:3128/\n");
        ck_assert_int_eq(servers_load_duo_conf(&l, &r, &d), 0);
        ck_assert_int_eq(l.n, 1);
        ck_assert_str_eq(l.items[0].value, "192.0.2.31");
        server_list_done(&l);

        diag_list_done(&d);
        root_done(&r);
        tu_rmrf(root);
}
END_TEST

START_TEST(test_compat_scan) {
        char *root = tu_mkroot();
        DiagList d = {};
        Facts f;
        Root r;

        tu_write(root, "/etc/passwd", "root:x:0:0::/root:/bin/sh\n+@staff:::::\n");
        tu_write(root, "/etc/group", "root:x:0:\n");
        ck_assert_int_eq(root_init(&r, root), 0);
        ck_assert_int_eq(facts_load(&f, &r, &d), 0);
        ck_assert_ptr_nonnull(f.compat[COMPAT_PASSWD].origin);
        ck_assert_ptr_nonnull(strstr(f.compat[COMPAT_PASSWD].origin, "/etc/passwd:2"));
        ck_assert_str_eq(f.compat[COMPAT_PASSWD].entry, "+@staff");
        ck_assert_ptr_null(f.compat[COMPAT_GROUP].origin);
        facts_done(&f);
        diag_list_done(&d);
        root_done(&r);
        tu_rmrf(root);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("nsswitch");
        TCase *tc = tcase_create("Core");

        tcase_add_loop_test(tc, test_row, 0, ELEMENTSOF(rows));
        tcase_add_test(tc, test_actions);
        tcase_add_test(tc, test_nul);
        tcase_add_test(tc, test_comment_services_marked);
        tcase_add_test(tc, test_missing_file);
        tcase_add_test(tc, test_servers);
        tcase_add_test(tc, test_pam_servers);
        tcase_add_test(tc, test_compat_scan);
        suite_add_tcase(s, tc);
        tc = tcase_create("Limits");
        tcase_add_loop_test(tc, test_broken, 0, ELEMENTSOF(broken));
        tcase_add_test(tc, test_hostile);
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(suite)

/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Needs and plans: from a root's nsswitch.conf and a unit to the drop-in text, with the
 * policy of src/plan/plan.h — never widen more than needed, never create a restriction,
 * say what cannot be met. Uses the project's own fragments/ rules ($HC_SRCDIR).
 */

#include "facts.h"
#include "needs.h"
#include "plan.h"
#include "rules.h"
#include "strv.h"
#include "testutil.h"

typedef struct Extra {
        const char *path, *content;
} Extra;

typedef struct Case {
        const char *name;
        const char *nsswitch;
        const char *unit;               /* [Service] body of x.service */
        Extra extra[4];                 /* more files of the root ("->x": a symlink to x) */
        const char *lines;              /* expected directive lines, "\n"-joined; "" none */
        const char *unmet;              /* a substring expected in the unmet list, or NULL */
        bool blocked;
} Case;

#define RESOLV { "/etc/resolv.conf", "nameserver 192.0.2.53\n" }
#define YP { "/etc/yp.conf", "domain d server 192.0.2.10\n" }

static const Case cases[] = {
        { "sss on an allow list without AF_UNIX", "passwd: files sss\n",
          "User=a\nRestrictAddressFamilies=AF_INET AF_INET6", {}, "RestrictAddressFamilies=AF_UNIX", NULL, false },
        { "sss on an unrestricted unit: nothing, a line would create an allow list", "passwd: files sss\n",
          "User=a", {}, "", NULL, false },
        { "sss on a deny list with AF_UNIX", "passwd: files sss\n",
          "RestrictAddressFamilies=~AF_UNIX AF_PACKET", {}, "RestrictAddressFamilies=AF_UNIX", NULL, false },
        { "sss on none", "passwd: files sss\n",
          "RestrictAddressFamilies=none", {}, "RestrictAddressFamilies=AF_UNIX", NULL, false },
        { "sss already allowed", "passwd: files sss\n",
          "RestrictAddressFamilies=AF_UNIX", {}, "", NULL, false },
        { "files only needs nothing", "passwd: files\ngroup: files\nhosts: files\n",
          "RestrictAddressFamilies=AF_INET", {}, "", NULL, false },
        { "sss after a returning service is never reached", "passwd: files [NOTFOUND=return UNAVAIL=return TRYAGAIN=return] sss\n",
          "RestrictAddressFamilies=AF_INET", {}, "", NULL, false },
        { "sss only in a comment", "passwd: files # sss\n",
          "RestrictAddressFamilies=AF_INET", {}, "", NULL, false },
        { "hosts dns for a unit without IP sockets: not considered", "hosts: files dns\n",
          "RestrictAddressFamilies=AF_UNIX\nIPAddressDeny=any", { RESOLV }, "", NULL, false },
        { "dns nameserver blocked by IPAddressDeny", "hosts: files dns\n",
          "RestrictAddressFamilies=AF_UNIX AF_INET\nIPAddressDeny=any\nIPAddressAllow=198.51.100.0/24", { RESOLV },
          "IPAddressAllow=192.0.2.53", NULL, false },
        { "a unit that reaches only loopback has no use for dns", "hosts: files dns\n",
          "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\nIPAddressDeny=any\nIPAddressAllow=127.0.0.1\nIPAddressAllow=::1", { RESOLV }, "", NULL, false },
        { "a unit behind IPAddressDeny=any alone has no use for dns", "hosts: files dns\n",
          "RestrictAddressFamilies=AF_INET\nIPAddressDeny=any", { RESOLV }, "", NULL, false },
        { "dns nameserver already allowed", "hosts: files dns\n",
          "RestrictAddressFamilies=AF_INET\nIPAddressDeny=any\nIPAddressAllow=192.0.2.0/24", { RESOLV }, "", NULL, false },
        { "dns IPv6 nameserver: AF_INET6 granted for that server only", "hosts: files dns\n",
          "RestrictAddressFamilies=AF_INET", { { "/etc/resolv.conf", "nameserver 2001:db8::53\n" } },
          "RestrictAddressFamilies=AF_INET6\nIPAddressDeny=::/0\nIPAddressAllow=2001:db8::53", NULL, false },
        { "nis on an AF_UNIX-only unit without a firewall: IP only to the NIS servers", "passwd: files nis\n",
          "RestrictAddressFamilies=AF_UNIX", { YP },
          "RestrictAddressFamilies=AF_INET\nRestrictAddressFamilies=AF_INET6\nIPAddressDeny=0.0.0.0/0\nIPAddressDeny=::/0\n"
          "IPAddressAllow=192.0.2.10\nIPAddressAllow=127.0.0.1\nIPAddressAllow=::1", NULL, false },
        { "nis: a later IPAddressDeny= reset would open everything, so nothing is granted", "passwd: files nis\n",
          "RestrictAddressFamilies=AF_UNIX",
          { YP, { "/etc/systemd/system/x.service.d/zzz-admin.conf", "[Service]\nIPAddressDeny=\n" } },
          "", "is not granted", false },
        { "dns blocked by the system.slice deny list", "hosts: files dns\n",
          "RestrictAddressFamilies=AF_INET\nIPAddressAllow=198.51.100.7",
          { RESOLV, { "/etc/systemd/system/system.slice.d/fw.conf", "[Slice]\nIPAddressDeny=any\n" } },
          "IPAddressAllow=192.0.2.53", NULL, false },
        { "nis for passwd under AF_UNIX and IPAddressDeny", "passwd: files nis\n",
          "RestrictAddressFamilies=AF_UNIX\nIPAddressDeny=any", { YP },
          "RestrictAddressFamilies=AF_INET\nRestrictAddressFamilies=AF_INET6\nIPAddressAllow=192.0.2.10\nIPAddressAllow=127.0.0.1\nIPAddressAllow=::1", NULL, false },
        { "nis with PrivateNetwork: reported, not widened", "passwd: files nis\n",
          "RestrictAddressFamilies=AF_UNIX\nPrivateNetwork=yes", { YP }, "", "PrivateNetwork=yes", false },
        { "nis by broadcast: reported", "passwd: files nis\n",
          "RestrictAddressFamilies=AF_UNIX\nIPAddressDeny=any", { { "/etc/yp.conf", "domain d broadcast\n" } },
          "RestrictAddressFamilies=AF_INET\nRestrictAddressFamilies=AF_INET6\nIPAddressAllow=127.0.0.1\nIPAddressAllow=::1", "broadcast", false },
        { "compat with + entries reaches passwd_compat (nis)", "passwd: compat\npasswd_compat: sss\n",
          "RestrictAddressFamilies=AF_INET", { { "/etc/passwd", "root:x:0:0::/root:/bin/sh\n+\n" } },
          "RestrictAddressFamilies=AF_UNIX", NULL, false },
        { "compat without + entries needs nothing", "passwd: compat\npasswd_compat: sss\n",
          "RestrictAddressFamilies=AF_INET", { { "/etc/passwd", "root:x:0:0::/root:/bin/sh\n" } }, "", NULL, false },
        { "myhostname needs AF_NETLINK for IP units only", "hosts: files myhostname\n",
          "RestrictAddressFamilies=AF_UNIX AF_INET", {}, "RestrictAddressFamilies=AF_NETLINK", NULL, false },
        { "a later admin drop-in still refuses AF_UNIX", "passwd: files sss\n",
          "RestrictAddressFamilies=AF_INET",
          { { "/etc/systemd/system/x.service.d/zzz-admin.conf", "[Service]\nRestrictAddressFamilies=~AF_UNIX\n" } },
          "", "zzz-admin.conf", false },
        { "never create a restriction: a later deny list on an unrestricted-at-our-place unit", "passwd: files sss\n",
          "User=a",
          { { "/etc/systemd/system/x.service.d/zzz-admin.conf", "[Service]\nRestrictAddressFamilies=~AF_UNIX\n" } },
          "", "would refuse", false },
        { "an administrator's file at our path is left alone", "passwd: files sss\n",
          "RestrictAddressFamilies=AF_INET",
          { { "/etc/systemd/system/x.service.d/zz-hardening-compat.conf", "[Service]\n# mine\n" } },
          "RestrictAddressFamilies=AF_UNIX", "not ours", true },
        { "a same-named file that systemd reads first shadows ours", "passwd: files sss\n",
          "RestrictAddressFamilies=AF_INET",
          { { "/etc/systemd/system.control/x.service.d/zz-hardening-compat.conf", "[Service]\n" } },
          "RestrictAddressFamilies=AF_UNIX", "ignored", true },
        { "our own old drop-in is not part of the baseline", "passwd: files sss\n",
          "RestrictAddressFamilies=AF_INET",
          { { "/etc/systemd/system/x.service.d/zz-hardening-compat.conf",
              "# Generated by hardening-compat. old\n[Service]\nRestrictAddressFamilies=AF_UNIX AF_NETLINK\n" } },
          "RestrictAddressFamilies=AF_UNIX", NULL, false },
        { "resolve [!UNAVAIL=return] dns without systemd-resolved: dns runs", "hosts: resolve [!UNAVAIL=return] dns\n",
          "RestrictAddressFamilies=AF_INET\nIPAddressDeny=any\nIPAddressAllow=198.51.100.0/24",
          { RESOLV, { "/usr/lib/x86_64-linux-gnu/libnss_resolve.so.2", "" } },
          "RestrictAddressFamilies=AF_UNIX\nIPAddressAllow=192.0.2.53", NULL, false },
        { "resolve [!UNAVAIL=return] dns with systemd-resolved enabled: dns is not reached", "hosts: resolve [!UNAVAIL=return] dns\n",
          "RestrictAddressFamilies=AF_INET\nIPAddressDeny=any\nIPAddressAllow=198.51.100.0/24",
          { RESOLV, { "/usr/lib/x86_64-linux-gnu/libnss_resolve.so.2", "" },
            { "/etc/systemd/system/multi-user.target.wants/systemd-resolved.service", "->/lib/systemd/system/systemd-resolved.service" } },
          "RestrictAddressFamilies=AF_UNIX", NULL, false },
        { "resolve enabled but not installed: UNAVAIL, dns runs", "hosts: resolve [!UNAVAIL=return] dns\n",
          "RestrictAddressFamilies=AF_INET\nIPAddressDeny=any\nIPAddressAllow=198.51.100.0/24",
          { RESOLV, { "/etc/systemd/system/multi-user.target.wants/systemd-resolved.service", "->/lib/systemd/system/systemd-resolved.service" } },
          "RestrictAddressFamilies=AF_UNIX\nIPAddressAllow=192.0.2.53", NULL, false },
        { "pgsql over TCP: the connection string's host only", "passwd: files pgsql\n",
          "RestrictAddressFamilies=AF_UNIX\nIPAddressDeny=any",
          { { "/etc/nss-pgsql.conf", "connectionstring = host=192.0.2.5 port=5433 dbname=unix user=nss\n" } },
          "RestrictAddressFamilies=AF_INET\nIPAddressAllow=192.0.2.5", NULL, false },
        { "pgsql over its Unix socket: AF_UNIX, no address", "passwd: files pgsql\n",
          "RestrictAddressFamilies=AF_INET",
          { { "/etc/nss-pgsql.conf", "connectionstring = dbname=unix user=nss\n" } },
          "RestrictAddressFamilies=AF_UNIX", NULL, false },
        { "oslogin: only the metadata server", "passwd: files oslogin\n",
          "RestrictAddressFamilies=AF_UNIX", {},
          "RestrictAddressFamilies=AF_INET\nIPAddressDeny=0.0.0.0/0\nIPAddressAllow=169.254.169.254", NULL, false },
        { "a NIS server named in yp.conf is resolved when generated", "passwd: files nis\n",
          "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\nIPAddressDeny=any",
          { { "/etc/yp.conf", "ypserver nis.example.org\n" }, { "/etc/hosts", "192.0.2.11 nis.example.org\n" } },
          "IPAddressAllow=192.0.2.11\nIPAddressAllow=127.0.0.1\nIPAddressAllow=::1", NULL, false },
        { "a NIS server on 127.0.0.1 and localhost are one line", "passwd: files nis\n",
          "RestrictAddressFamilies=AF_UNIX\nIPAddressDeny=any", { { "/etc/yp.conf", "domain hctest server 127.0.0.1\n" } },
          "RestrictAddressFamilies=AF_INET\nRestrictAddressFamilies=AF_INET6\nIPAddressAllow=127.0.0.1\nIPAddressAllow=::1", NULL, false },
        { "unknown service: nothing granted", "passwd: files frobnicate\n",
          "RestrictAddressFamilies=AF_INET", {}, "", NULL, false },
        { "broken nsswitch.conf: nothing to grant, nothing works", "passwd: files [X=y] sss\n",
          "RestrictAddressFamilies=AF_INET", {}, "", NULL, false },
};

START_TEST(test_case) {
        const Case *c = &cases[_i];
        char *root = tu_mkroot(), *body = NULL, *rules = NULL, *got;
        TuUnits t;
        Facts f;
        RuleSet rs;
        Unit *u = NULL;
        UnitView v;
        NeedList nl;
        Plan p;

        tu_write(root, "/etc/nsswitch.conf", c->nsswitch);
        ck_assert_int_ge(asprintf(&body, "[Service]\nExecStart=/bin/true\n%s\n", c->unit), 0);
        tu_write(root, "/lib/systemd/system/x.service", body);
        for (int i = 0; i < 4 && c->extra[i].path; i++) {
                if (startswith(c->extra[i].content, "->"))
                        tu_symlink(root, c->extra[i].path, c->extra[i].content + 2);
                else
                        tu_write(root, c->extra[i].path, c->extra[i].content);
        }
        ck_assert_int_ge(asprintf(&rules, "%s/fragments", getenv("HC_SRCDIR") ?: "."), 0);

        tu_units_open(&t, root);
        ck_assert_int_eq(facts_load(&f, &t.root, &t.diags), 0);
        ck_assert_int_eq(rules_load(&rs, &t.root, rules, &t.diags), 0);
        ck_assert_int_eq(facts_load_for_rules(&f, &t.root, &rs, &t.diags), 0);
        ck_assert_uint_gt(rs.n, 30);
        ck_assert_int_eq(unit_load(&t.loader, "x.service", true, &u), 0);
        ck_assert_int_eq(unit_view(&t.loader, u, NULL, &t.diags, &v), 0);
        ck_assert_int_eq(needs_compute(&f, &rs, &v, NULL, NULL, NULL, &nl), 0);
        ck_assert_int_eq(plan_build(u, &v, &nl, &p), 0);
        ck_assert_int_eq(plan_verify(&t.loader, u, &v, &p), 0);

        got = tu_directive_lines(p.text);
        ck_assert_msg(streq(got, c->lines), "%s: got lines\n%s\nexpected\n%s", c->name, got, c->lines);
        ck_assert_msg(p.blocked == c->blocked, "%s: blocked=%d", c->name, p.blocked);
        if (c->unmet) {
                char *all = strv_join(p.unmet, " | ");
                ck_assert_msg(strstr(all, c->unmet), "%s: unmet '%s' lacks '%s'", c->name, all, c->unmet);
                free(all);
        } else
                ck_assert_msg(!p.unmet, "%s: unexpected unmet %s", c->name, p.unmet[0]);
        /* Every written line carries its reason right above it. */
        for (const char *q = p.text, *prev = NULL; q && *q; prev = q, q = strchr(q, '\n') ? strchr(q, '\n') + 1 : NULL)
                if (strchr("RI", q[0]))
                        ck_assert_msg(prev && startswith(prev, "# "), "%s: a line without its comment", c->name);

        free(got);
        plan_done(&p);
        need_list_done(&nl);
        unit_view_done(&v);
        unit_free(u);
        rules_done(&rs);
        facts_done(&f);
        tu_units_close(&t);
        free(body);
        free(rules);
        tu_rmrf(root);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("plan");
        TCase *tc = tcase_create("Core");

        tcase_add_loop_test(tc, test_case, 0, ELEMENTSOF(cases));
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(suite)

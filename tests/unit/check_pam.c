/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * PAM from a root's pam.d and a unit to the drop-in: which services the unit runs
 * (pam-use.h), what their modules need (needs-pam.c) and the lines that meet it
 * (plan.c), with the project's fragments/ rules. Module files are empty files at the
 * path libpam would load; unix_chkpwd is a setgid file owned by our own group, which the
 * root's /etc/group calls "shadow".
 */

#include "pam-use.h"
#include "strv.h"
#include "tu-plan.h"

typedef struct Extra {
        const char *path, *content;
} Extra;

typedef struct Case {
        const char *name;
        const char *unit;               /* [Service] body of x.service */
        const char *stack;              /* /etc/pam.d/probe */
        Extra extra[3];
        const char *lines;              /* expected directive lines, "\n"-joined */
        const char *text;               /* a substring of the drop-in or of the notes, or NULL */
        const char *list;               /* "unknown", "unconfinable", "unmet": non-empty; NULL: all empty */
        bool password;                  /* the daemon changes passwords (its rule has Types=… password) */
} Case;

#define COMMON_AUTH { "/etc/pam.d/common-auth", "# pam-auth-update\nauth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\nauth required pam_permit.so\nauth sufficient pam_ldap.so use_first_pass\n" }

static const Case cases[] = {
        { "pam_unix, non-root caller under NoNewPrivileges=yes: the helper's group",
          "User=a\nNoNewPrivileges=yes", "auth required pam_unix.so\naccount required pam_unix.so\n", {},
          "SupplementaryGroups=shadow", "unix_chkpwd", NULL, false },
        { "pam_unix, NoNewPrivileges implied by RestrictAddressFamilies=",
          "User=a\nRestrictAddressFamilies=AF_UNIX", "auth required pam_unix.so\n", {},
          "SupplementaryGroups=shadow", "implies", NULL, false },
        { "pam_unix, root caller: reads /etc/shadow itself",
          "NoNewPrivileges=yes", "auth required pam_unix.so\n", {}, "", NULL, NULL, false },
        { "pam_unix, no NoNewPrivileges: the helper gains its group",
          "User=a", "auth required pam_unix.so\n", {}, "", NULL, NULL, false },
        { "pam_unix, the group already given",
          "User=a\nNoNewPrivileges=yes\nSupplementaryGroups=shadow", "auth required pam_unix.so\n", {}, "", NULL, NULL, false },
        { "pam_ldap under an AF_INET allow list",
          "DynamicUser=yes\nRestrictAddressFamilies=AF_INET AF_INET6", "auth required pam_ldap.so\n", {},
          "RestrictAddressFamilies=AF_UNIX", "# pam_ldap.so for PAM probe auth (/etc/pam.d/probe:1)", NULL, false },
        { "pam_ldap through @include common-auth",
          "User=root\nRestrictAddressFamilies=AF_INET", "@include common-auth\n", { COMMON_AUTH },
          "RestrictAddressFamilies=AF_UNIX", "/etc/pam.d/probe:1 → /etc/pam.d/common-auth:5", NULL, false },
        { "PAMName=: pam_ldap runs before the sandbox and needs nothing",
          "PAMName=probe\nUser=a\nRestrictAddressFamilies=AF_INET", "account required pam_ldap.so\n", {},
          "", "before the sandbox", NULL, false },
        { "pam_exec cannot be confined: reported, nothing opened",
          "User=a\nRestrictAddressFamilies=AF_INET", "auth optional pam_exec.so /usr/local/bin/x\n", {},
          "", NULL, "unconfinable", false },
        { "a module without a rule: reported, nothing granted",
          "User=a\nRestrictAddressFamilies=AF_INET", "auth optional pam_frobnicate.so\n",
          { { "/lib/" MULTIARCH "/security/pam_frobnicate.so", "" } }, "", NULL, "unknown", false },
        { "a module that is not installed needs nothing",
          "User=a\nRestrictAddressFamilies=AF_INET", "auth optional pam_sss.so\n", {}, "", NULL, NULL, false },
        { "pam_ldap on a session-only line: the module implements session, still needed",
          "User=a\nRestrictAddressFamilies=AF_INET", "session optional pam_ldap.so\n", {},
          "RestrictAddressFamilies=AF_UNIX", NULL, NULL, false },
        { "pam_unix password changes under ProtectSystem=strict, bounding set without CAP_CHOWN",
          "ProtectSystem=strict\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE", "password required pam_unix.so\n", {},
          "ReadWritePaths=-/etc\nCapabilityBoundingSet=CAP_CHOWN", NULL, NULL, true },
        { "pam_unix password lines of a daemon that never changes passwords need nothing",
          "ProtectSystem=strict\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE", "password required pam_unix.so\n", {},
          "", NULL, NULL, false },
        { "pam_unix auth under ProtectSystem=strict needs no writable /etc",
          "ProtectSystem=strict\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE", "auth required pam_unix.so\n", {}, "", NULL, NULL, false },
        { "pam_unix under SystemCallFilter=~@setuid",
          "User=a\nSystemCallFilter=~@setuid\nSupplementaryGroups=shadow", "auth required pam_unix.so\n", {},
          "SystemCallFilter=@setuid", NULL, NULL, false },
};

static void make_root(const char *root, const Case *c) {
        static const char *const modules[] = { "pam_unix.so", "pam_deny.so", "pam_permit.so", "pam_ldap.so", "pam_exec.so" };
        char *body = NULL, *group = NULL, *helper;

        tu_write(root, "/etc/nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\n");
        ck_assert_int_ge(asprintf(&body, "[Service]\nExecStart=/bin/true\n%s\n", c->unit), 0);
        tu_write(root, "/lib/systemd/system/x.service", body);
        tu_write(root, "/etc/pam.d/probe", c->stack);
        tu_write(root, "/etc/pam.d/other", "auth required pam_deny.so\naccount required pam_deny.so\n"
                                           "password required pam_deny.so\nsession required pam_deny.so\n");
        for (size_t i = 0; i < ELEMENTSOF(modules); i++) {
                char *m = NULL;

                ck_assert_int_ge(asprintf(&m, "/lib/%s/security/%s", MULTIARCH, modules[i]), 0);
                tu_write(root, m, "");
                free(m);
        }
        ck_assert_int_ge(asprintf(&group, "shadow:x:%u:\n", (unsigned) getegid()), 0);
        tu_write(root, "/etc/group", group);
        tu_write(root, "/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
        tu_write(root, "/sbin/unix_chkpwd", "");
        helper = tu_path(root, "/sbin/unix_chkpwd");
        ck_assert_int_eq(chmod(helper, 02755), 0);
        /* A daemon calling PAM itself, unless the unit has PAMName= (systemd runs it) */
        if (!strstr(c->unit, "PAMName="))
                tu_write(root, "/etc/hardening-compat/fragments.d/pamsvc-probe.rules",
                         c->password ? "[Rule]\nKind=pam-service\nName=probe\nUnits=x.service\nTypes=auth account session password\nSource=test\n"
                                     : "[Rule]\nKind=pam-service\nName=probe\nUnits=x.service\nSource=test\n");
        for (int i = 0; i < 3 && c->extra[i].path; i++)
                tu_write(root, c->extra[i].path, c->extra[i].content);
        free(helper);
        free(group);
        free(body);
}

START_TEST(test_case) {
        const Case *c = &cases[_i];
        char *root = tu_mkroot(), *got, *all;
        PamUseList pam;
        TuPlan x;
        char *paths[] = { (char *) "/bin/true", NULL };

        make_root(root, c);
        tu_plan_open(&x, root);
        ck_assert_int_eq(pam_use_find(&x.f, &x.t.root, &x.rs,
                                      &(PamUnitInfo) { .id = "x.service", .pam_name = x.v.sb.pam_name,
                                                       .pam_name_origin = "x.service", .exec_paths = paths },
                                      &pam, &x.t.diags), 0);
        ck_assert_uint_eq(pam.n, 1);
        tu_plan_run(&x, &pam, NULL, NULL);

        got = tu_directive_lines(x.p.text);
        ck_assert_msg(streq(got, c->lines), "%s: got lines\n%s\nexpected\n%s\n%s", c->name, got, c->lines, strempty(x.p.text));
        if (c->text) {
                char *notes = strv_join(x.nl.notes, " | ");

                all = strjoin(strempty(x.p.text), notes);
                ck_assert_msg(strstr(all, c->text), "%s: '%s' not in\n%s", c->name, c->text, all);
                free(all);
                free(notes);
        }
        ck_assert_msg(!x.nl.unknown == !(c->list && streq(c->list, "unknown")), "%s: unknown list", c->name);
        ck_assert_msg(!x.nl.unconfinable == !(c->list && streq(c->list, "unconfinable")), "%s: unconfinable list", c->name);
        ck_assert_msg(!x.p.unmet == !(c->list && streq(c->list, "unmet")), "%s: unmet %s", c->name,
                      x.p.unmet ? x.p.unmet[0] : "(none)");

        free(got);
        pam_use_list_done(&pam);
        tu_plan_close(&x);
        tu_rmrf(root);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("pam");
        TCase *tc = tcase_create("Core");

        tcase_add_loop_test(tc, test_case, 0, ELEMENTSOF(cases));
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(suite)

/* SPDX-License-Identifier: GPL-2.0-or-later */

/* pam.d parsing with Debian's libpam 1.5.2 semantics (libpam/pam_handlers.c + the
 * 031_pam_include patch): lookup, "other", @include/include/substack, tokens, lines. */

#include "pamd.h"
#include "strv.h"
#include "testutil.h"

#ifndef MULTIARCH
#define MULTIARCH "x86_64-linux-gnu"
#endif
#define SEC "/lib/" MULTIARCH "/security/"

static char *root;
static DiagList diags;

static void setup(void) {
        root = tu_mkroot();
        diags = (DiagList) {};
        tu_write(root, SEC "pam_unix.so", "x");
        tu_write(root, SEC "pam_env.so", "x");
        tu_write(root, SEC "pam_deny.so", "x");
        tu_write(root, "/lib/security/pam_old.so", "x");
        tu_write(root, "/etc/pam.d/common-auth", "auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\n");
        tu_write(root, "/etc/pam.d/common-account", "account required pam_unix.so\n");
        tu_write(root, "/etc/pam.d/common-session", "session required pam_env.so\n");
        tu_write(root, "/etc/pam.d/other", "@include common-auth\n@include common-account\n@include common-session\n"
                                           "password required pam_deny.so\n");
}

static void teardown(void) {
        diag_list_done(&diags);
        tu_rmrf(root);
}

/* "type:module args" per entry, joined by " | ". */
static char *describe(const PamStack *s) {
        char **l = NULL, *r;

        for (size_t i = 0; i < s->n; i++) {
                char *a = strv_join(s->entries[i].args, " "), *x = NULL;

                ck_assert_int_ge(asprintf(&x, "%s%s:%s%s%s%s", s->entries[i].from_other ? "o/" : "",
                                          pam_type_to_string(s->entries[i].type), s->entries[i].module,
                                          *a ? " " : "", a, s->entries[i].module_path ? "" : "(missing)"), 0);
                ck_assert_int_eq(strv_consume(&l, x), 0);
                free(a);
        }
        r = strv_join(l, " | ");
        strv_free(l);
        return r;
}

static char *load(const char *service, PamStack *s) {
        Root r;

        ck_assert_int_eq(root_init(&r, root), 0);
        ck_assert_int_eq(pam_stack_load(&r, service, s, &diags), 0);
        root_done(&r);
        return describe(s);
}

static bool diag_has(const char *needle) {
        for (size_t i = 0; i < diags.n; i++)
                if (strstr(diags.items[i].message, needle))
                        return true;
        return false;
}

START_TEST(test_include_and_other) {
        PamStack s;
        char *d;

        tu_write(root, "/etc/pam.d/sshd", "@include common-auth\naccount required pam_env.so\n");
        d = load("SSHD", &s);
        ck_assert_str_eq(s.service, "sshd");
        /* auth from the include, account its own; password and session from "other" */
        ck_assert_str_eq(d, "auth:pam_unix.so nullok | auth:pam_deny.so | account:pam_env.so | "
                            "o/session:pam_env.so | o/password:pam_deny.so");
        ck_assert_str_eq(s.entries[0].control, "success=1 default=ignore");
        ck_assert_str_eq(s.entries[0].chain, "/etc/pam.d/sshd:1 → /etc/pam.d/common-auth:1");
        ck_assert_str_eq(s.entries[0].module_path, SEC "pam_unix.so");
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_missing_service_uses_other) {
        PamStack s;
        char *d = load("nosuch", &s);

        ck_assert_ptr_null(s.file);
        ck_assert_str_eq(d, "o/auth:pam_unix.so nullok | o/auth:pam_deny.so | o/account:pam_unix.so | "
                            "o/session:pam_env.so | o/password:pam_deny.so");
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_usr_lib_and_precedence) {
        PamStack s;
        char *d;

        tu_write(root, "/usr/lib/pam.d/vendor", "session required pam_unix.so\n");
        d = load("vendor", &s);
        ck_assert_str_eq(s.file, "/usr/lib/pam.d/vendor");
        ck_assert_ptr_nonnull(strstr(d, "session:pam_unix.so"));
        free(d);
        pam_stack_done(&s);
        /* /etc wins, whole file: no merging */
        tu_write(root, "/etc/pam.d/vendor", "session required pam_env.so\n");
        d = load("vendor", &s);
        ck_assert_str_eq(s.file, "/etc/pam.d/vendor");
        ck_assert_ptr_null(strstr(d, "session:pam_unix.so"));
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_include_type_filter_and_substack) {
        PamStack s;
        char *d;

        tu_write(root, "/etc/pam.d/mixed", "auth required pam_env.so\naccount required pam_deny.so\n");
        tu_write(root, "/etc/pam.d/svc", "account include mixed\nsession substack mixed\nauth required pam_unix.so\n");
        d = load("svc", &s);
        /* "account include" takes only mixed's account lines; "session substack" none */
        ck_assert_str_eq(d, "account:pam_deny.so | auth:pam_unix.so | o/session:pam_env.so | o/password:pam_deny.so");
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_include_relative_is_etc_only) {
        PamStack s;
        char *d;

        /* Debian's patch: a relative include is /etc/pam.d/NAME, never /usr/lib/pam.d. */
        tu_write(root, "/usr/lib/pam.d/vendorinc", "auth required pam_env.so\n");
        tu_write(root, "/etc/pam.d/svc", "auth include vendorinc\naccount required pam_unix.so\n");
        d = load("svc", &s);
        ck_assert_ptr_null(strstr(d, "auth:pam_env.so"));
        ck_assert(diag_has("included file '/etc/pam.d/vendorinc' is missing"));
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_tokens_and_lines) {
        PamStack s;
        char *d;

        tu_write(root, "/etc/pam.d/tok",
                 "  # comment\n"
                 "\n"
                 "auth [success=ok new_authtok_reqd=ok\\] default=bad] pam_unix.so [query=select x] y # trailing\n"
                 "-session optional \\\n"
                 "   # a comment line inside a continuation is skipped\n"
                 "   pam_nothere.so arg\n"
                 "ACCOUNT Required pam_old.so\n"
                 "password required pam_env.so \\ # not a continuation\n"
                 "password required pam_deny.so\n");
        d = load("tok", &s);
        ck_assert_str_eq(d, "auth:pam_unix.so query=select x y | session:pam_nothere.so arg(missing) | "
                            "account:pam_old.so | password:pam_env.so \\ | password:pam_deny.so");
        ck_assert_str_eq(s.entries[0].control, "success=ok new_authtok_reqd=ok] default=bad");
        ck_assert(s.entries[1].silent);
        ck_assert_str_eq(s.entries[2].module_path, "/lib/security/pam_old.so");
        ck_assert_str_eq(s.entries[2].chain, "/etc/pam.d/tok:7");
        ck_assert_str_eq(s.entries[1].chain, "/etc/pam.d/tok:4");
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_absolute_module_and_include) {
        PamStack s;
        char *d;

        tu_write(root, "/opt/pam/pam_custom.so", "x");
        tu_write(root, "/srv/stack", "session required /opt/pam/pam_custom.so\n");
        tu_write(root, "/etc/pam.d/abs", "@include /srv/stack\n");
        d = load("abs", &s);
        ck_assert_ptr_nonnull(strstr(d, "session:/opt/pam/pam_custom.so"));
        ck_assert_str_eq(s.entries[0].module_name, "pam_custom.so");
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_include_loop) {
        PamStack s;
        char *d;

        tu_write(root, "/etc/pam.d/a", "@include b\nauth required pam_unix.so\n");
        tu_write(root, "/etc/pam.d/b", "@include a\naccount required pam_unix.so\n");
        d = load("a", &s);
        ck_assert(diag_has("include loop: /etc/pam.d/a → /etc/pam.d/b → /etc/pam.d/a"));
        ck_assert_ptr_nonnull(strstr(d, "account:pam_unix.so"));
        ck_assert_ptr_nonnull(strstr(d, "auth:pam_unix.so"));
        ck_assert(!s.aborted);
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_depth_limit) {
        PamStack s;
        char *d;

        for (int i = 0; i < 20; i++) {
                char p[64], c[64];

                snprintf(p, sizeof(p), "/etc/pam.d/d%d", i);
                snprintf(c, sizeof(c), "@include d%d\n", i + 1);
                tu_write(root, p, c);
        }
        d = load("d0", &s);
        ck_assert(diag_has("nested more than 16 deep"));
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_missing_top_include_aborts) {
        PamStack s;
        char *d;

        tu_write(root, "/etc/pam.d/broken", "@include common-nosuch\nauth required pam_unix.so\n");
        d = load("broken", &s);
        ck_assert(s.aborted);
        ck_assert_ptr_nonnull(strstr(s.abort_reason, "missing file '/etc/pam.d/common-nosuch'"));
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_long_line_is_cut) {
        char big[3000] = "auth required pam_unix.so ";
        PamStack s;
        char *d;

        /* Continued lines past 1023 bytes: fgets() cuts the line at the buffer's end and
         * libpam reads the rest as another line (here of an illegal type). */
        for (int i = 0; i < 30; i++)
                strcat(big, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \\\n");
        strcat(big, "end\n");
        tu_write(root, "/etc/pam.d/long", big);
        d = load("long", &s);
        ck_assert(!s.aborted);
        ck_assert(diag_has("longer than 1023 bytes"));
        ck_assert(diag_has("illegal module type"));
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_unfinished_continuation_aborts) {
        PamStack s;
        char *d;

        tu_write(root, "/etc/pam.d/cont", "auth required pam_unix.so \\\n");
        d = load("cont", &s);
        ck_assert(s.aborted);
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_bad_lines) {
        PamStack s;
        char *d;

        tu_write(root, "/etc/pam.d/bad", "bogus required pam_unix.so\nauth\nauth required\nauth include\n"
                                         "session required pam_env.so\n");
        d = load("bad", &s);
        ck_assert(diag_has("illegal module type 'bogus'"));
        ck_assert(diag_has("no control flag"));
        ck_assert(diag_has("no module name"));
        ck_assert(diag_has("include without a file name"));
        ck_assert_ptr_nonnull(strstr(d, "session:pam_env.so"));
        free(d);
        pam_stack_done(&s);
}
END_TEST

START_TEST(test_invalid_service_names) {
        PamStack s;
        Root r;

        ck_assert_int_eq(root_init(&r, root), 0);
        ck_assert_int_eq(pam_stack_load(&r, "../etc/shadow", &s, &diags), -EINVAL);
        ck_assert_int_eq(pam_stack_load(&r, "", &s, &diags), -EINVAL);
        ck_assert_int_eq(pam_stack_load(&r, "..", &s, &diags), -EINVAL);
        root_done(&r);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("pamd");
        TCase *tc = tcase_create("Core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_include_and_other);
        tcase_add_test(tc, test_missing_service_uses_other);
        tcase_add_test(tc, test_usr_lib_and_precedence);
        tcase_add_test(tc, test_include_type_filter_and_substack);
        tcase_add_test(tc, test_include_relative_is_etc_only);
        tcase_add_test(tc, test_tokens_and_lines);
        tcase_add_test(tc, test_absolute_module_and_include);
        suite_add_tcase(s, tc);
        tc = tcase_create("Limits");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_include_loop);
        tcase_add_test(tc, test_depth_limit);
        tcase_add_test(tc, test_missing_top_include_aborts);
        tcase_add_test(tc, test_long_line_is_cut);
        tcase_add_test(tc, test_unfinished_continuation_aborts);
        tcase_add_test(tc, test_bad_lines);
        tcase_add_test(tc, test_invalid_service_names);
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(suite)

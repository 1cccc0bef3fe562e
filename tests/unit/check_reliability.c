/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Regressions of the reliability work (README "Reliability"): inputs that once took
 * unbounded time or made unbounded output. Each runs under CK_DEFAULT_TIMEOUT.
 */
#include "servers.h"
#include "servers-internal.h"
#include "testutil.h"

/* A unit file of 1,000,000 continued lines "x\\": joined in linear time, cut at CONF_LINE_MAX
 * with one error naming the line (was quadratic: minutes). */
START_TEST(test_continued_lines) {
        size_t n = 1000000, len = 3 * n + 64;
        char *text = malloc(len), *p = text;
        ConfFile c = {};
        DiagList diags = {};
        FILE *f;

        ck_assert_ptr_nonnull(text);
        p += sprintf(p, "[Service]\nEnvironment=A=\\\n");
        for (size_t i = 0; i < n; i++) {
                *p++ = 'x';
                *p++ = '\\';
                *p++ = '\n';
        }
        f = fmemopen(text, (size_t) (p - text), "r");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(conf_parse(f, "big.service", "Service\0", &c, &diags), 0);
        ck_assert_int_eq(c.error, -ENOBUFS);
        ck_assert_uint_eq(diags.n, 1);
        ck_assert_str_eq(diags.items[0].message, "continuation line too long, ignoring the rest of the file.");
        fclose(f);
        conf_file_done(&c);
        diag_list_done(&diags);
        free(text);
}
END_TEST

/* The same joining, short: a continued value keeps every part, separated by the blank
 * that replaces each '\'. */
START_TEST(test_continued_value) {
        static const char text[] = "[Service]\nEnvironment=A=1 \\\n# comment\nB=2 \\\nC=3\n";
        ConfFile c = {};
        FILE *f = fmemopen((void *) text, sizeof(text) - 1, "r");

        ck_assert_int_eq(conf_parse(f, "u.service", "Service\0", &c, NULL), 0);
        ck_assert_uint_eq(c.n_items, 1);
        ck_assert_str_eq(c.items[0].value, "A=1  B=2  C=3");
        fclose(f);
        conf_file_done(&c);
}
END_TEST

/* 200,000 "broadcast" domains in yp.conf: the unexpressible reason stays short. */
START_TEST(test_unexpressible_bounded) {
        ServerList l = {};

        for (unsigned i = 0; i < 200000; i++)
                ck_assert_int_eq(server_list_note_unexpressible(&l, "/etc/yp.conf:1: NIS domain x uses broadcast"), 0);
        ck_assert_uint_lt(strlen(l.unexpressible), 1200);
        ck_assert(endswith(l.unexpressible, "; …"));
        server_list_done(&l);
}
END_TEST

/* 200,000 distinct warnings are kept in linear time (once a scan per warning: minutes);
 * an identical one is kept once, and file, line, level and message each tell two apart. */
START_TEST(test_diag_dedup) {
        DiagList d = {};

        for (unsigned i = 1; i <= 200000; i++)
                ck_assert_int_eq(diag_add(&d, DIAG_WARNING, "/etc/yp.conf", i, "NIS domain x uses broadcast"), 0);
        ck_assert_uint_eq(d.n, 200000);
        ck_assert_int_eq(diag_add(&d, DIAG_WARNING, "/etc/yp.conf", 7, "NIS domain x uses broadcast"), 0);
        ck_assert_uint_eq(d.n, 200000);
        ck_assert_int_eq(diag_add(&d, DIAG_ERROR, "/etc/yp.conf", 7, "NIS domain x uses broadcast"), 0);
        ck_assert_int_eq(diag_add(&d, DIAG_WARNING, NULL, 7, "NIS domain x uses broadcast"), 0);
        ck_assert_int_eq(diag_add(&d, DIAG_WARNING, "", 7, "NIS domain x uses broadcast"), 0);
        ck_assert_int_eq(diag_add(&d, DIAG_WARNING, "/etc/yp.conf", 7, "NIS domain y uses broadcast"), 0);
        /* "a b" + "c" and "a" + "b c" would be one key if the file's end were not known */
        ck_assert_int_eq(diag_add(&d, DIAG_NOTICE, "a b", 1, "c"), 0);
        ck_assert_int_eq(diag_add(&d, DIAG_NOTICE, "a", 1, "b c"), 0);
        ck_assert_uint_eq(d.n, 200006);
        ck_assert_int_eq(diag_add(&d, DIAG_WARNING, NULL, 7, "NIS domain x uses broadcast"), 0);
        ck_assert_uint_eq(d.n, 200006);
        ck_assert_ptr_null(d.items[200001].file);
        ck_assert_str_eq(d.items[200002].file, "");
        diag_list_done(&d);
}
END_TEST

static Suite *reliability_suite(void) {
        Suite *s = suite_create("reliability");
        TCase *tc = tcase_create("Limits");

        tcase_add_test(tc, test_continued_lines);
        tcase_add_test(tc, test_continued_value);
        tcase_add_test(tc, test_unexpressible_bounded);
        tcase_add_test(tc, test_diag_dedup);
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(reliability_suite)

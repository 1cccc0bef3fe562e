/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The small parsers: word splitting, unit names, specifiers, address prefixes and the
 * rules files. Expected values follow systemd 252's own tests (src/test/test-extract-word.c,
 * test-unit-name.c) where one exists. */

#include "extract-word.h"
#include "ip-prefix.h"
#include "rules.h"
#include "strv.h"
#include "testutil.h"
#include "unit-name.h"

typedef struct WordRow {
        const char *in;
        ExtractFlags flags;
        const char *out[4];
        int error;
} WordRow;

static const WordRow words[] = {
        { "foo bar", 0, { "foo", "bar" }, 0 },
        { "  foo\t\tbar  ", 0, { "foo", "bar" }, 0 },
        { "'foo bar' x", EXTRACT_UNQUOTE, { "foo bar", "x" }, 0 },
        { "\"a\"b'c d'", EXTRACT_UNQUOTE, { "abc d" }, 0 },
        { "'foo", EXTRACT_UNQUOTE, { NULL }, -EINVAL },
        { "'foo bar'", 0, { "'foo", "bar'" }, 0 },
        { "a\\ b", 0, { "a b" }, 0 },
        { "a\\x41b", EXTRACT_CUNESCAPE, { "aAb" }, 0 },
        { "a\\tb", EXTRACT_CUNESCAPE, { "a\tb" }, 0 },
        { "a\\qb", EXTRACT_CUNESCAPE, { NULL }, -EINVAL },
        { "a\\qb", EXTRACT_CUNESCAPE | EXTRACT_UNESCAPE_RELAX, { "a\\qb" }, 0 },
        { "\\u00e9", EXTRACT_CUNESCAPE, { "\xc3\xa9" }, 0 },
        { "x\\", 0, { NULL }, -EINVAL },
        { "", 0, { NULL }, 0 },
        /* BindPaths=' separators: each one ends a word, even an empty one (systemd 252) */
        { "a  b", EXTRACT_DONT_COALESCE_SEPARATORS, { "a", "", "b" }, 0 },
        { " a", EXTRACT_DONT_COALESCE_SEPARATORS, { "", "a" }, 0 },
        { "a ", EXTRACT_DONT_COALESCE_SEPARATORS, { "a", "" }, 0 },
        { "", EXTRACT_DONT_COALESCE_SEPARATORS, { "" }, 0 },
        { "'x y' z", EXTRACT_DONT_COALESCE_SEPARATORS | EXTRACT_UNQUOTE, { "x y", "z" }, 0 },
};

START_TEST(test_words) {
        const WordRow *w = &words[_i];
        const char *p = w->in;
        int i = 0;

        for (;;) {
                char *word = NULL;
                int r = extract_first_word(&p, &word, NULL, w->flags);

                if (r < 0) {
                        ck_assert_int_eq(r, w->error);
                        return;
                }
                if (r == 0)
                        break;
                ck_assert_msg(w->out[i] && streq(word, w->out[i]), "'%s': word %d is '%s'", w->in, i, word);
                free(word);
                i++;
        }
        ck_assert_int_eq(w->error, 0);
        ck_assert_ptr_null(w->out[i]);
}
END_TEST

START_TEST(test_unit_names) {
        char *s = NULL;

        ck_assert(unit_name_is_valid("foo.service", UNIT_NAME_PLAIN));
        ck_assert(unit_name_is_valid("foo@.service", UNIT_NAME_TEMPLATE));
        ck_assert(unit_name_is_valid("foo@bar@baz.service", UNIT_NAME_INSTANCE));
        ck_assert(unit_name_is_valid("a-b\\x2dc:d_e.f.service", UNIT_NAME_PLAIN));
        ck_assert(!unit_name_is_valid("foo.service", UNIT_NAME_TEMPLATE));
        ck_assert(!unit_name_is_valid("@x.service", UNIT_NAME_ANY));
        ck_assert(!unit_name_is_valid("x.bogus", UNIT_NAME_ANY));
        ck_assert(!unit_name_is_valid("../x.service", UNIT_NAME_ANY));
        ck_assert(!unit_name_is_valid("a/b.service", UNIT_NAME_ANY));
        ck_assert(!unit_name_is_valid(".service", UNIT_NAME_ANY));
        {
                char longname[300];

                memset(longname, 'a', 255 - 8);
                strcpy(longname + 255 - 8, ".service");
                ck_assert(unit_name_is_valid(longname, UNIT_NAME_ANY));     /* 255 bytes */
                memset(longname, 'a', 256 - 8);
                strcpy(longname + 256 - 8, ".service");
                ck_assert(!unit_name_is_valid(longname, UNIT_NAME_ANY));    /* 256 bytes */
        }
        ck_assert_int_eq(unit_name_template("getty@tty1.service", &s), 0);
        ck_assert_str_eq(s, "getty@.service");
        free(s);
        ck_assert_int_eq(unit_name_replace_instance("getty@.service", "tty2", &s), 0);
        ck_assert_str_eq(s, "getty@tty2.service");
        free(s);
        ck_assert_int_eq(unit_name_to_prefix("foo-bar@x.service", &s), 0);
        ck_assert_str_eq(s, "foo-bar");
        free(s);
        s = unit_name_escape("foo-bar/baz");
        ck_assert_str_eq(s, "foo\\x2dbar-baz");
        free(s);
        ck_assert_int_eq(unit_name_path_unescape("dev-sda\\x2d1", &s), 0);
        ck_assert_str_eq(s, "/dev/sda-1");
        free(s);
}
END_TEST

START_TEST(test_specifiers) {
        HostInfo h = { .hostname = (char *) "host.example.org", .machine_id = (char *) "abc", .kernel_release = (char *) "6.1" };
        SpecifierContext c = { .id = "foo-bar@in\\x2dst.service", .instance = "in\\x2dst", .host = &h };
        static const struct { const char *in, *out; } rows[] = {
                { "%n", "foo-bar@in\\x2dst.service" }, { "%N", "foo-bar@in\\x2dst" }, { "%p", "foo-bar" },
                { "%P", "foo/bar" }, { "%i", "in\\x2dst" }, { "%I", "in-st" }, { "%j", "bar" }, { "%f", "/in-st" },
                { "%t/x", "/run/x" }, { "%S %C %L %E", "/var/lib /var/cache /var/log /etc" }, { "%%", "%" },
                { "%H %l %m %v", "host.example.org host abc 6.1" }, { "50%", "50%" }, { "%!", "%!" }, { "%h", "/root" },
        };
        char *s = NULL;

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                ck_assert_int_eq(specifier_expand(&c, rows[i].in, &s), 0);
                ck_assert_msg(streq(s, rows[i].out), "%s → '%s', expected '%s'", rows[i].in, s, rows[i].out);
                free(s);
        }
        ck_assert_int_eq(specifier_expand(&c, "%Z", &s), -EBADSLT);
}
END_TEST

START_TEST(test_prefixes) {
        IPPrefix p, a;
        char buf[IP_PREFIX_STRLEN];

        ck_assert_int_eq(ip_prefix_parse("10.1.2.3/8", &p), 0);
        ck_assert_str_eq(ip_prefix_to_string(&p, buf), "10.0.0.0/8");
        ck_assert_int_eq(ip_prefix_parse("10.200.0.1", &a), 0);
        ck_assert(ip_prefix_contains(&p, &a));
        ck_assert_int_eq(ip_prefix_parse("2001:db8::1/33", &p), 0);
        ck_assert_str_eq(ip_prefix_to_string(&p, buf), "2001:db8::/33");
        ck_assert(!ip_prefix_contains(&p, &a));
        ck_assert_int_eq(ip_prefix_parse("1.2.3.4/33", &p), -EINVAL);
        ck_assert_int_eq(ip_prefix_parse("1.2.3.4/", &p), -EINVAL);
        ck_assert_int_eq(ip_prefix_parse("host.example", &p), -EINVAL);
        ck_assert_int_eq(ip_prefix_parse("/8", &p), -EINVAL);
}
END_TEST

/* Rules files: /etc overrides /usr by name, an empty file masks, bad files are reported
 * with file and line, duplicates name both files. */
START_TEST(test_rules_dirs) {
        char *root = tu_mkroot(), *builtin = tu_mkroot();
        DiagList d = {};
        RuleSet s;
        Root r;
        const Rule *x;

        tu_write(builtin, "/nss-a.rules", "[Rule]\nKind=nss\nName=a\nSource=builtin\n[Needs]\nAddressFamilies=AF_UNIX\n");
        tu_write(root, "/usr/share/hardening-compat/fragments.d/nss-a.rules",
                 "[Rule]\nKind=nss\nName=a\nSource=usr\n[Needs]\nAddressFamilies=AF_INET\n");
        tu_write(root, "/etc/hardening-compat/fragments.d/nss-a.rules",
                 "[Rule]\nKind=nss\nName=a\nSource=etc\n[Needs]\nAddressFamilies=AF_NETLINK\n");
        tu_write(root, "/usr/share/hardening-compat/fragments.d/nss-b.rules", "[Rule]\nKind=nss\nName=b\nSource=x\n");
        tu_write(root, "/etc/hardening-compat/fragments.d/nss-b.rules", "");
        tu_write(root, "/usr/share/hardening-compat/fragments.d/nss-c.rules", "[Rule]\nKind=nss\nName=c\n");
        tu_write(root, "/usr/share/hardening-compat/fragments.d/nss-d.rules",
                 "[Rule]\nKind=nss\nName=d\nSource=x\nColour=blue\n[Needs]\nAddressFamilies=AF_UNIX AF_BOGUS\n");
        tu_write(root, "/usr/share/hardening-compat/fragments.d/nss-e.rules", "[Rule]\nKind=nss\nName=a\nSource=dup\n");
        tu_write(root, "/usr/share/hardening-compat/fragments.d/pam-x.rules", "[Rule]\nKind=pam-module\nName=x\nSource=x\n");

        ck_assert_int_eq(root_init(&r, root), 0);
        ck_assert_int_eq(rules_load(&s, &r, builtin, &d), 0);
        x = rules_find(&s, RULE_NSS, "a");
        ck_assert_ptr_nonnull(x);
        ck_assert_str_eq(x->sources[0], "etc");
        ck_assert_ptr_null(rules_find(&s, RULE_NSS, "b"));      /* masked */
        ck_assert_ptr_null(rules_find(&s, RULE_NSS, "c"));      /* no Source= */
        x = rules_find(&s, RULE_NSS, "d");
        ck_assert_ptr_nonnull(x);
        ck_assert_uint_eq(x->needs.families, UINT64_C(1) << 1);        /* AF_UNIX; AF_BOGUS ignored */
        ck_assert_int_eq(s.n, 2);
        {
                char *all = NULL;
                char **m = NULL;

                for (size_t i = 0; i < d.n; i++) {
                        char *line = NULL;
                        ck_assert_int_ge(asprintf(&line, "%s:%u: %s", d.items[i].file, d.items[i].line, d.items[i].message), 0);
                        ck_assert_int_eq(strv_consume(&m, line), 0);
                }
                all = strv_join(m, "\n");
                if (!strstr(all, "nss-c.rules:3: rule 'c' cites no Source=")) ck_abort_msg("%s", all);
                ck_assert_ptr_nonnull(strstr(all, "nss-d.rules:5: unknown key 'Colour'"));
                ck_assert_ptr_nonnull(strstr(all, "nss-d.rules:7: unknown address family 'AF_BOGUS'"));
                ck_assert_ptr_nonnull(strstr(all, "nss-e.rules:3: a rule for nss 'a' is already in"));
                ck_assert_ptr_nonnull(strstr(all, "pam-x.rules:2: unknown rule kind 'pam-module'"));
                free(all);
                strv_free(m);
        }
        rules_done(&s);
        diag_list_done(&d);
        root_done(&r);
        tu_rmrf(builtin);
        tu_rmrf(root);
}
END_TEST

/* Every shipped rule parses cleanly and cites a source. */
START_TEST(test_shipped_rules) {
        char *dir = NULL, *root = tu_mkroot();
        DiagList d = {};
        RuleSet s;
        Root r;

        ck_assert_int_ge(asprintf(&dir, "%s/fragments", getenv("HC_SRCDIR") ?: "."), 0);
        ck_assert_int_eq(root_init(&r, root), 0);
        ck_assert_int_eq(rules_load(&s, &r, dir, &d), 0);
        for (size_t i = 0; i < d.n; i++)
                ck_abort_msg("%s:%u: %s", d.items[i].file, d.items[i].line, d.items[i].message);
        ck_assert_uint_ge(s.n, 35);
        for (size_t i = 0; i < s.n; i++) {
                ck_assert_ptr_nonnull(s.rules[i].sources);
                ck_assert_ptr_nonnull(s.rules[i].verified);
                ck_assert_ptr_nonnull(s.rules[i].packages);
        }
        rules_done(&s);
        diag_list_done(&d);
        root_done(&r);
        free(dir);
        tu_rmrf(root);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("parsers");
        TCase *tc = tcase_create("Core");

        tcase_add_loop_test(tc, test_words, 0, ELEMENTSOF(words));
        tcase_add_test(tc, test_unit_names);
        tcase_add_test(tc, test_specifiers);
        tcase_add_test(tc, test_prefixes);
        tcase_add_test(tc, test_shipped_rules);
        suite_add_tcase(s, tc);
        tc = tcase_create("Limits");
        tcase_add_test(tc, test_rules_dirs);
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(suite)

/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The faster paths must answer as the slow ones did: conf_parse_text() as conf_parse() on
 * the same bytes (line ends, NULs, the length limit, continuations); a group resolved
 * once per process as its members named one by one; elf_needs_library()'s per-process
 * cache across files of one root and across roots.
 */

#include "conf-parser.h"
#include "elf.h"
#include "syscalls.h"
#include "testutil.h"

/* Both entry points on the same bytes; returns the items as "line:section:key=value|…"
 * and checks the two agree, error included. */
static char *parse_both(const char *text, size_t size) {
        ConfFile a = {}, b = {};
        char **l = NULL, *s;
        FILE *f = fmemopen((void *) text, size, "r");
        char *copy = malloc(size + 1);

        ck_assert_ptr_nonnull(f);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, text, size);
        copy[size] = '\0';
        ck_assert_int_eq(conf_parse(f, "t.service", "Service\0", &a, NULL), 0);
        ck_assert_int_eq(conf_parse_text(copy, size, "t.service", "Service\0", &b, NULL), 0);
        fclose(f);
        free(copy);
        ck_assert_uint_eq(a.n_items, b.n_items);
        ck_assert_int_eq(a.error, b.error);
        ck_assert_uint_eq(a.error_line, b.error_line);
        for (size_t i = 0; i < a.n_items; i++) {
                ck_assert_uint_eq(a.items[i].line, b.items[i].line);
                ck_assert_str_eq(a.items[i].section, b.items[i].section);
                ck_assert_str_eq(a.items[i].key, b.items[i].key);
                ck_assert_str_eq(a.items[i].value, b.items[i].value);
                ck_assert_int_eq(strv_extendf(&l, "%u:%s=%s", a.items[i].line, a.items[i].key, a.items[i].value), 0);
        }
        s = l ? strv_join(l, "|") : strdup("");
        strv_free(l);
        conf_file_done(&a);
        conf_file_done(&b);
        return s;
}

#define T(lit) lit, sizeof(lit) - 1

START_TEST(test_line_ends) {
        static const struct {
                const char *text;
                size_t size;
                const char *want;
        } cases[] = {
                { T("[Service]\nA=1\nB=2\n"), "2:A=1|3:B=2" },
                { T("[Service]\r\nA=1\r\nB=2"), "2:A=1|3:B=2" },
                { T("[Service]\n\rA=1\n\rB=2\n\r"), "2:A=1|3:B=2" },
                { T("[Service]\r\rA=1\n\nB=2"), "3:A=1|5:B=2" },          /* \r\r, \n\n: two ends */
                { T("[Service]\0A=1\0\nB=2"), "2:A=1|4:B=2" },            /* NUL ends a line, alone */
                { T("[Service]\n\0A=1"), "3:A=1" },
                { T("\xef\xbb\xbf[Service]\nA=1\n"), "2:A=1" },
                { T("[Service]\nA=x\\\\\nB=2\\\\\\\nC=3\n"), "2:A=x\\\\|4:B=2\\\\ C=3" },
                { T("[Service]\nA=1 \\\n; comment\n  # too\nB\\\n"), "6:A=1  B" },
                { T("[Service]\nA=1\\"), "3:A=1" },
                { T(""), "" },
                { T("\n"), "" },
                { T("\0"), "" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *got = parse_both(cases[i].text, cases[i].size);

                ck_assert_msg(streq(got, cases[i].want), "case %zu: got '%s', want '%s'", i, got, cases[i].want);
                free(got);
        }
}
END_TEST

/* A line of CONF_LINE_MAX characters is read; one more stops reading there. */
START_TEST(test_line_max) {
        static const char head[] = "[Service]\nA=";
        char *text = malloc(sizeof(head) + CONF_LINE_MAX + 8), *got;

        ck_assert_ptr_nonnull(text);
        memcpy(text, head, sizeof(head) - 1);
        memset(text + sizeof(head) - 1, 'x', CONF_LINE_MAX - 2);
        memcpy(text + sizeof(head) - 1 + CONF_LINE_MAX - 2, "\nB=2\n", 5);
        got = parse_both(text, sizeof(head) - 1 + CONF_LINE_MAX - 2 + 5);
        ck_assert(startswith(got, "2:A=xxx"));
        ck_assert(endswith(got, "|3:B=2"));
        free(got);

        memset(text + sizeof(head) - 1, 'x', CONF_LINE_MAX - 1);
        memcpy(text + sizeof(head) - 1 + CONF_LINE_MAX - 1, "\nB=2\n", 5);
        got = parse_both(text, sizeof(head) - 1 + CONF_LINE_MAX - 1 + 5);
        ck_assert_str_eq(got, "");
        free(got);
        free(text);
}
END_TEST

/* "@group" as every member named one by one, nested groups expanded the same way. */
static void expand(const char *name, unsigned depth, char ***out) {
        const char *m = name[0] == '@' ? syscall_group_members(name) : NULL;

        if (name[0] != '@') {
                ck_assert_int_eq(strv_extend(out, name), 0);
                return;
        }
        if (!m || depth > 8)
                return;
        for (const char *i = m; *i; i += strlen(i) + 1)
                expand(i, depth + 1, out);
}

static char *filter_of(const char *const *values, bool by_name) {
        SyscallFilter f = {};
        char *s;

        for (const char *const *v = values; *v; v++) {
                char **words = NULL, **out = NULL, *joined;
                const char *p = *v;
                bool invert = *p == '~';

                ck_assert_int_eq(strv_split(p + invert, " ", &words), 0);
                STRV_FOREACH(w, words) {
                        char *colon = strchr(*w, ':');
                        char **names = NULL;

                        if (colon)
                                *colon = '\0';
                        if (by_name)
                                expand(*w, 0, &names);
                        else
                                ck_assert_int_eq(strv_extend(&names, *w), 0);
                        STRV_FOREACH(n, names)
                                ck_assert_int_eq(strv_extendf(&out, "%s%s%s", *n, colon ? ":" : "", colon ? colon + 1 : ""), 0);
                        strv_free(names);
                }
                joined = out ? strv_join(out, " ") : strdup("");
                ck_assert_ptr_nonnull(joined);
                {
                        char *value = NULL;

                        ck_assert_int_ge(asprintf(&value, "%s%s", invert ? "~" : "", joined), 0);
                        ck_assert_int_eq(syscall_filter_assign(&f, value, true, NULL, NULL), 0);
                        free(value);
                }
                free(joined);
                strv_free(out);
                strv_free(words);
        }
        s = syscall_filter_format(&f);
        ck_assert_ptr_nonnull(s);
        syscall_filter_clear(&f);
        return s;
}

START_TEST(test_syscall_groups) {
        static const char *const cases[][4] = {
                { "@system-service", NULL },
                { "@system-service", "~@privileged @resources", NULL },
                { "@system-service", "~@mount:EPERM @clock:EACCES", "@mount", NULL },
                { "~@mount @swap", "~@clock:EPERM", "@clock", NULL },
                { "~@obsolete", "@obsolete", NULL },
                { "@default @basic-io", "~@basic-io:kill", NULL },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *a = filter_of(cases[i], false), *b = filter_of(cases[i], true);

                ck_assert_msg(streq(a, b), "case %zu: '%s' vs '%s'", i, a, b);
                free(a);
                free(b);
                /* and again, now that every group is cached */
                a = filter_of(cases[i], false);
                b = filter_of(cases[i], true);
                ck_assert_msg(streq(a, b), "case %zu again", i);
                free(a);
                free(b);
        }
}
END_TEST

/* A little-endian ELF64 shared object needing the given names: one PT_LOAD covering the
 * file, a PT_DYNAMIC, DT_NEEDED entries, DT_STRTAB and DT_STRSZ. */
static void write_elf(const char *root, const char *path, const char *const *needed) {
        uint8_t b[1024] = {};
        size_t n_needed = 0, dyn = 176, strtab, strsz = 1, end;
        char *full = tu_path(root, path);
        FILE *f;

#define PUT(off, v, n) do { uint64_t v_ = (v); for (unsigned k_ = 0; k_ < (n); k_++) b[(off) + k_] = (uint8_t) (v_ >> (8 * k_)); } while (0)
        while (needed[n_needed])
                n_needed++;
        strtab = dyn + 16 * (n_needed + 3);
        for (size_t i = 0; i < n_needed; i++) {
                memcpy(b + strtab + strsz, needed[i], strlen(needed[i]) + 1);
                PUT(dyn + 16 * i, 1, 8);
                PUT(dyn + 16 * i + 8, strsz, 8);
                strsz += strlen(needed[i]) + 1;
        }
        PUT(dyn + 16 * n_needed, 5, 8);
        PUT(dyn + 16 * n_needed + 8, strtab, 8);
        PUT(dyn + 16 * (n_needed + 1), 10, 8);
        PUT(dyn + 16 * (n_needed + 1) + 8, strsz, 8);
        end = strtab + strsz;
        memcpy(b, "\177ELF\2\1\1", 7);
        PUT(16, 3, 2);
        PUT(18, 62, 2);
        PUT(32, 64, 8);
        PUT(54, 56, 2);
        PUT(56, 2, 2);
        PUT(64, 1, 4);                  /* PT_LOAD: offset 0, vaddr 0 */
        PUT(64 + 32, end, 8);
        PUT(64 + 40, end, 8);
        PUT(120, 2, 4);                 /* PT_DYNAMIC */
        PUT(120 + 8, dyn, 8);
        PUT(120 + 16, dyn, 8);
        PUT(120 + 32, 16 * (n_needed + 3), 8);
#undef PUT
        tu_parent(full);
        f = fopen(full, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(b, 1, end, f), end);
        fclose(f);
        free(full);
}

static int needs(const char *root_path, const char *path, char **via) {
        Root root;
        int r;

        ck_assert_int_eq(root_init(&root, root_path), 0);
        r = elf_needs_library(&root, path, "libpam.so.0", via);
        root_done(&root);
        return r;
}

START_TEST(test_elf_cache) {
        char *a = tu_mkroot(), *b = tu_mkroot(), *via = NULL;

        write_elf(a, "/usr/bin/one", (const char *[]) { "libc.so.6", "libfoo.so.1", NULL });
        write_elf(a, "/usr/bin/two", (const char *[]) { "libfoo.so.1", NULL });
        write_elf(a, "/usr/bin/three", (const char *[]) { "libbar.so.1", NULL });
        write_elf(a, "/usr/lib/libfoo.so.1", (const char *[]) { "libpam.so.0", NULL });
        write_elf(a, "/usr/lib/libc.so.6", (const char *[]) { NULL });
        write_elf(b, "/usr/bin/one", (const char *[]) { "libfoo.so.1", NULL });
        write_elf(b, "/usr/lib/x86_64-linux-gnu/libfoo.so.1", (const char *[]) { "libc.so.6", NULL });

        ck_assert_int_eq(needs(a, "/usr/bin/one", &via), 1);
        ck_assert_str_eq(via, "one → libfoo.so.1 → libpam.so.0");
        free(via);
        /* libfoo from the cache, found and parsed for "one" */
        ck_assert_int_eq(needs(a, "/usr/bin/two", &via), 1);
        ck_assert_str_eq(via, "two → libfoo.so.1 → libpam.so.0");
        free(via);
        ck_assert_int_eq(needs(a, "/usr/bin/three", &via), 0);
        ck_assert_ptr_null(via);
        ck_assert_int_lt(needs(a, "/usr/bin/none", &via), 0);
        ck_assert_int_lt(needs(a, "/usr/bin/none", &via), 0);
        /* another root: nothing of the first one's answers */
        ck_assert_int_eq(needs(b, "/usr/bin/one", &via), 0);
        ck_assert_int_eq(needs(a, "/usr/bin/one", &via), 1);
        free(via);
        tu_rmrf(a);
        tu_rmrf(b);
}
END_TEST

static Suite *perf_caches_suite(void) {
        Suite *s = suite_create("perf-caches");
        TCase *tc = tcase_create("Same answers");

        tcase_add_test(tc, test_line_ends);
        tcase_add_test(tc, test_line_max);
        tcase_add_test(tc, test_syscall_groups);
        tcase_add_test(tc, test_elf_cache);
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(perf_caches_suite)

/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Unit and drop-in loading as systemd 252 does it: search-path precedence, drop-in
 * ordering and same-name masking, templates, instances, aliases, prefix and type-wide
 * drop-ins, masks. Rows marked (§4.2) were observed with systemd-analyze --offline
 * (../shared/research/mechanics.md §4.2); the rest follow src/basic/unit-file.c and
 * src/shared/dropin.c, and are checked against a running systemd by tests/fidelity.
 *
 * A file entry whose content starts with "->" is a symlink to the rest.
 */

#include "testutil.h"

#define ON  "[Service]\nPrivateNetwork=yes\n"
#define OFF "[Service]\nPrivateNetwork=no\n"
#define UNIT "[Service]\nExecStart=/bin/true\n"

typedef struct File {
        const char *path, *content;
} File;

typedef struct Row {
        const char *name;
        File files[8];
        const char *unit;
        const char *expect;     /* PrivateNetwork= as shown, or "(state)" */
} Row;

static const Row rows[] = {
        { "prefix drop-in applies (§4.2)",
          { { "/lib/systemd/system/foo-bar-baz.service", UNIT }, { "/etc/systemd/system/foo-.service.d/10-x.conf", ON } },
          "foo-bar-baz.service", "yes" },
        { "longer prefix overrides shorter of the same name (§4.2)",
          { { "/lib/systemd/system/foo-bar-baz.service", UNIT }, { "/etc/systemd/system/foo-.service.d/10-x.conf", ON },
            { "/etc/systemd/system/foo-bar-.service.d/10-x.conf", OFF } },
          "foo-bar-baz.service", "no" },
        { "template drop-in applies to an instance (§4.2)",
          { { "/lib/systemd/system/tpl@.service", UNIT }, { "/etc/systemd/system/tpl@.service.d/10-x.conf", ON } },
          "tpl@a.service", "yes" },
        { "instance drop-in of the same name overrides the template's (§4.2)",
          { { "/lib/systemd/system/tpl@.service", UNIT }, { "/etc/systemd/system/tpl@.service.d/10-x.conf", ON },
            { "/etc/systemd/system/tpl@a.service.d/10-x.conf", OFF } },
          "tpl@a.service", "no" },
        { "/etc drop-in masks the same name in /lib (§4.2)",
          { { "/lib/systemd/system/d.service", UNIT }, { "/lib/systemd/system/d.service.d/30-x.conf", ON },
            { "/etc/systemd/system/d.service.d/30-x.conf", OFF } },
          "d.service", "no" },
        { "/dev/null drop-in masks the same name (§4.2)",
          { { "/lib/systemd/system/d.service", UNIT }, { "/lib/systemd/system/d.service.d/30-x.conf", ON },
            { "/etc/systemd/system/d.service.d/30-x.conf", "->/dev/null" } },
          "d.service", "no" },
        { "empty drop-in masks the same name",
          { { "/lib/systemd/system/d.service", UNIT }, { "/lib/systemd/system/d.service.d/30-x.conf", ON },
            { "/run/systemd/system/d.service.d/30-x.conf", "" } },
          "d.service", "no" },
        { "alias drop-ins apply to the real unit (§4.2)",
          { { "/lib/systemd/system/real.service", UNIT }, { "/etc/systemd/system/alias.service", "->/lib/systemd/system/real.service" },
            { "/etc/systemd/system/alias.service.d/40-x.conf", ON } },
          "real.service", "yes" },
        { "drop-ins are ordered by name across unit and alias (§4.2)",
          { { "/lib/systemd/system/real.service", UNIT }, { "/etc/systemd/system/alias.service", "->real.service" },
            { "/etc/systemd/system/alias.service.d/40-x.conf", ON }, { "/lib/systemd/system/real.service.d/50-x.conf", OFF } },
          "real.service", "no" },
        { "loading by the alias name gives the real unit",
          { { "/lib/systemd/system/real.service", UNIT }, { "/lib/systemd/system/alias.service", "->real.service" },
            { "/lib/systemd/system/real.service.d/50-x.conf", ON } },
          "alias.service", "yes" },
        { "service.d sorts by name with unit drop-ins (§4.2)",
          { { "/lib/systemd/system/demo.service", UNIT }, { "/etc/systemd/system/service.d/10-top.conf", ON },
            { "/etc/systemd/system/demo.service.d/50-hc.conf", OFF } },
          "demo.service", "no" },
        { "a later service.d file wins (§4.2)",
          { { "/lib/systemd/system/demo.service", UNIT }, { "/etc/systemd/system/service.d/10-top.conf", ON },
            { "/etc/systemd/system/demo.service.d/50-hc.conf", OFF }, { "/lib/systemd/system/service.d/60-top.conf", ON } },
          "demo.service", "yes" },
        { "unit file in /etc overrides /lib",
          { { "/lib/systemd/system/p.service", ON }, { "/etc/systemd/system/p.service", OFF } },
          "p.service", "no" },
        { "/run/systemd/system overrides /lib, not /etc",
          { { "/lib/systemd/system/p.service", ON }, { "/run/systemd/system/p.service", OFF } },
          "p.service", "no" },
        { "/etc overrides /run",
          { { "/etc/systemd/system/p.service", ON }, { "/run/systemd/system/p.service", OFF } },
          "p.service", "yes" },
        { "/lib/systemd/system precedes /usr/lib/systemd/system (Debian split-usr order)",
          { { "/lib/systemd/system/p.service", ON }, { "/usr/lib/systemd/system/p.service", OFF } },
          "p.service", "yes" },
        { "generator.early overrides /etc",
          { { "/etc/systemd/system/p.service", OFF }, { "/run/systemd/generator.early/p.service", ON } },
          "p.service", "yes" },
        { "/etc overrides generator",
          { { "/etc/systemd/system/p.service", OFF }, { "/run/systemd/generator/p.service", ON } },
          "p.service", "no" },
        { "generator.late is last",
          { { "/usr/lib/systemd/system/p.service", OFF }, { "/run/systemd/generator.late/p.service", ON } },
          "p.service", "no" },
        { "masked unit (/dev/null in /etc)",
          { { "/lib/systemd/system/m.service", ON }, { "/etc/systemd/system/m.service", "->/dev/null" } },
          "m.service", "(masked)" },
        { "masked unit (empty file)",
          { { "/lib/systemd/system/m.service", ON }, { "/etc/systemd/system/m.service", "" } },
          "m.service", "(masked)" },
        { "drop-ins without a unit file do not make a unit",
          { { "/etc/systemd/system/ghost.service.d/a.conf", ON } },
          "ghost.service", "(not-found)" },
        { "hidden, backup and non-.conf files are not drop-ins",
          { { "/lib/systemd/system/h.service", UNIT }, { "/etc/systemd/system/h.service.d/.x.conf", ON },
            { "/etc/systemd/system/h.service.d/x.conf~", ON }, { "/etc/systemd/system/h.service.d/x.conf.dpkg-new", ON },
            { "/etc/systemd/system/h.service.d/x.txt", ON } },
          "h.service", "no" },
        { "linked unit file outside the search path",
          { { "/opt/app/app.service", ON }, { "/etc/systemd/system/app.service", "->/opt/app/app.service" } },
          "app.service", "yes" },
        { "self-alias symlink is ignored, the /lib file is used",
          { { "/lib/systemd/system/s.service", ON }, { "/etc/systemd/system/s.service", "->/lib/systemd/system/s.service" } },
          "s.service", "yes" },
        { "instance's own drop-in directory through an instance alias",
          { { "/lib/systemd/system/t@.service", UNIT }, { "/lib/systemd/system/u@.service", "->t@.service" },
            { "/etc/systemd/system/u@x.service.d/a.conf", ON } },
          "t@x.service", "yes" },
        { "a bad section header stops a drop-in, earlier lines kept",
          { { "/lib/systemd/system/b.service", UNIT }, { "/etc/systemd/system/b.service.d/a.conf", "[Service]\nPrivateNetwork=yes\n[Broken\nPrivateNetwork=no\n" } },
          "b.service", "yes" },
        { "a bad section header makes systemd refuse a unit file",
          { { "/lib/systemd/system/b.service", "[Service\nExecStart=/bin/true\n" } },
          "b.service", "(bad-setting)" },
        { "continuation lines and comments inside them",
          { { "/lib/systemd/system/c.service", "[Service]\nPrivateNetwork=\\\n# a comment\n  yes\n" } },
          "c.service", "yes" },
        { "keys in the wrong section are not settings",
          { { "/lib/systemd/system/w.service", "[Unit]\nPrivateNetwork=yes\n[Service]\nExecStart=/bin/true\n" } },
          "w.service", "no" },
        { "X- sections and keys are ignored",
          { { "/lib/systemd/system/x.service", "[X-Foo]\nPrivateNetwork=yes\n[Service]\nX-Bar=1\nPrivateNetwork=yes\n" } },
          "x.service", "yes" },
        { "UTF-8 BOM at the start is skipped",
          { { "/lib/systemd/system/bom.service", "\xef\xbb\xbf[Service]\nPrivateNetwork=yes\n" } },
          "bom.service", "yes" },
        { "CRLF line ends",
          { { "/lib/systemd/system/crlf.service", "[Service]\r\nPrivateNetwork=yes\r\n" } },
          "crlf.service", "yes" },
};

START_TEST(test_row) {
        const Row *row = &rows[_i];
        char *root = tu_mkroot(), *got;

        for (int i = 0; i < 8 && row->files[i].path; i++) {
                const char *c = row->files[i].content;

                if (startswith(c, "->"))
                        tu_symlink(root, row->files[i].path, c + 2);
                else
                        tu_write(root, row->files[i].path, c);
        }
        got = tu_setting(root, row->unit, SETTING_PRIVATE_NETWORK);
        ck_assert_msg(streq(got, row->expect), "%s: got '%s', expected '%s'", row->name, got, row->expect);
        free(got);
        tu_rmrf(root);
}
END_TEST

/* Merged /usr: /lib -> usr/lib. Both spellings are one directory; nothing is read twice. */
START_TEST(test_merged_usr) {
        char *root = tu_mkroot();
        TuUnits t;
        Unit *u = NULL;
        size_t n_dropins = 0;

        tu_write(root, "/usr/lib/systemd/system/m.service", UNIT);
        tu_write(root, "/usr/lib/systemd/system/m.service.d/a.conf", ON);
        tu_symlink(root, "/lib", "usr/lib");
        tu_units_open(&t, root);
        ck_assert_int_eq(unit_load(&t.loader, "m.service", true, &u), 0);
        ck_assert_int_eq(u->state, UNIT_LOADED);
        for (size_t i = 0; i < u->n_files; i++)
                n_dropins += !u->files[i].is_fragment;
        ck_assert_int_eq(n_dropins, 1);
        unit_free(u);
        tu_units_close(&t);
        tu_rmrf(root);
}
END_TEST

/* Absolute symlinks are resolved inside the root, never on the host. */
START_TEST(test_absolute_symlink_stays_in_root) {
        char *root = tu_mkroot(), *got;

        tu_write(root, "/srv/unit/app.service", ON);
        tu_symlink(root, "/etc/systemd/system/app.service", "/srv/unit/app.service");
        got = tu_setting(root, "app.service", SETTING_PRIVATE_NETWORK);
        ck_assert_str_eq(got, "yes");
        free(got);
        tu_rmrf(root);
}
END_TEST

/* Names: the id is the fragment's, aliases are the others. */
START_TEST(test_alias_names) {
        char *root = tu_mkroot();
        TuUnits t;
        Unit *u = NULL;

        tu_write(root, "/lib/systemd/system/ssh.service", UNIT);
        tu_symlink(root, "/etc/systemd/system/sshd.service", "/lib/systemd/system/ssh.service");
        tu_units_open(&t, root);
        ck_assert_int_eq(unit_load(&t.loader, "sshd.service", true, &u), 0);
        ck_assert_str_eq(u->id, "ssh.service");
        ck_assert_ptr_nonnull(u->aliases);
        ck_assert_str_eq(u->aliases[0], "sshd.service");
        ck_assert_ptr_null(u->aliases[1]);
        unit_free(u);
        tu_units_close(&t);
        tu_rmrf(root);
}
END_TEST

/* Slices: IP lists of the unit's slices apply to it; instances get a template slice. */
START_TEST(test_slices) {
        char *root = tu_mkroot();
        TuUnits t;
        Unit *u = NULL;
        UnitView v;
        char buf[IP_PREFIX_STRLEN];

        tu_write(root, "/lib/systemd/system/i@.service", UNIT);
        tu_write(root, "/etc/systemd/system/system.slice.d/deny.conf", "[Slice]\nIPAddressDeny=any\n");
        tu_write(root, "/etc/systemd/system/system-i.slice.d/allow.conf", "[Slice]\nIPAddressAllow=192.0.2.1\n");
        tu_units_open(&t, root);
        ck_assert_int_eq(unit_load(&t.loader, "i@x.service", true, &u), 0);
        ck_assert_int_eq(unit_view(&t.loader, u, NULL, NULL, &v), 0);
        ck_assert_str_eq(v.slices[0], "system-i.slice");
        ck_assert_str_eq(v.slices[1], "system.slice");
        ck_assert_str_eq(v.slices[2], "-.slice");
        ck_assert_int_eq(v.ip_deny.n, 2);
        ck_assert_int_eq(v.ip_allow.n, 1);
        ck_assert_str_eq(ip_prefix_to_string(&v.ip_allow.items[0], buf), "192.0.2.1/32");
        ck_assert_int_eq(v.sb.ip_deny.n, 0);  /* the unit's own list stays empty */
        unit_view_done(&v);
        unit_free(u);
        tu_units_close(&t);
        tu_rmrf(root);
}
END_TEST

START_TEST(test_invalid_names) {
        char *root = tu_mkroot();
        TuUnits t;
        Unit *u = NULL;

        tu_units_open(&t, root);
        ck_assert_int_eq(unit_load(&t.loader, "../x.service", true, &u), -EINVAL);
        ck_assert_int_eq(unit_load(&t.loader, "x", true, &u), -EINVAL);
        ck_assert_int_eq(unit_load(&t.loader, "@x.service", true, &u), -EINVAL);
        ck_assert_int_eq(unit_load(&t.loader, "a b.service", true, &u), -EINVAL);
        ck_assert_int_eq(unit_load(&t.loader, "x.servic", true, &u), -EINVAL);
        tu_units_close(&t);
        tu_rmrf(root);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("units");
        TCase *tc = tcase_create("Core");

        tcase_add_loop_test(tc, test_row, 0, ELEMENTSOF(rows));
        tcase_add_test(tc, test_merged_usr);
        tcase_add_test(tc, test_absolute_symlink_stays_in_root);
        tcase_add_test(tc, test_alias_names);
        tcase_add_test(tc, test_slices);
        suite_add_tcase(s, tc);
        tc = tcase_create("Limits");
        tcase_add_test(tc, test_invalid_names);
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(suite)

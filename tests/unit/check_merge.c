/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * systemd 252's merge rules, one test row per verified row of
 * ../shared/research/mechanics.md §4 (each observed on a real PID 1 or with
 * systemd-analyze), plus the empty-value and quirk cases from load-fragment.c.
 */

#include "testutil.h"

typedef struct Row {
        const char *name;
        Setting setting;
        const char *unit;       /* [Service] body of the unit file */
        const char *dropins[3]; /* bodies of 10-a.conf, 20-b.conf, 30-c.conf */
        const char *expect;     /* systemctl show rendering */
} Row;

static const Row rows[] = {
        /* RestrictAddressFamilies=, mechanics.md §4.3 raf1–raf10 */
        { "raf1", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=AF_UNIX AF_INET", { "RestrictAddressFamilies=AF_NETLINK" }, "AF_INET AF_NETLINK AF_UNIX" },
        { "raf2", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=~AF_PACKET AF_NETLINK", { "RestrictAddressFamilies=AF_NETLINK" }, "~AF_PACKET" },
        { "raf3", SETTING_RESTRICT_ADDRESS_FAMILIES, "", { "RestrictAddressFamilies=AF_NETLINK" }, "AF_NETLINK" },
        { "raf4", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=none", { "RestrictAddressFamilies=AF_UNIX" }, "AF_UNIX" },
        { "raf5", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=none", { "RestrictAddressFamilies=~AF_INET" }, "~AF_INET" },
        { "raf6", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=AF_UNIX AF_INET", { "RestrictAddressFamilies=~AF_INET" }, "AF_UNIX" },
        { "raf7", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=AF_UNIX", { "RestrictAddressFamilies=", "RestrictAddressFamilies=AF_INET" }, "AF_INET" },
        { "raf8", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=AF_UNIX", { "RestrictAddressFamilies=" }, "~" },
        { "raf9", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=none", { NULL }, "" },
        { "raf10", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=~AF_PACKET", { "RestrictAddressFamilies=~AF_NETLINK" }, "~AF_NETLINK AF_PACKET" },
        { "raf-alias-name", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=AF_LOCAL", { NULL }, "AF_UNIX" },
        { "raf-unknown-ignored", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=AF_UNIX AF_BOGUS", { NULL }, "AF_UNIX" },
        { "raf-quoted", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=\"AF_UNIX\" 'AF_INET'", { NULL }, "AF_INET AF_UNIX" },
        /* SystemCallArchitectures=, §4.4 */
        { "sca-union", SETTING_SYSTEM_CALL_ARCHITECTURES, "SystemCallArchitectures=native", { "SystemCallArchitectures=x86" }, "native x86" },
        { "sca-reset", SETTING_SYSTEM_CALL_ARCHITECTURES, "SystemCallArchitectures=native", { "SystemCallArchitectures=" }, "" },
        { "sca-unknown", SETTING_SYSTEM_CALL_ARCHITECTURES, "SystemCallArchitectures=native loongarch64", { NULL }, "native" },
        /* IPAddressAllow=/IPAddressDeny=, §4.5 */
        { "ip-allow-localhost", SETTING_IP_ADDRESS_ALLOW, "IPAddressDeny=any", { "IPAddressAllow=localhost 10.0.0.0/8" }, "127.0.0.0/8 ::1/128 10.0.0.0/8" },
        { "ip-deny-any", SETTING_IP_ADDRESS_DENY, "IPAddressDeny=any", { "IPAddressAllow=localhost" }, "0.0.0.0/0 ::/0" },
        { "ip-deny-reset", SETTING_IP_ADDRESS_DENY, "IPAddressDeny=any", { "IPAddressDeny=" }, "" },
        { "ip-host-bits-masked", SETTING_IP_ADDRESS_ALLOW, "IPAddressAllow=192.0.2.77/24 2001:db8::1", { NULL }, "192.0.2.0/24 2001:db8::1/128" },
        { "ip-localdomain", SETTING_IP_ADDRESS_ALLOW, "IPAddressAllow=localhost.localdomain", { NULL }, "127.0.0.0/8 ::1/128" },
        { "ip-invalid-skipped", SETTING_IP_ADDRESS_ALLOW, "IPAddressAllow=300.1.1.1 192.0.2.1", { NULL }, "192.0.2.1/32" },
        /* CapabilityBoundingSet=, §4.6 */
        { "cap-or", SETTING_CAPABILITY_BOUNDING_SET, "CapabilityBoundingSet=CAP_NET_ADMIN", { "CapabilityBoundingSet=CAP_SYS_TIME" }, "cap_net_admin cap_sys_time" },
        { "cap-minus", SETTING_CAPABILITY_BOUNDING_SET, "CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_TIME", { "CapabilityBoundingSet=~CAP_SYS_TIME" }, "cap_net_admin" },
        { "cap-all-back", SETTING_CAPABILITY_BOUNDING_SET, "CapabilityBoundingSet=~CAP_SYS_ADMIN", { "CapabilityBoundingSet=CAP_SYS_ADMIN CAP_CHOWN" }, NULL /* all: checked below */ },
        { "cap-empty-is-none", SETTING_CAPABILITY_BOUNDING_SET, "CapabilityBoundingSet=CAP_NET_ADMIN", { "CapabilityBoundingSet=" }, "" },
        { "cap-lowercase", SETTING_CAPABILITY_BOUNDING_SET, "CapabilityBoundingSet=cap_chown 12", { NULL }, "cap_chown cap_net_admin" },
        { "cap-privatedevices", SETTING_CAPABILITY_BOUNDING_SET, "CapabilityBoundingSet=CAP_MKNOD CAP_CHOWN\nPrivateDevices=yes", { NULL }, "cap_chown" },
        /* ReadWritePaths=, ProtectSystem=, PrivateNetwork=, §4.8 */
        { "rwp-add", SETTING_READ_WRITE_PATHS, "ReadWritePaths=/var/lib/a", { "ReadWritePaths=/var/spool/b" }, "/var/lib/a /var/spool/b" },
        { "rwp-reset", SETTING_READ_WRITE_PATHS, "ReadWritePaths=/var/lib/a", { "ReadWritePaths=", "ReadWritePaths=-/var/spool/c" }, "-/var/spool/c" },
        { "rwp-specifier", SETTING_READ_WRITE_PATHS, "ReadWritePaths=%S/%N %t//x/./y/", { NULL }, "/var/lib/m /run/x/y" },
        { "rwp-dotdot-rejected", SETTING_READ_WRITE_PATHS, "ReadWritePaths=/var/lib/../tmp /ok", { NULL }, "/ok" },
        { "rwp-old-name", SETTING_READ_WRITE_PATHS, "ReadWriteDirectories=/var/log/x/", { NULL }, "/var/log/x" },
        { "rwp-quoted-in-show", SETTING_READ_WRITE_PATHS, "ReadWritePaths=\"-/run/with space\" /a$b", { NULL }, "\"-/run/with space\" \"/a\\$b\"" },
        { "raf-lowercase", SETTING_RESTRICT_ADDRESS_FAMILIES, "RestrictAddressFamilies=af_unix Af_Inet", { NULL }, "AF_INET AF_UNIX" },
        { "rwp-relative-skipped", SETTING_READ_WRITE_PATHS, "ReadWritePaths=relative /ok", { NULL }, "/ok" },
        { "ps-last-wins", SETTING_PROTECT_SYSTEM, "ProtectSystem=strict", { "ProtectSystem=full" }, "full" },
        { "ps-bool", SETTING_PROTECT_SYSTEM, "ProtectSystem=true", { NULL }, "yes" },
        { "ps-dynamicuser", SETTING_PROTECT_SYSTEM, "ProtectSystem=full\nDynamicUser=yes", { NULL }, "strict" },
        { "pn-last-wins", SETTING_PRIVATE_NETWORK, "PrivateNetwork=yes", { "PrivateNetwork=no" }, "no" },
        { "pn-invalid-keeps", SETTING_PRIVATE_NETWORK, "PrivateNetwork=yes", { "PrivateNetwork=perhaps" }, "yes" },
        { "nnp-dynamicuser", SETTING_NO_NEW_PRIVILEGES, "DynamicUser=yes", { NULL }, "yes" },
        { "user-reset", SETTING_USER, "User=a", { "User=" }, "" },
        /* ReadOnlyPaths=, InaccessiblePaths= (config_parse_namespace_path_strv, like ReadWritePaths=) */
        { "rop-add", SETTING_READ_ONLY_PATHS, "ReadOnlyPaths=/etc/a", { "ReadOnlyPaths=-/var/b +/c" }, "/etc/a -/var/b +/c" },
        { "rop-reset", SETTING_READ_ONLY_PATHS, "ReadOnlyPaths=/etc/a", { "ReadOnlyPaths=", "ReadOnlyPaths=-+/d//e/./" }, "-+/d/e" },
        { "rop-old-name", SETTING_READ_ONLY_PATHS, "ReadOnlyDirectories=/x", { "ReadOnlyPaths=/y" }, "/x /y" },
        { "rop-duplicates-kept", SETTING_READ_ONLY_PATHS, "ReadOnlyPaths=/x /x", { "ReadOnlyPaths=/x" }, "/x /x /x" },
        { "rop-specifiers", SETTING_READ_ONLY_PATHS, "ReadOnlyPaths=-%C/%p %h", { NULL }, "-/var/cache/m /root" },
        { "rop-bad-skipped", SETTING_READ_ONLY_PATHS, "ReadOnlyPaths=rel /a/../b %z /ok +-/no", { NULL }, "/ok" },
        { "ip-old-name", SETTING_INACCESSIBLE_PATHS, "InaccessibleDirectories=/x", { "InaccessiblePaths=-/y" }, "/x -/y" },
        { "ip-reset", SETTING_INACCESSIBLE_PATHS, "InaccessiblePaths=/x", { "InaccessiblePaths=" }, "" },
        { "ip-quoted", SETTING_INACCESSIBLE_PATHS, "InaccessiblePaths=\"/a b\" '/c'", { NULL }, "\"/a b\" /c" },
        /* SupplementaryGroups=: no unquoting, relaxed names, empty resets */
        { "sg-add", SETTING_SUPPLEMENTARY_GROUPS, "SupplementaryGroups=adm", { "SupplementaryGroups=shadow 0" }, "adm shadow 0" },
        { "sg-reset", SETTING_SUPPLEMENTARY_GROUPS, "SupplementaryGroups=adm", { "SupplementaryGroups=", "SupplementaryGroups=-x" }, "-x" },
        { "sg-quotes-kept", SETTING_SUPPLEMENTARY_GROUPS, "SupplementaryGroups=\"adm\"", { NULL }, "\"\\\"adm\\\"\"" },
        { "sg-relaxed", SETTING_SUPPLEMENTARY_GROUPS, "SupplementaryGroups=a@b.c Domain\\\\x", { NULL }, "a@b.c \"Domain\\\\x\"" },
        { "sg-specifier", SETTING_SUPPLEMENTARY_GROUPS, "SupplementaryGroups=%p-grp", { NULL }, "m-grp" },
        /* ProtectHome= (enum with booleans; invalid and empty ignored) */
        { "ph-values", SETTING_PROTECT_HOME, "ProtectHome=read-only", { "ProtectHome=tmpfs" }, "tmpfs" },
        { "ph-bool", SETTING_PROTECT_HOME, "ProtectHome=on", { NULL }, "yes" },
        { "ph-invalid", SETTING_PROTECT_HOME, "ProtectHome=read-only", { "ProtectHome=Tmpfs", "ProtectHome=" }, "read-only" },
        { "ph-dynamicuser", SETTING_PROTECT_HOME, "DynamicUser=yes", { NULL }, "read-only" },
        { "ph-dynamicuser-keeps", SETTING_PROTECT_HOME, "DynamicUser=yes\nProtectHome=tmpfs", { NULL }, "tmpfs" },
        /* BindPaths=/BindReadOnlyPaths=: one list, split by read_only when shown */
        { "bind-ro", SETTING_BIND_READ_ONLY_PATHS, "BindReadOnlyPaths=/usr/bin/msmtp:/usr/sbin/sendmail", { "BindReadOnlyPaths=-/etc" },
          "/usr/bin/msmtp:/usr/sbin/sendmail:rbind -/etc:/etc:rbind" },
        { "bind-reset-both", SETTING_BIND_READ_ONLY_PATHS, "BindReadOnlyPaths=/etc", { "BindPaths=", "BindReadOnlyPaths=/usr:/x:norbind" }, "/usr:/x" },
        { "bind-rw-apart", SETTING_BIND_PATHS, "BindReadOnlyPaths=/etc\nBindPaths=/var/tmp:/x", { NULL }, "/var/tmp:/x:rbind" },
        { "bind-bad-skipped", SETTING_BIND_READ_ONLY_PATHS, "BindReadOnlyPaths=rel /etc::/y /a/../b /u:/v:bogus /ok", { NULL }, "/y:/y:rbind /ok:/ok:rbind" },
        { "bind-dash-after-specifier", SETTING_BIND_READ_ONLY_PATHS, "BindReadOnlyPaths=-/run/%p:/x", { NULL }, "-/run/m:/x:rbind" },
        /* booleans */
        { "pd-last-wins", SETTING_PRIVATE_DEVICES, "PrivateDevices=yes", { "PrivateDevices=0" }, "no" },
        { "pt-dynamicuser", SETTING_PRIVATE_TMP, "PrivateTmp=no\nDynamicUser=yes", { NULL }, "yes" },
        { "pu-invalid", SETTING_PRIVATE_USERS, "PrivateUsers=yes", { "PrivateUsers=self" }, "yes" },
        /* RestrictNamespaces= */
        { "rn-unset", SETTING_RESTRICT_NAMESPACES, "", { NULL }, "no" },
        { "rn-yes", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=yes", { NULL }, "yes" },
        { "rn-list", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=uts net", { "RestrictNamespaces=mnt" }, "net mnt uts" },
        { "rn-invert", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=~user net", { NULL }, "cgroup ipc mnt pid uts" },
        { "rn-invert-merge", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=net mnt", { "RestrictNamespaces=~mnt" }, "net" },
        { "rn-bool-replaces", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=net", { "RestrictNamespaces=no", "RestrictNamespaces=~user" }, "cgroup ipc net mnt pid uts" },
        { "rn-reset", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=yes", { "RestrictNamespaces=", "RestrictNamespaces=~pid" }, "cgroup ipc net mnt user uts" },
        { "rn-time-alone", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=time", { NULL }, "yes" },
        { "rn-time-listed", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=net time", { NULL }, "net time" },
        { "rn-not-time", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=~time", { NULL }, "no" },
        { "rn-invalid-word", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=net", { "RestrictNamespaces=mnt bogus" }, "net" },
        { "rn-lone-tilde", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=~", { NULL }, "no" },
        { "rn-tilde-merge-nothing", SETTING_RESTRICT_NAMESPACES, "RestrictNamespaces=ipc", { "RestrictNamespaces=~" }, "ipc" },
        /* DevicePolicy=, DeviceAllow= (cgroup.c: LIST_PREPEND, shown newest first) */
        { "dp-last-wins", SETTING_DEVICE_POLICY, "DevicePolicy=strict", { "DevicePolicy=closed" }, "closed" },
        { "dp-invalid", SETTING_DEVICE_POLICY, "DevicePolicy=strict", { "DevicePolicy=", "DevicePolicy=Closed" }, "strict" },
        { "dp-privatedevices", SETTING_DEVICE_POLICY, "PrivateDevices=yes", { NULL }, "closed" },
        { "dp-privatedevices-strict", SETTING_DEVICE_POLICY, "PrivateDevices=yes\nDevicePolicy=strict", { NULL }, "strict" },
        { "da-order", SETTING_DEVICE_ALLOW, "DeviceAllow=/dev/null rw", { "DeviceAllow=char-hidraw r" }, "char-hidraw r, /dev/null rw" },
        { "da-default-rwm", SETTING_DEVICE_ALLOW, "DeviceAllow=block-loop", { NULL }, "block-loop rwm" },
        { "da-rights-order", SETTING_DEVICE_ALLOW, "DeviceAllow=/dev/fuse mwrr", { NULL }, "/dev/fuse rwm" },
        { "da-reset", SETTING_DEVICE_ALLOW, "DeviceAllow=/dev/null rw", { "DeviceAllow=", "DeviceAllow=/dev/zero r" }, "/dev/zero r" },
        { "da-duplicates", SETTING_DEVICE_ALLOW, "DeviceAllow=/dev/null r\nDeviceAllow=/dev/null r", { NULL }, "/dev/null r, /dev/null r" },
        { "da-invalid", SETTING_DEVICE_ALLOW,
          "DeviceAllow=/dev/null rx\nDeviceAllow=/etc/passwd r\nDeviceAllow=/dev/../x r\nDeviceAllow=dev/null r\nDeviceAllow=/dev/zero r w\nDeviceAllow=/dev/%z",
          { NULL }, "" },
        { "da-normalised", SETTING_DEVICE_ALLOW, "DeviceAllow=//dev//./null/ w", { "DeviceAllow=\"/dev/sd a\" r" }, "/dev/sd a r, /dev/null w" },
        { "da-specifier", SETTING_DEVICE_ALLOW, "DeviceAllow=/dev/%p r\nDeviceAllow=char-%p", { NULL }, "char-m rwm, /dev/m r" },
        { "da-runtime-dir", SETTING_DEVICE_ALLOW, "DeviceAllow=/run/systemd/inaccessible/chr", { NULL }, "/run/systemd/inaccessible/chr rwm" },
        { "da-protectclock", SETTING_DEVICE_ALLOW, "ProtectClock=yes\nDeviceAllow=/dev/null r", { NULL }, "char-rtc r, /dev/null r" },
        { "da-protectclock-privatedevices", SETTING_DEVICE_ALLOW, "ProtectClock=yes\nPrivateDevices=yes", { NULL }, "char-rtc r" },
        { "da-protectclock-alone", SETTING_DEVICE_ALLOW, "ProtectClock=yes", { NULL }, "" },
};

static void run_row(const Row *row) {
        char *root = tu_mkroot(), *body = NULL, *got;

        ck_assert_int_ge(asprintf(&body, "[Service]\nExecStart=/bin/true\n%s\n", row->unit), 0);
        tu_write(root, "/lib/systemd/system/m.service", body);
        for (int i = 0; i < 3 && row->dropins[i]; i++) {
                char *p = NULL, *b = NULL;

                ck_assert_int_ge(asprintf(&p, "/etc/systemd/system/m.service.d/%d0-x.conf", i + 1), 0);
                ck_assert_int_ge(asprintf(&b, "[Service]\n%s\n", row->dropins[i]), 0);
                tu_write(root, p, b);
                free(p);
                free(b);
        }
        got = tu_setting(root, "m.service", row->setting);
        if (row->expect)
                ck_assert_msg(streq(got, row->expect), "%s: got '%s', expected '%s'", row->name, got, row->expect);
        else
                ck_assert_msg(strstr(got, "cap_chown") && strstr(got, "cap_sys_admin") && strstr(got, "cap_bpf"),
                              "%s: expected every capability, got '%s'", row->name, got);
        free(got);
        free(body);
        tu_rmrf(root);
}

START_TEST(test_merge_row) {
        run_row(&rows[_i]);
}
END_TEST

/* NoNewPrivileges= in effect, §4.7 nnpA–nnpI (observed in /proc/self/status). */
typedef struct NnpRow {
        const char *name;
        const char *body;
        bool expect;
} NnpRow;

static const NnpRow nnp_rows[] = {
        { "nnpA", "RestrictAddressFamilies=AF_UNIX", false },
        { "nnpB", "User=nobody\nRestrictAddressFamilies=AF_UNIX", true },
        { "nnpC", "CapabilityBoundingSet=~CAP_SYS_ADMIN\nRestrictAddressFamilies=AF_UNIX", false },
        { "nnpD", "User=nobody\nSystemCallArchitectures=native", true },
        { "nnpE", "User=nobody\nProtectSystem=strict", false },
        { "nnpF", "User=nobody\nPrivateDevices=yes", true },
        { "nnpG", "User=nobody\nAmbientCapabilities=CAP_SYS_ADMIN\nRestrictAddressFamilies=AF_UNIX", true },
        { "nnpH", "User=nobody", false },
        { "nnpI", "User=nobody\nProtectHostname=yes", true },
        { "nnp-explicit-root", "NoNewPrivileges=yes", true },
        { "nnp-dynamic", "DynamicUser=yes", true },
        { "nnp-filter-deny", "User=nobody\nSystemCallFilter=~@mount", true },
        { "nnp-filter-emptied", "User=nobody\nSystemCallFilter=~@mount\nSystemCallFilter=", false },
        { "nnp-namespaces", "User=nobody\nRestrictNamespaces=yes", true },
        { "nnp-namespaces-no", "User=nobody\nRestrictNamespaces=no", false },
        { "nnp-raf-reset", "User=nobody\nRestrictAddressFamilies=AF_UNIX\nRestrictAddressFamilies=", false },
        { "nnp-raf-none", "User=nobody\nRestrictAddressFamilies=none", true },
};

START_TEST(test_nnp_row) {
        const NnpRow *row = &nnp_rows[_i];
        char *root = tu_mkroot(), *body = NULL;
        TuUnits t;
        Unit *u = NULL;
        UnitView v;

        ck_assert_int_ge(asprintf(&body, "[Service]\nExecStart=/bin/true\n%s\n", row->body), 0);
        tu_write(root, "/lib/systemd/system/n.service", body);
        tu_units_open(&t, root);
        ck_assert_int_eq(unit_load(&t.loader, "n.service", true, &u), 0);
        ck_assert_int_eq(unit_view(&t.loader, u, NULL, NULL, &v), 0);
        ck_assert_msg(sandbox_nnp_in_effect(&v.sb, sandbox_user_is_root(&v.sb)) == row->expect,
                      "%s: expected NoNewPrivileges %s", row->name, row->expect ? "on" : "off");
        unit_view_done(&v);
        unit_free(u);
        tu_units_close(&t);
        free(body);
        tu_rmrf(root);
}
END_TEST

/* Fatal values: systemd refuses a unit file with an invalid User=, and stops reading a
 * drop-in at one, keeping what came before. */
START_TEST(test_fatal_user) {
        char *root = tu_mkroot(), *v;

        tu_write(root, "/lib/systemd/system/f.service", "[Service]\nUser=bad:name\nExecStart=/bin/true\n");
        v = tu_setting(root, "f.service", SETTING_USER);
        ck_assert_str_eq(v, "(bad-setting)");
        free(v);

        tu_write(root, "/lib/systemd/system/g.service", "[Service]\nExecStart=/bin/true\n");
        tu_write(root, "/etc/systemd/system/g.service.d/a.conf",
                 "[Service]\nPrivateNetwork=yes\nUser=-1\nProtectSystem=strict\n");
        v = tu_setting(root, "g.service", SETTING_PRIVATE_NETWORK);
        ck_assert_str_eq(v, "yes");
        free(v);
        v = tu_setting(root, "g.service", SETTING_PROTECT_SYSTEM);
        ck_assert_str_eq(v, "no");
        free(v);
        tu_rmrf(root);
}
END_TEST

START_TEST(test_exec_prefixes) {
        char *root = tu_mkroot();
        TuUnits t;
        Unit *u = NULL;
        UnitView v;

        tu_write(root, "/lib/systemd/system/e.service",
                 "[Service]\nExecStartPre=-+/bin/pre 'a b' \\\n  c\nExecStart=@/usr/bin/x argv0 %n ; !/bin/two\nExecStop=\n");
        tu_units_open(&t, root);
        ck_assert_int_eq(unit_load(&t.loader, "e.service", true, &u), 0);
        ck_assert_int_eq(unit_view(&t.loader, u, NULL, NULL, &v), 0);
        ck_assert_int_eq(v.sb.n_exec, 3);
        ck_assert_str_eq(v.sb.exec[0].path, "/bin/pre");
        ck_assert_int_eq(v.sb.exec[0].flags, EXEC_IGNORE_FAILURE | EXEC_FULLY_PRIVILEGED);
        ck_assert_str_eq(v.sb.exec[0].argv[1], "a b");
        ck_assert_str_eq(v.sb.exec[0].argv[2], "c");
        ck_assert_str_eq(v.sb.exec[1].argv[0], "argv0");
        ck_assert_str_eq(v.sb.exec[1].argv[1], "e.service");
        ck_assert_int_eq(v.sb.exec[1].flags, EXEC_SEPARATE_ARGV0);
        ck_assert_str_eq(v.sb.exec[2].path, "/bin/two");
        ck_assert_int_eq(v.sb.exec[2].flags, EXEC_NO_SETUID);
        unit_view_done(&v);
        unit_free(u);
        tu_units_close(&t);
        tu_rmrf(root);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("merge");
        TCase *tc = tcase_create("Core");

        tcase_add_loop_test(tc, test_merge_row, 0, ELEMENTSOF(rows));
        tcase_add_loop_test(tc, test_nnp_row, 0, ELEMENTSOF(nnp_rows));
        tcase_add_test(tc, test_exec_prefixes);
        suite_add_tcase(s, tc);
        tc = tcase_create("Limits");
        tcase_add_test(tc, test_fatal_user);
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(suite)

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * why-failed's diagnosis (src/audit/diagnose.c), from a failure as the journal records it and
 * the unit's sandbox: a setting is blamed only when the unit has it; a silent failure names
 * the plan's lines that are not in effect as likely causes; anything else is no cause.
 */
#include "diagnose.h"
#include "tu-plan.h"

typedef struct Case {
        const char *name;
        const char *unit;               /* [Service] body of x.service */
        const char *nss;                /* /etc/nsswitch.conf */
        const char *exit_code;          /* EXIT_CODE */
        int status;                     /* EXIT_STATUS */
        const char *line;               /* one message of the run, or NULL */
        const char *abi;                /* an executable's ABI, or NULL */
        const char *cause;              /* expected first cause (its start), NULL: none */
        bool likely;
} Case;

#define BASE "ExecStart=/bin/true\nUser=nobody\n"
#define FILES "passwd: files\ngroup: files\nhosts: files\n"

static const Case cases[] = {
        { "SIGSYS, a foreign executable: SystemCallArchitectures=", BASE "SystemCallArchitectures=native\n", FILES,
          "killed", 31, NULL, "x86", "SystemCallArchitectures=native (/lib/systemd/system/x.service:4)", false },
        { "SIGSYS, native executables: SystemCallFilter=", BASE "SystemCallFilter=~uname\n", FILES,
          "killed", 31, NULL, NULL, "SystemCallFilter=~uname", false },
        { "SIGSYS without any seccomp setting: not the sandbox", BASE, FILES, "killed", 31, NULL, NULL, NULL, false },
        { "EROFS under ProtectSystem=strict", BASE "ProtectSystem=strict\n", FILES, "exited", 2,
          "sh: cannot create /var/lib/x: Read-only file system", NULL, "ProtectSystem=strict", false },
        { "EROFS without a read-only setting: a read-only mount of the host", BASE, FILES, "exited", 2,
          "sh: cannot create /var/lib/x: Read-only file system", NULL, NULL, false },
        { "EAFNOSUPPORT with RestrictAddressFamilies=", BASE "RestrictAddressFamilies=AF_INET\n", FILES, "exited", 1,
          "logger: socket /dev/log: Address family not supported by protocol", NULL, "RestrictAddressFamilies=AF_INET", false },
        { "226/NAMESPACE: the path settings", BASE "ReadOnlyPaths=/nonexistent\n", FILES, "exited", 226, NULL, NULL,
          "ReadOnlyPaths=/nonexistent", false },
        { "postdrop under an implied NoNewPrivileges", BASE "SystemCallArchitectures=native\n", FILES, "exited", 75,
          "postdrop[9]: warning: mail_queue_enter: create file maildrop/1.9: Permission denied", NULL,
          "NoNewPrivileges implied by SystemCallArchitectures=native", false },
        { "postdrop's message, but root: NoNewPrivileges is not in effect", "ExecStart=/bin/true\nProtectHome=yes\n", FILES,
          "exited", 75, "postdrop[9]: warning: mail_queue_enter: create file maildrop/1.9: Permission denied", NULL, NULL, false },
        { "silent NSS failure: the planned AF_UNIX names RestrictAddressFamilies=, likely",
          BASE "RestrictAddressFamilies=AF_INET\n", "passwd: files sss\ngroup: files\nhosts: files\n", "exited", 2, NULL, NULL,
          "RestrictAddressFamilies=AF_INET", true },
        { "a missing configuration file: no cause", BASE "NoNewPrivileges=yes\n", FILES, "exited", 1,
          "cat: /etc/x.conf: No such file or directory", NULL, NULL, false },
};

START_TEST(test_case) {
        const Case *c = &cases[_i];
        char *root = tu_mkroot(), *unit = strjoin("[Service]\n", c->unit), *lines[] = { (char *) c->line, NULL };
        ExecAbi abi = { .command = (char *) "/usr/bin/hello", .origin = (char *) "x.service:2", .abi = c->abi };
        ExecAbiList exec = { .items = &abi, .n = c->abi ? 1 : 0 };
        UnitFailure f = { .unit = (char *) "x.service", .invocation = (char *) "1", .result = (char *) "exit-code",
                          .exit_code = (char *) c->exit_code, .exit_status = c->status, .lines = c->line ? lines : NULL };
        Diagnosis d;
        TuPlan x;

        tu_write(root, "/lib/systemd/system/x.service", unit);
        tu_write(root, "/etc/nsswitch.conf", c->nss);
        tu_write(root, "/etc/passwd", "root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n");
        tu_write(root, "/bin/true", "\177ELF");
        tu_plan_open(&x, root);
        tu_plan_run(&x, NULL, NULL, NULL);
        ck_assert_int_eq(diagnose(&(DiagnoseInput) { .failure = &f, .view = &x.v, .exec = &exec, .plan = &x.p,
                                                     .root = root }, &d), 0);
        if (!c->cause)
                ck_assert_msg(d.n == 0, "%s: blamed %s", c->name, d.n ? d.causes[0].setting : "");
        else {
                ck_assert_msg(d.n > 0, "%s: no cause (%s)", c->name, d.summary);
                ck_assert_msg(startswith(d.causes[0].setting, c->cause), "%s: blamed '%s'", c->name, d.causes[0].setting);
                ck_assert_int_eq(d.causes[0].likely, c->likely);
                ck_assert_ptr_nonnull(d.causes[0].remedy);
        }
        diagnosis_done(&d);
        tu_plan_close(&x);
        tu_rmrf(root);
        free(unit);
}
END_TEST

/* The kernel's seccomp audit record (journald's audit transport) says which call killed which
 * executable: the message as the kernel writes it. */
START_TEST(test_seccomp_audit) {
        static const char msg[] = "audit: type=1326 audit(1763934000.123:42): auid=4294967295 uid=65534 gid=65534 "
                                  "ses=4294967295 subj=unconfined pid=4189 comm=\"hello\" exe=\"/usr/bin/hello\" sig=31 "
                                  "arch=40000003 syscall=252 compat=1 ip=0xf7f5c549 code=0x0";
        char *root = tu_mkroot(), *exe = NULL;
        uint32_t arch = 0;
        int nr = -1;
        ExecAbi abi = { .command = (char *) "/usr/bin/hello", .file = (char *) "/usr/bin/hello", .abi = "x86" };
        ExecAbiList exec = { .items = &abi, .n = 1 };
        UnitFailure f = { .unit = (char *) "x.service", .invocation = (char *) "1", .result = (char *) "signal",
                          .exit_code = (char *) "killed", .exit_status = 31 };
        Diagnosis d;
        TuPlan x;

        ck_assert_int_eq(parse_seccomp_audit(msg, &exe, &arch, &nr), 1);
        ck_assert_str_eq(exe, "/usr/bin/hello");
        ck_assert_uint_eq(arch, 0x40000003);
        ck_assert_int_eq(nr, 252);
        ck_assert_int_eq(parse_seccomp_audit("audit: type=1326 ... sig=0 arch=c000003e syscall=1", &exe, &arch, &nr), 0);
        ck_assert_int_eq(parse_seccomp_audit("Out of memory: Killed process 12", &exe, &arch, &nr), 0);

        /* i386 exit_group under SystemCallArchitectures=native: the ABI, with the call named */
        tu_write(root, "/lib/systemd/system/x.service", "[Service]\nExecStart=/usr/bin/hello\nUser=nobody\n"
                                                        "SystemCallArchitectures=native\n");
        tu_write(root, "/etc/nsswitch.conf", FILES);
        tu_plan_open(&x, root);
        tu_plan_run(&x, NULL, NULL, NULL);
        f.seccomp_exe = exe;
        f.seccomp_arch = arch;
        f.seccomp_syscall = nr;
        ck_assert_int_eq(diagnose(&(DiagnoseInput) { .failure = &f, .view = &x.v, .exec = &exec, .plan = &x.p,
                                                     .root = root }, &d), 0);
        ck_assert_uint_eq(d.n, 1);
        ck_assert(startswith(d.causes[0].setting, "SystemCallArchitectures=native"));
        ck_assert_msg(strstr(d.causes[0].evidence, "seccomp killed /usr/bin/hello at system call exit_group (252) of the x86 ABI"),
                      "%s", d.causes[0].evidence);
        diagnosis_done(&d);

        /* another process's record is not this unit's: the executables' ABI instead */
        f.seccomp_exe = (char *) "/usr/sbin/other";
        ck_assert_int_eq(diagnose(&(DiagnoseInput) { .failure = &f, .view = &x.v, .exec = &exec, .plan = &x.p,
                                                     .root = root }, &d), 0);
        ck_assert_uint_eq(d.n, 1);
        ck_assert_ptr_null(strstr(d.causes[0].evidence, "audit"));
        diagnosis_done(&d);
        tu_plan_close(&x);

        /* x86-64 uname under SystemCallFilter=~uname: the filter, with the call named */
        tu_write(root, "/lib/systemd/system/x.service", "[Service]\nExecStart=/usr/bin/hello\nUser=nobody\n"
                                                        "SystemCallFilter=~uname\n");
        tu_plan_open(&x, root);
        tu_plan_run(&x, NULL, NULL, NULL);
        f.seccomp_exe = exe;
        f.seccomp_arch = 0xc000003e;
        f.seccomp_syscall = 63;
        ck_assert_int_eq(diagnose(&(DiagnoseInput) { .failure = &f, .view = &x.v, .exec = &exec, .plan = &x.p,
                                                     .root = root }, &d), 0);
        ck_assert_uint_eq(d.n, 1);
        ck_assert(startswith(d.causes[0].setting, "SystemCallFilter=~uname"));
        ck_assert(strstr(d.causes[0].evidence, "system call uname (63) of the x86-64 ABI"));
        diagnosis_done(&d);
        tu_plan_close(&x);
        free(exe);
        tu_rmrf(root);
}
END_TEST

START_TEST(test_exit_status_names) {
        ck_assert_str_eq(exit_status_name(1), "FAILURE");
        ck_assert_str_eq(exit_status_name(226), "NAMESPACE");
        ck_assert_str_eq(exit_status_name(228), "SECCOMP");
        ck_assert_str_eq(exit_status_name(232), "ADDRESS_FAMILIES");
        ck_assert_str_eq(exit_status_name(235), "CHOWN");
        ck_assert_str_eq(exit_status_name(244), "BPF");
        ck_assert_ptr_null(exit_status_name(223));
        ck_assert_ptr_null(exit_status_name(234));
        ck_assert_ptr_null(exit_status_name(100));
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("diagnose");
        TCase *tc = tcase_create("Core");

        tcase_add_loop_test(tc, test_case, 0, ELEMENTSOF(cases));
        tcase_add_test(tc, test_exit_status_names);
        tcase_add_test(tc, test_seccomp_audit);
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(suite)

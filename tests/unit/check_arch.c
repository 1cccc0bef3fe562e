/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Foreign architectures: which system call ABIs a unit's executables use (ELF headers,
 * "#!" chains, the dpkg database's foreign packages and their helpers), and the
 * SystemCallArchitectures= lines the plan adds for them — only to units whose set is
 * non-empty, only for ABIs the kernel runs and the set refuses.
 * The ELF files are headers written byte by byte: the tool reads nothing else.
 */
#include "archs.h"
#include "elf.h"
#include "exec-abi.h"
#include "tu-plan.h"

enum { EM_386 = 3, EM_SPARCV9 = 43, EM_ARM = 40, EM_X86_64 = 62, EM_AARCH64 = 183 };

/* An ELF header: class, byte order, e_type 2 (ET_EXEC), e_machine; mode as given. */
static void write_elf(const char *root, const char *path, bool is_64, bool big, unsigned machine, mode_t mode,
                      size_t len) {
        unsigned char h[64] = { 0x7f, 'E', 'L', 'F', is_64 ? 2 : 1, big ? 2 : 1, 1 };
        char *p = tu_path(root, path);
        FILE *f;

        h[big ? 17 : 16] = 2;
        h[big ? 19 : 18] = (unsigned char) (machine & 0xff);
        h[big ? 18 : 19] = (unsigned char) (machine >> 8);
        h[big ? 23 : 20] = 1;
        tu_parent(p);
        f = fopen(p, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(h, 1, len ? len : sizeof(h), f), len ? len : sizeof(h));
        ck_assert_int_eq(fclose(f), 0);
        ck_assert_int_eq(chmod(p, mode), 0);
        free(p);
}

static void write_exec(const char *root, const char *path, const char *content) {
        char *p = tu_path(root, path);

        tu_write(root, path, content);
        ck_assert_int_eq(chmod(p, 0755), 0);
        free(p);
}

/* A dpkg database with a foreign i386 package "foo" shipping files. */
static void write_dpkg(const char *root, const char *files) {
        tu_write(root, "/var/lib/dpkg/status", "Package: foo\nStatus: install ok installed\nArchitecture: i386\n"
                                                "Version: 1.0\nMaintainer: T <t@example.org>\nDescription: test\n\n");
        tu_write(root, "/var/lib/dpkg/arch", "amd64\ni386\n");
        tu_write(root, "/var/lib/dpkg/info/foo.list", files);
}

typedef enum Extra {
        NONE,
        X86_BIN,                /* /usr/bin/legacy32: i386 ELF */
        X32_BIN,                /* /usr/bin/x32prog: x32 ELF */
        ARM64_BIN,              /* /usr/bin/armprog: arm64 ELF (amd64 kernels do not run it) */
        SPARC_BIN,              /* /usr/bin/sparcprog: an ABI systemd has no name for */
        TRUNCATED_BIN,          /* /usr/bin/broken: 20 bytes of an ELF header */
        DPKG_HELPER,            /* foo:i386 ships /usr/sbin/food (native script) and an i386 helper */
        DPKG_NATIVE_ONLY,       /* i386 is a foreign architecture, but the unit's files are native */
        ARM64_ROOT,             /* the root's systemd is arm64: native arm64, kernel runs arm too */
} Extra;

typedef struct Case {
        const char *name;
        const char *unit;       /* [Service] body of x.service */
        Extra extra;
        const char *lines;      /* expected drop-in directives, "\n"-joined */
        const char *text;       /* a substring of the drop-in, notes, unmet or diagnostics */
} Case;

static const Case cases[] = {
        { "i386 binary under native", "ExecStart=/usr/bin/legacy32\nSystemCallArchitectures=native\nUser=nobody\n",
          X86_BIN, "SystemCallArchitectures=x86", "# ExecStart=/usr/bin/legacy32 (/lib/systemd/system/x.service:2) runs an x86 binary" },
        { "no SystemCallArchitectures=: never added", "ExecStart=/usr/bin/legacy32\n",
          X86_BIN, "", "SystemCallArchitectures= is not set" },
        { "native shell script keeps native", "ExecStart=/usr/local/bin/native.sh\nSystemCallArchitectures=native\n",
          X86_BIN, "", NULL },
        { "script whose interpreter is i386", "ExecStart=/usr/local/bin/s32\nSystemCallArchitectures=native\n",
          X86_BIN, "SystemCallArchitectures=x86", "its interpreter /usr/bin/legacy32" },
        { "#!/usr/bin/env NAME through PATH", "ExecStart=/usr/local/bin/envs\nSystemCallArchitectures=native\n",
          X86_BIN, "SystemCallArchitectures=x86", NULL },
        { "relative command through systemd's PATH", "ExecStart=legacy32 --flag\nSystemCallArchitectures=native\n",
          X86_BIN, "SystemCallArchitectures=x86", NULL },
        { "'+' command runs without seccomp", "ExecStartPre=+/usr/bin/legacy32\nExecStart=/bin/sh\nSystemCallArchitectures=native\n",
          X86_BIN, "", NULL },
        { "'!' command is still filtered", "ExecStartPre=!/usr/bin/legacy32\nExecStart=/bin/sh\nSystemCallArchitectures=native\n",
          X86_BIN, "SystemCallArchitectures=x86", NULL },
        { "already allowed", "ExecStart=/usr/bin/legacy32\nSystemCallArchitectures=x86-64 x86\n", X86_BIN, "", NULL },
        { "two ABIs, two lines", "ExecStart=/usr/bin/legacy32\nExecStartPost=/usr/bin/x32prog\nSystemCallArchitectures=native\n",
          X32_BIN, "SystemCallArchitectures=x86\nSystemCallArchitectures=x32", NULL },
        { "ABI the kernel cannot run: emulated, native calls", "ExecStart=/usr/bin/armprog\nSystemCallArchitectures=native\n",
          ARM64_BIN, "", "binfmt_misc" },
        { "ABI without a systemd name is unmet", "ExecStart=/usr/bin/sparcprog\nSystemCallArchitectures=native\n",
          SPARC_BIN, "", "no SystemCallArchitectures= name" },
        { "truncated ELF: warning, nothing written", "ExecStart=/usr/bin/broken\nSystemCallArchitectures=native\n",
          TRUNCATED_BIN, "", "truncated or malformed ELF header" },
        { "missing binary: nothing", "ExecStart=/usr/bin/nonexistent\nSystemCallArchitectures=native\n", NONE, "", NULL },
        { "foreign package's helper", "ExecStart=/usr/sbin/food\nSystemCallArchitectures=native\n",
          DPKG_HELPER, "SystemCallArchitectures=x86", "# /usr/lib/foo/helper is an x86 binary; foo:i386 ships it" },
        { "foreign architecture, native files: nothing", "ExecStart=/usr/local/bin/native.sh\nSystemCallArchitectures=native\n",
          DPKG_NATIVE_ONLY, "", NULL },
        { "arm64 root: arm binary needs arm", "ExecStart=/usr/bin/armhfprog\nSystemCallArchitectures=native\n",
          ARM64_ROOT, "SystemCallArchitectures=arm", NULL },
        { "arm64 root: x86-64 binary is emulated", "ExecStart=/usr/bin/amd64prog\nSystemCallArchitectures=native\n",
          ARM64_ROOT, "", "binfmt_misc" },
        { "a later drop-in resets the set: unmet", "ExecStart=/usr/bin/legacy32\nSystemCallArchitectures=native\n",
          X86_BIN, "", "zzzz-admin.conf" },
};

static void make_root(const char *root, const Case *c) {
        char *unit = strjoin("[Service]\n", c->unit);

        tu_write(root, "/lib/systemd/system/x.service", unit);
        tu_write(root, "/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n");
        write_elf(root, "/usr/lib/systemd/systemd", true, false, c->extra == ARM64_ROOT ? EM_AARCH64 : EM_X86_64, 0755, 0);
        if (c->extra == ARM64_ROOT) {
                write_elf(root, "/usr/bin/armhfprog", false, false, EM_ARM, 0755, 0);
                write_elf(root, "/usr/bin/amd64prog", true, false, EM_X86_64, 0755, 0);
        }
        write_elf(root, "/bin/sh", true, false, EM_X86_64, 0755, 0);
        write_elf(root, "/usr/bin/env", true, false, EM_X86_64, 0755, 0);
        write_exec(root, "/usr/local/bin/native.sh", "#!/bin/sh\necho native\n");
        write_exec(root, "/usr/local/bin/s32", "#!/usr/bin/legacy32 -q\n");
        write_exec(root, "/usr/local/bin/envs", "#!/usr/bin/env legacy32\n");
        write_elf(root, "/usr/bin/legacy32", false, false, EM_386, 0755, 0);
        write_elf(root, "/usr/bin/x32prog", false, false, EM_X86_64, 0755, 0);
        write_elf(root, "/usr/bin/armprog", true, false, EM_AARCH64, 0755, 0);
        write_elf(root, "/usr/bin/sparcprog", true, true, EM_SPARCV9, 0755, 0);
        write_elf(root, "/usr/bin/broken", false, false, EM_386, 0755, 20);
        if (c->extra == DPKG_HELPER) {
                write_exec(root, "/usr/sbin/food", "#!/bin/sh\nexec /usr/lib/foo/helper\n");
                write_elf(root, "/usr/lib/foo/helper", false, false, EM_386, 0755, 0);
                write_elf(root, "/usr/lib/foo/libfoo.so.1", false, false, EM_386, 0644, 0);
                write_dpkg(root, "/usr\n/usr/sbin\n/usr/sbin/food\n/usr/lib/foo\n/usr/lib/foo/helper\n"
                                 "/usr/lib/foo/libfoo.so.1\n/lib/systemd/system/x.service\n");
        }
        if (c->extra == DPKG_NATIVE_ONLY)
                write_dpkg(root, "/usr/local/bin/native.sh\n/lib/systemd/system/x.service\n");
        if (strstr(c->name, "later drop-in"))
                tu_write(root, "/etc/systemd/system/x.service.d/zzzz-admin.conf",
                         "[Service]\nSystemCallArchitectures=\nSystemCallArchitectures=native\n");
        free(unit);
}

START_TEST(test_case) {
        const Case *c = &cases[_i];
        char *root = tu_mkroot(), *got, *all, *notes, *unmet, *diags = NULL;
        ExecAbiList exec;
        TuPlan x;

        make_root(root, c);
        tu_plan_open(&x, root);
        ck_assert_int_eq(exec_abi_find_for_unit(&x.f, &x.t.root, x.u, &x.v.sb, &exec, &x.t.diags), 0);
        tu_plan_run(&x, NULL, &exec, NULL);

        got = tu_directive_lines(x.p.text);
        ck_assert_msg(streq(got, c->lines), "%s: got lines\n%s\nexpected\n%s\n%s", c->name, got, c->lines, strempty(x.p.text));
        for (size_t i = 0; i < x.t.diags.n; i++) {
                char *d = strjoin(strempty(diags), x.t.diags.items[i].message, "\n");
                free(diags);
                diags = d;
        }
        notes = strv_join(x.nl.notes, " | ");
        unmet = strv_join(x.p.unmet, " | ");
        all = strjoin(strempty(x.p.text), notes, unmet, strempty(diags));
        if (c->text)
                ck_assert_msg(strstr(all, c->text), "%s: '%s' not in\n%s", c->name, c->text, all);

        free(all);
        free(notes);
        free(unmet);
        free(diags);
        free(got);
        exec_abi_list_done(&exec);
        tu_plan_close(&x);
        tu_rmrf(root);
}
END_TEST

/* The ABI of every header layout the kernel's AUDIT_ARCH_* encodes (mechanics.md §6). */
START_TEST(test_abi_names) {
        ck_assert_str_eq(elf_abi_name(true, false, EM_X86_64, 0), "x86-64");
        ck_assert_str_eq(elf_abi_name(false, false, EM_X86_64, 0), "x32");
        ck_assert_str_eq(elf_abi_name(false, false, EM_386, 0), "x86");
        ck_assert_str_eq(elf_abi_name(false, false, EM_ARM, 0), "arm");
        ck_assert_str_eq(elf_abi_name(true, false, EM_AARCH64, 0), "arm64");
        ck_assert_str_eq(elf_abi_name(true, false, 21, 0), "ppc64-le");
        ck_assert_str_eq(elf_abi_name(true, true, 21, 0), "ppc64");
        ck_assert_str_eq(elf_abi_name(true, true, 22, 0), "s390x");
        ck_assert_str_eq(elf_abi_name(false, false, 8, 0x20), "mips64-le-n32");
        ck_assert_str_eq(elf_abi_name(false, true, 8, 0), "mips");
        ck_assert_ptr_null(elf_abi_name(true, true, EM_SPARCV9, 0));
        ck_assert_ptr_null(elf_abi_name(true, false, 258, 0));     /* loongarch64: none in systemd 252 */
        ck_assert_str_eq(abi_of_dpkg_arch("i386"), "x86");
        ck_assert_str_eq(abi_of_dpkg_arch("armhf"), "arm");
        ck_assert_str_eq(abi_of_dpkg_arch("ppc64el"), "ppc64-le");
        ck_assert_str_eq(abi_of_dpkg_arch("mipsn32el"), "mips64-le-n32");
        ck_assert_ptr_null(abi_of_dpkg_arch("loong64"));
        ck_assert_ptr_null(abi_of_dpkg_arch("all"));
}
END_TEST

/* Native ABI and the kernel's: the systemd binary first, then dpkg, then the build. */
START_TEST(test_host_archs) {
        char *root = tu_mkroot();
        DiagList d = {};
        HostArchs a;
        Root r;

        ck_assert_int_eq(root_init(&r, root), 0);
        ck_assert_int_eq(host_archs_load(&a, &r, &d), 0);
        ck_assert_ptr_nonnull(a.native_abi);    /* the build's ABI */
        ck_assert_ptr_null(a.dpkg_native);
        host_archs_done(&a);

        write_elf(root, "/lib/systemd/systemd", true, false, EM_AARCH64, 0755, 0);
        ck_assert_int_eq(host_archs_load(&a, &r, &d), 0);
        ck_assert_str_eq(a.native_abi, "arm64");
        ck_assert_str_eq(a.native_abi_source, "the ELF header of /lib/systemd/systemd");
        ck_assert(host_archs_runs_natively(&a, "arm"));
        ck_assert(!host_archs_runs_natively(&a, "x86"));
        host_archs_done(&a);

        write_dpkg(root, "");
        ck_assert_int_eq(host_archs_load(&a, &r, &d), 0);
        ck_assert_str_eq(a.native_abi, "arm64");        /* systemd's own ABI wins over dpkg's */
        ck_assert_ptr_nonnull(a.dpkg_foreign);
        ck_assert_str_eq(a.dpkg_foreign[0], "i386");
        host_archs_done(&a);

        diag_list_done(&d);
        root_done(&r);
        tu_rmrf(root);
}
END_TEST

/* "#!" lines are read as the kernel reads them: up to 256 bytes, four levels at most. */
START_TEST(test_script_chains) {
        char *root = tu_mkroot(), line[300];
        ElfInfo e;
        Root r;

        ck_assert_int_eq(root_init(&r, root), 0);
        write_elf(root, "/opt/a-rather-long-directory-name-for-an-interpreter/that-goes-on/bin/legacy32", false, false,
                  EM_386, 0755, 0);
        snprintf(line, sizeof(line), "#!/opt/a-rather-long-directory-name-for-an-interpreter/that-goes-on/bin/legacy32\n");
        write_exec(root, "/s-long", line);
        ck_assert_int_eq(elf_identify(&r, "/s-long", &e), 0);
        ck_assert_str_eq(e.abi, "x86");
        elf_info_done(&e);

        write_exec(root, "/loop", "#!/loop\n");
        ck_assert_int_eq(elf_identify(&r, "/loop", &e), -ELOOP);
        write_exec(root, "/text", "plain text\n");
        ck_assert_int_eq(elf_identify(&r, "/text", &e), -ENOEXEC);
        write_exec(root, "/empty", "");
        ck_assert_int_eq(elf_identify(&r, "/empty", &e), -ENOEXEC);
        write_elf(root, "/short", false, false, EM_386, 0755, 20);
        ck_assert_int_eq(elf_identify(&r, "/short", &e), -EBADMSG);

        root_done(&r);
        tu_rmrf(root);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("arch");
        TCase *tc = tcase_create("Core");

        tcase_add_loop_test(tc, test_case, 0, ELEMENTSOF(cases));
        tcase_add_test(tc, test_abi_names);
        tcase_add_test(tc, test_host_archs);
        tcase_add_test(tc, test_script_chains);
        suite_add_tcase(s, tc);
        return s;
}

TU_MAIN(suite)

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <endian.h>

#include "archs.h"
#include "dpkg.h"
#include "elf.h"
#include "macro.h"
#include "strv.h"

/* dpkg architecture → systemd ABI: /usr/share/dpkg/cputable and tupletable (dpkg 1.21)
 * give each architecture's CPU, bits and endianness; systemd 252's
 * seccomp_arch_to_string() names the ABI. Architectures without a seccomp ABI in
 * systemd 252 (alpha, ia64, loong64, m68k, sh4, sparc64) are absent. */
static const struct { const char *arch, *abi; } dpkg_abis[] = {
        { "amd64", "x86-64" },          { "i386", "x86" },              { "x32", "x32" },
        { "arm64", "arm64" },           { "armhf", "arm" },             { "armel", "arm" },
        { "arm", "arm" },               { "ppc64el", "ppc64-le" },      { "ppc64", "ppc64" },
        { "powerpc", "ppc" },           { "s390x", "s390x" },           { "s390", "s390" },
        { "riscv64", "riscv64" },       { "mips64el", "mips64-le" },    { "mips64", "mips64" },
        { "mipsn32el", "mips64-le-n32" }, { "mipsn32", "mips64-n32" },  { "mipsel", "mips-le" },
        { "mips", "mips" },             { "hppa", "parisc" },
};

/* systemd 252's seccomp_local_archs[], per native ABI: the ABIs its kernel executes. */
static const char *const local_table[][7] = {
        { "x86-64", "x86", "x32" },
        { "x32", "x86", "x86-64" },
        { "x86" },
        { "arm64", "arm" },
        { "arm" },
        { "mips", "mips-le" },
        { "mips-le", "mips" },
        { "mips64", "mips-le", "mips", "mips64-le-n32", "mips64-n32", "mips64-le" },
        { "mips64-le", "mips", "mips-le", "mips64-n32", "mips64-le-n32", "mips64" },
        { "mips64-n32", "mips-le", "mips", "mips64-le", "mips64", "mips64-le-n32" },
        { "mips64-le-n32", "mips", "mips-le", "mips64", "mips64-le", "mips64-n32" },
        { "parisc64", "parisc" },
        { "parisc" },
        { "ppc64", "ppc", "ppc64-le" },
        { "ppc64-le", "ppc", "ppc64" },
        { "ppc" },
        { "riscv64" },
        { "s390x", "s390" },
        { "s390" },
};

const char *abi_of_dpkg_arch(const char *arch) {
        for (size_t i = 0; arch && i < ELEMENTSOF(dpkg_abis); i++)
                if (streq(dpkg_abis[i].arch, arch))
                        return dpkg_abis[i].abi;
        return NULL;
}

static const char *build_abi(void) {
#if defined(__x86_64__) && defined(__ILP32__)
        return "x32";
#elif defined(__x86_64__)
        return "x86-64";
#elif defined(__i386__)
        return "x86";
#elif defined(__aarch64__)
        return "arm64";
#elif defined(__arm__)
        return "arm";
#elif defined(__powerpc64__) && __BYTE_ORDER == __LITTLE_ENDIAN
        return "ppc64-le";
#elif defined(__powerpc64__)
        return "ppc64";
#elif defined(__s390x__)
        return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
        return "riscv64";
#else
        return NULL;
#endif
}

static int set_local(HostArchs *a) {
        for (size_t i = 0; a->native_abi && i < ELEMENTSOF(local_table); i++) {
                size_t n = 0;

                if (!streq(local_table[i][0], a->native_abi))
                        continue;
                while (n < ELEMENTSOF(local_table[i]) && local_table[i][n])
                        n++;
                a->local_abis = calloc(n + 1, sizeof(char *));
                if (!a->local_abis)
                        return -ENOMEM;
                for (size_t k = 0; k < n; k++)
                        a->local_abis[k] = local_table[i][k];
                return 0;
        }
        /* An ABI systemd knows no siblings of: only itself. */
        a->local_abis = calloc(2, sizeof(char *));
        if (!a->local_abis)
                return -ENOMEM;
        a->local_abis[0] = a->native_abi;
        return 0;
}

int host_archs_load(HostArchs *ret, const Root *root, DiagList *diags) {
        static const char *const systemd_bins[] = { "/usr/lib/systemd/systemd", "/lib/systemd/systemd" };
        DpkgArchs d = {};
        int r;

        *ret = (HostArchs) {};
        r = dpkg_load_archs(root, &d, diags);
        if (r == -ENOMEM)
                return r;
        ret->dpkg_native = TAKE_PTR(d.native);
        ret->dpkg_foreign = TAKE_PTR(d.foreign);

        for (size_t i = 0; i < ELEMENTSOF(systemd_bins) && !ret->native_abi; i++) {
                ElfInfo e;

                if (elf_identify(root, systemd_bins[i], &e) < 0)
                        continue;
                if (e.abi && !e.interpreters) {
                        ret->native_abi = e.abi;
                        if (asprintf_safe(&ret->native_abi_source, "the ELF header of %s", systemd_bins[i]) < 0) {
                                elf_info_done(&e);
                                return -ENOMEM;
                        }
                }
                elf_info_done(&e);
        }
        if (!ret->native_abi && abi_of_dpkg_arch(ret->dpkg_native)) {
                ret->native_abi = abi_of_dpkg_arch(ret->dpkg_native);
                if (asprintf_safe(&ret->native_abi_source, "dpkg's native architecture %s", ret->dpkg_native) < 0)
                        return -ENOMEM;
        }
        if (!ret->native_abi && build_abi()) {
                ret->native_abi = build_abi();
                if (asprintf_safe(&ret->native_abi_source, "the build of hardening-compat (the root has no systemd "
                                  "binary and no dpkg database)") < 0)
                        return -ENOMEM;
        }
        return set_local(ret);
}

void host_archs_done(HostArchs *a) {
        free(a->native_abi_source);
        free(a->local_abis);
        free(a->dpkg_native);
        strv_free(a->dpkg_foreign);
        *a = (HostArchs) {};
}

bool host_archs_runs_natively(const HostArchs *a, const char *abi) {
        for (size_t i = 0; abi && a->local_abis && a->local_abis[i]; i++)
                if (streq(a->local_abis[i], abi))
                        return true;
        return false;
}

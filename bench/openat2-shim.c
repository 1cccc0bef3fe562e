/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For profiling only (bench/profile.sh): valgrind 3.19 does not know openat2(), so under
 * callgrind every root_open() would fail with ENOSYS and the run would do nothing. This
 * LD_PRELOAD shim answers syscall(SYS_openat2, ...) with openat() of the same relative
 * path. That drops RESOLVE_IN_ROOT, which only matters for absolute symlinks and ".." in
 * the inspected root: the generated bench roots have neither, so the work is the same.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <sys/syscall.h>

long syscall(long n, ...) {
        static long (*real)(long, ...);
        va_list ap;
        long a[6];

        va_start(ap, n);
        for (int i = 0; i < 6; i++)
                a[i] = va_arg(ap, long);
        va_end(ap);
        if (n == SYS_openat2) {
                const struct open_how *how = (const struct open_how *) a[2];

                return openat((int) a[0], (const char *) a[1], (int) how->flags, (mode_t) how->mode);
        }
        if (!real)
                real = (long (*)(long, ...)) dlsym(RTLD_NEXT, "syscall");
        return real(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}

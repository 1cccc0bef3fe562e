/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "fsync-many.h"
#include "macro.h"

#define THREADS_MAX 8
#define PER_THREAD_MIN 8        /* fewer fsyncs are not worth a thread */

typedef struct Work {
        const int *fds;
        int *errs;
        size_t n;
        atomic_size_t next;
} Work;

static void *fsync_some(void *p) {
        Work *w = p;

        for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->n;)
                w->errs[i] = fsync(w->fds[i]) < 0 ? -errno : 0;
        return NULL;
}

/* HARDENING_COMPAT_FSYNC_THREADS=N, 1 to 8, lowers the number: strace counts a system call
 * per thread, and tests that inject a fault at the Nth fsync want one thread. */
static size_t threads_max(void) {
        const char *e = getenv("HARDENING_COMPAT_FSYNC_THREADS");
        unsigned long v;
        char *end;

        if (!e)
                return THREADS_MAX;
        errno = 0;
        v = strtoul(e, &end, 10);
        return errno == 0 && end != e && !*end && v >= 1 && v <= THREADS_MAX ? v : THREADS_MAX;
}

void fsync_many(const int *fds, int *errs, size_t n) {
        Work w = { .fds = fds, .errs = errs, .n = n };
        pthread_t t[THREADS_MAX - 1];
        size_t started = 0, max = threads_max() - 1;

        atomic_init(&w.next, 0);
        /* a thread that cannot be started leaves its share to the others and to this one */
        while (started < max && (started + 2) * PER_THREAD_MIN <= n &&
               pthread_create(&t[started], NULL, fsync_some, &w) == 0)
                started++;
        fsync_some(&w);
        while (started > 0)
                pthread_join(t[--started], NULL);
}

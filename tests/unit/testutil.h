/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Helpers for the Check suites: throw-away roots under $TMPDIR built file by file, and a
 * one-call path from a root to a unit's effective sandbox. Header-only: each suite is one
 * translation unit.
 */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "macro.h"
#include "rootfs.h"
#include "sandbox.h"
#include "specifier.h"
#include "strv.h"
#include "unit-index.h"
#include "unit.h"

/* The main() of every suite: run it, exit non-zero when a check failed. */
#define TU_MAIN(make_suite)                                                     \
        int main(void) {                                                        \
                SRunner *sr = srunner_create(make_suite());                     \
                int failed;                                                     \
                                                                                \
                srunner_run_all(sr, CK_NORMAL);                                 \
                failed = srunner_ntests_failed(sr);                             \
                srunner_free(sr);                                               \
                return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;               \
        }

/* A drop-in's setting lines, without comments and section headers, "\n"-joined. */
static inline char *tu_directive_lines(const char *text) {
        char **l = NULL, *s;

        for (const char *p = text; p && *p;) {
                size_t n = strcspn(p, "\n");

                if (n && p[0] != '#' && p[0] != '[')
                        ck_assert_int_eq(strv_consume(&l, strndup(p, n)), 0);
                p += n + (p[n] == '\n');
        }
        s = strv_join(l, "\n");
        strv_free(l);
        return s;
}

static inline char *tu_mkroot(void) {
        const char *t = getenv("TMPDIR");
        char *p = NULL;

        ck_assert_int_ge(asprintf(&p, "%s/hc-test-XXXXXX", t && *t ? t : "/tmp"), 0);
        ck_assert_ptr_nonnull(mkdtemp(p));
        return p;
}

static inline void tu_mkdir_p(const char *path) {
        char *c = strdup(path);

        for (char *s = c + 1; *s; s++)
                if (*s == '/') {
                        *s = '\0';
                        (void) mkdir(c, 0755);
                        *s = '/';
                }
        (void) mkdir(c, 0755);
        free(c);
}

static inline char *tu_path(const char *root, const char *path) {
        char *p = NULL;

        ck_assert_int_ge(asprintf(&p, "%s%s", root, path), 0);
        return p;
}

static inline void tu_parent(const char *full) {
        char *d = strdup(full);

        *strrchr(d, '/') = '\0';
        tu_mkdir_p(d);
        free(d);
}

static inline void tu_write(const char *root, const char *path, const char *content) {
        char *p = tu_path(root, path);
        FILE *f;

        tu_parent(p);
        f = fopen(p, "we");
        ck_assert_msg(f, "cannot create %s: %s", p, strerror(errno));
        fputs(content, f);
        ck_assert_int_eq(fclose(f), 0);
        free(p);
}

static inline void tu_symlink(const char *root, const char *path, const char *target) {
        char *p = tu_path(root, path);

        tu_parent(p);
        (void) unlink(p);
        ck_assert_msg(symlink(target, p) == 0, "symlink %s: %s", p, strerror(errno));
        free(p);
}

static inline bool tu_exists(const char *root, const char *path) {
        char *p = tu_path(root, path);
        struct stat st;
        bool r = lstat(p, &st) == 0;

        free(p);
        return r;
}

static inline char *tu_read(const char *root, const char *path) {
        char *p = tu_path(root, path), *buf = NULL;
        size_t n = 0;
        FILE *f = fopen(p, "re");

        free(p);
        if (!f)
                return NULL;
        ck_assert_int_ge(getdelim(&buf, &n, '\0', f), 0);
        fclose(f);
        return buf;
}

static int tu_rm_one(const char *p, const struct stat *st, int type, struct FTW *ftw) {
        (void) st, (void) type, (void) ftw;
        return remove(p);
}

static inline void tu_rmrf(char *root) {
        if (root)
                (void) nftw(root, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
        free(root);
}

/* Everything needed to look at units of a root. */
typedef struct TuUnits {
        Root root;
        HostInfo host;
        UnitIndex index;
        Loader loader;
        DiagList diags;
} TuUnits;

static inline void tu_units_open(TuUnits *t, const char *root) {
        *t = (TuUnits) {};
        ck_assert_int_eq(root_init(&t->root, root), 0);
        ck_assert_int_eq(host_info_load(&t->host, &t->root), 0);
        ck_assert_int_eq(unit_index_load(&t->index, &t->root, &t->diags), 0);
        loader_init(&t->loader, &t->index, &t->host, &t->diags);
}

static inline void tu_units_close(TuUnits *t) {
        loader_done(&t->loader);
        unit_index_done(&t->index);
        host_info_done(&t->host);
        diag_list_done(&t->diags);
        root_done(&t->root);
}

/* The rendered value of one setting of a unit in a root, or "(load-state)". */
static inline char *tu_setting(const char *root, const char *unit, Setting s) {
        TuUnits t;
        Unit *u = NULL;
        UnitView v;
        char *r;

        tu_units_open(&t, root);
        ck_assert_int_eq(unit_load(&t.loader, unit, true, &u), 0);
        if (u->state != UNIT_LOADED) {
                static const char *const states[] = { "loaded", "not-found", "masked", "bad-setting" };
                ck_assert_int_ge(asprintf(&r, "(%s)", states[u->state]), 0);
        } else if (unit_view(&t.loader, u, NULL, &t.diags, &v) < 0) {
                r = strdup("(bad-setting)");
        } else {
                r = sandbox_format(&v.sb, s);
                unit_view_done(&v);
        }
        unit_free(u);
        tu_units_close(&t);
        return r;
}

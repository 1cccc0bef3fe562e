/* SPDX-License-Identifier: GPL-2.0-or-later */

/* A unified diff of two small texts, as one full-file hunk: drop-ins are a few dozen
 * lines, so the longest common subsequence is computed directly. */

#include <stdio.h>

#include "cli.h"
#include "macro.h"
#include "strv.h"

static char **lines_of(const char *t) {
        char **l = NULL;

        for (const char *p = t; p && *p;) {
                size_t n = strcspn(p, "\n");

                if (strv_consume(&l, strndup(p, n)) < 0)
                        return strv_free(l);
                p += n + (p[n] == '\n');
        }
        return l;
}

void print_unified_diff(const char *path, const char *old_text, const char *new_text) {
        _cleanup_strv_free_ char **a = lines_of(old_text), **b = lines_of(new_text);
        size_t n = strv_length(a), m = strv_length(b), i = 0, j = 0;
        _cleanup_free_ unsigned *lcs = calloc((n + 1) * (m + 1), sizeof(unsigned));

        if (!lcs)
                return;
#define L(x, y) lcs[(x) * (m + 1) + (y)]
        for (size_t x = n; x-- > 0;)
                for (size_t y = m; y-- > 0;)
                        L(x, y) = streq(a[x], b[y]) ? L(x + 1, y + 1) + 1 :
                                  L(x + 1, y) > L(x, y + 1) ? L(x + 1, y) : L(x, y + 1);

        printf("--- %s%s\n+++ %s%s\n", old_text ? "a" : "/dev/null", old_text ? path : "",
               new_text ? "b" : "/dev/null", new_text ? path : "");
        printf("@@ -%s%zu,%zu +%s%zu,%zu @@\n", "", n ? (size_t) 1 : 0, n, "", m ? (size_t) 1 : 0, m);
        while (i < n || j < m) {
                if (i < n && j < m && streq(a[i], b[j])) {
                        printf(" %s\n", a[i++]);
                        j++;
                } else if (i < n && (j == m || L(i + 1, j) >= L(i, j + 1)))
                        printf("-%s\n", a[i++]);      /* removals first, as diff -u prints them */
                else
                        printf("+%s\n", b[j++]);
        }
#undef L
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "lookup-paths.h"
#include "macro.h"
#include "strv.h"

static const char *const system_search_path[] = {
        "/etc/systemd/system.control",
        "/run/systemd/system.control",
        "/run/systemd/transient",
        "/run/systemd/generator.early",
        "/etc/systemd/system",
        "/etc/systemd/system.attached",
        "/run/systemd/system",
        "/run/systemd/system.attached",
        "/run/systemd/generator",
        "/usr/local/lib/systemd/system",
        "/lib/systemd/system",
        "/usr/lib/systemd/system",
        "/run/systemd/generator.late",
};

int lookup_paths_init(LookupPaths *lp, const Root *root) {
        size_t n = ELEMENTSOF(system_search_path);
        int r;

        *lp = (LookupPaths) {};
        lp->canonical = calloc(n + 1, sizeof(char *));
        if (!lp->canonical)
                return -ENOMEM;

        for (size_t i = 0; i < n; i++) {
                const char *p = system_search_path[i];
                char *c = NULL;

                r = strv_extend(&lp->search_path, p);
                if (r < 0)
                        return r;
                r = strv_extend_uniq(&lp->expanded, p);
                if (r < 0)
                        return r;
                r = root_canonicalize(root, p, &c);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        continue;
                lp->canonical[i] = c;
                r = strv_extend_uniq(&lp->expanded, c);
                if (r < 0)
                        return r;
        }
        return 0;
}

void lookup_paths_done(LookupPaths *lp) {
        size_t n = strv_length(lp->search_path);

        for (size_t i = 0; i < n; i++)
                free(lp->canonical[i]);
        free(lp->canonical);
        strv_free(lp->search_path);
        strv_free(lp->expanded);
        *lp = (LookupPaths) {};
}

const char *lookup_paths_tail(const LookupPaths *lp, const char *path) {
        STRV_FOREACH(d, lp->expanded) {
                const char *t = startswith(path, *d);

                if (t && *t == '/')
                        return t + 1;
        }
        return NULL;
}

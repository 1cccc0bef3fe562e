/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/stat.h>

#include "dpkg.h"
#include "facts.h"
#include "macro.h"
#include "mta.h"
#include "rules.h"
#include "strv.h"

static int add_owners(const Root *root, const char *path, char ***packages, DiagList *diags) {
        _cleanup_strv_free_ char **o = NULL;
        int r = dpkg_owners(root, path, &o, diags);

        if (r == -ENOMEM)
                return r;
        STRV_FOREACH(p, o)
                if (strv_extend_uniq(packages, *p) < 0)
                        return -ENOMEM;
        return 0;
}

int mta_load(MtaFacts *ret, const Root *root, const RuleSet *rules, DiagList *diags) {
        static const char *const links[] = { "/usr/sbin/sendmail", "/usr/lib/sendmail" };
        struct stat st;
        int r;

        *ret = (MtaFacts) {};
        for (size_t i = 0; i < ELEMENTSOF(links) && !ret->path; i++)
                if (root_stat(root, links[i], false, &st) >= 0 && !(ret->path = strdup(links[i])))
                        return -ENOMEM;
        if (!ret->path)
                return 0;
        r = root_canonicalize(root, ret->path, &ret->resolved);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || root_stat(root, ret->resolved, true, &st) < 0) {
                free(ret->resolved);
                ret->resolved = NULL;
                return 0;
        }
        {
                _cleanup_free_ char *owner = facts_name_of_id(root, "/etc/passwd", st.st_uid),
                                    *group = facts_name_of_id(root, "/etc/group", st.st_gid);

                if (!owner || !group ||
                    asprintf_safe(&ret->mode, "%s:%s %04o", owner, group, (unsigned) (st.st_mode & 07777)) < 0)
                        return -ENOMEM;
        }
        r = add_owners(root, ret->path, &ret->packages, diags);
        if (r >= 0 && !streq(ret->path, ret->resolved))
                r = add_owners(root, ret->resolved, &ret->packages, diags);
        if (r < 0)
                return r;
        ret->rule = rules_find_mta(rules, root, ret->resolved, ret->packages);
        return 0;
}

void mta_done(MtaFacts *m) {
        mta_listener_done(m);
        free(m->path);
        free(m->resolved);
        strv_free(m->packages);
        free(m->mode);
        *m = (MtaFacts) {};
}

char *mta_describe(const MtaFacts *m) {
        _cleanup_free_ char *pkgs = m->packages ? strv_join(m->packages, ", ") : strdup("no dpkg owner");
        char *s = NULL;

        if (!m->path)
                return strdup("none (no /usr/sbin/sendmail or /usr/lib/sendmail)");
        if (!pkgs)
                return NULL;
        if (!m->resolved)
                asprintf_safe(&s, "%s is a dangling link", m->path);
        else
                asprintf_safe(&s, "%s (%s%s%s, %s, %s; %s%s)", m->rule ? m->rule->name : "unknown MTA", m->path,
                              streq(m->path, m->resolved) ? "" : " → ", streq(m->path, m->resolved) ? "" : m->resolved,
                              m->mode, pkgs, m->rule ? "rule " : "no rule", m->rule ? m->rule->file_name : "");
        return s;
}

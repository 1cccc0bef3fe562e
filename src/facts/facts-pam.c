/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <strings.h>
#include <sys/stat.h>

#include "facts.h"
#include "macro.h"
#include "rules.h"
#include "strv.h"

/* The name of a numeric id in a passwd(5)/group(5) file of the root, else the number:
 * enough to write SupplementaryGroups=, which takes names or numbers. */
char *facts_name_of_id(const Root *root, const char *file, unsigned long id) {
        _cleanup_free_ char *text = NULL;
        char *save, *s = NULL;

        if (root_read_file(root, file, ROOT_FILE_MAX, &text, NULL) >= 0)
                for (char *l = text; l; l = save) {
                        char *name, *num, *end;

                        save = strchr(l, '\n');
                        if (save)
                                *save++ = '\0';
                        name = l;
                        if (!(num = strchr(l, ':')) || !(num = strchr(num + 1, ':')))
                                continue;
                        *strchr(l, ':') = '\0';
                        num++;
                        errno = 0;
                        if (strtoul(num, &end, 10) == id && *end == ':' && errno == 0 && name[0])
                                return strdup(name);
                }
        asprintf_safe(&s, "%lu", id);
        return s;
}

static int load_helper(HelperFile *h, const Root *root, const char *path) {
        struct stat st;

        *h = (HelperFile) { .path = strdup(path) };
        if (!h->path)
                return -ENOMEM;
        if (root_stat(root, path, true, &st) < 0 || !S_ISREG(st.st_mode))
                return 0;
        h->present = true;
        h->setuid = st.st_mode & S_ISUID;
        h->setgid = st.st_mode & S_ISGID;
        h->owner = facts_name_of_id(root, "/etc/passwd", st.st_uid);
        h->group = facts_name_of_id(root, "/etc/group", st.st_gid);
        return h->owner && h->group ? 0 : -ENOMEM;
}

static int add_helper(Facts *f, const Root *root, const char *path) {
        HelperFile *n;

        if (!path || facts_helper(f, path))
                return 0;
        n = reallocarray(f->helpers, f->n_helpers + 1, sizeof(HelperFile));
        if (!n)
                return -ENOMEM;
        f->helpers = n;
        f->n_helpers++;
        return load_helper(&f->helpers[f->n_helpers - 1], root, path);
}

int facts_load_helpers(Facts *f, const Root *root, const RuleSet *rules) {
        for (size_t i = 0; i < rules->n; i++) {
                const Rule *r = &rules->rules[i];
                int k = add_helper(f, root, r->needs.helper);

                for (int t = 0; k >= 0 && t < PAM_TYPES; t++)
                        k = add_helper(f, root, r->needs_type[t].helper);
                if (k < 0)
                        return k;
        }
        return 0;
}

const HelperFile *facts_helper(const Facts *f, const char *path) {
        for (size_t i = 0; i < f->n_helpers; i++)
                if (streq(f->helpers[i].path, path))
                        return &f->helpers[i];
        return NULL;
}

int facts_pam_stack(Facts *f, const Root *root, const char *service, const PamStack **ret, DiagList *diags) {
        _cleanup_free_ PamStack *s = NULL;
        PamStack **n;
        int r;

        for (size_t i = 0; i < f->n_pam_stacks; i++)
                if (strcasecmp(f->pam_stacks[i]->service, service) == 0) {
                        *ret = f->pam_stacks[i];
                        return 0;
                }
        s = calloc(1, sizeof(PamStack));
        n = reallocarray(f->pam_stacks, f->n_pam_stacks + 1, sizeof(PamStack *));
        if (!s || !n)
                return -ENOMEM;
        f->pam_stacks = n;
        r = pam_stack_load(root, service, s, diags);
        if (r < 0)
                return r;
        *ret = f->pam_stacks[f->n_pam_stacks++] = TAKE_PTR(s);
        return 0;
}

int facts_pam_services(const Root *root, char ***ret) {
        static const char *const dirs[] = { "/etc/pam.d", "/usr/lib/pam.d" };
        _cleanup_strv_free_ char **l = NULL;

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_closedir_ DIR *d = NULL;
                struct dirent *de;

                if (root_opendir(root, dirs[i], &d) < 0)
                        continue;
                while ((de = readdir(d))) {
                        /* libpam opens any name; dot files, dpkg leftovers and editor
                         * backups are not services anyone asks for. */
                        if (de->d_name[0] == '.' || strstr(de->d_name, ".dpkg-") || endswith(de->d_name, "~") ||
                            strstr(de->d_name, ".ucf-"))
                                continue;
                        if (strv_extend_uniq(&l, de->d_name) < 0)
                                return -ENOMEM;
                }
        }
        strv_sort(l);
        *ret = TAKE_PTR(l);
        return 0;
}

void facts_pam_done(Facts *f) {
        for (size_t i = 0; i < f->n_helpers; i++) {
                free(f->helpers[i].path);
                free(f->helpers[i].owner);
                free(f->helpers[i].group);
        }
        free(f->helpers);
        for (size_t i = 0; i < f->n_pam_stacks; i++) {
                pam_stack_done(f->pam_stacks[i]);
                free(f->pam_stacks[i]);
        }
        free(f->pam_stacks);
        for (size_t i = 0; i < f->n_libpam; i++) {
                free(f->libpam[i].path);
                free(f->libpam[i].via);
        }
        free(f->libpam);
        str_index_done(&f->libpam_index);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/stat.h>

#include "macro.h"
#include "strv.h"
#include "unit-index.h"
#include "unit-name.h"

#define FOLLOW_MAX 8

bool hidden_or_backup_file(const char *name) {
        static const char *const suffixes[] = {
                "rpmnew", "rpmsave", "rpmorig", "dpkg-old", "dpkg-new", "dpkg-tmp",
                "dpkg-dist", "dpkg-bak", "dpkg-backup", "dpkg-remove", "ucf-new",
                "ucf-old", "ucf-dist", "swp", "bak", "old", "new",
        };
        const char *dot;

        if (name[0] == '.' || streq(name, "lost+found") || streq(name, "aquota.user") ||
            streq(name, "aquota.group") || endswith(name, "~"))
                return true;
        dot = strrchr(name, '.');
        if (!dot)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++)
                if (streq(dot + 1, suffixes[i]))
                        return true;
        return false;
}

static bool type_may_alias(const char *type) {
        return type && (streq(type, "service") || streq(type, "socket") || streq(type, "target") ||
                        streq(type, "device") || streq(type, "timer") || streq(type, "path"));
}

static bool type_may_template(const char *type) {
        return type_may_alias(type) && !streq(type, "device");
}

/* unit_validate_alias_symlink_or_warn(): 0 if src may be an alias of dst. */
static int validate_alias(const char *src, const char *dst) {
        _cleanup_free_ char *si = NULL, *di = NULL;
        int st, dt;

        st = unit_name_to_instance(src, &si);
        if (st < 0)
                return st;
        if (!type_may_alias(unit_name_type(src)))
                return -EINVAL;
        if (st != UNIT_NAME_PLAIN && !type_may_template(unit_name_type(src)))
                return -EINVAL;
        if (streq(src, dst))
                return -ELOOP;
        dt = unit_name_to_instance(dst, &di);
        if (dt < 0)
                return -EXDEV;
        if (!(dt == st || (st == UNIT_NAME_INSTANCE && dt == UNIT_NAME_TEMPLATE)))
                return -EXDEV;
        if (dt == UNIT_NAME_INSTANCE && !streq(si, di))
                return -EXDEV;
        if (!streq(unit_name_type(src), unit_name_type(dst)))
                return -EXDEV;
        return 0;
}

static bool directory_name_is_valid(const char *name) {
        static const char *const suffixes[] = { ".wants", ".requires", ".d" };

        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                const char *e = endswith(name, suffixes[i]);
                _cleanup_free_ char *chopped = NULL;

                if (!e)
                        continue;
                chopped = strndup(name, (size_t) (e - name));
                if (!chopped)
                        return false;
                if (unit_name_is_valid(chopped, UNIT_NAME_ANY) || unit_type_is_valid(chopped))
                        return true;
        }
        return false;
}

static bool stat_null_or_empty(const struct stat *st) {
        return (S_ISREG(st->st_mode) && st->st_size <= 0) || S_ISCHR(st->st_mode);
}

typedef struct Scan {
        UnitEntry *entries;
        size_t n, cap;
        char **output_names;    /* UnitIndex.output_names, NULL-terminated once complete */
        size_t n_output_names, cap_output_names;
} Scan;

static int scan_add_output_name(Scan *s, const char *name) {
        if (GROW(s->output_names, s->cap_output_names, s->n_output_names + 2) < 0)
                return -ENOMEM;
        s->output_names[s->n_output_names] = strdup(name);
        if (!s->output_names[s->n_output_names])
                return -ENOMEM;
        s->output_names[++s->n_output_names] = NULL;
        return 0;
}

static int scan_add(Scan *s, UnitEntry e) {
        if (GROW(s->entries, s->cap, s->n + 1) < 0)
                return -ENOMEM;
        s->entries[s->n++] = e;
        return 0;
}

static void unit_entry_free(UnitEntry *e) {
        free(e->name);
        free(e->path);
        free(e->alias);
}

/* A symlink with a unit name: an alias (target inside the search path), a mask, or a
 * linked unit file. Returns 0 and fills *e, or 1 to skip the entry as systemd does. */
static int scan_symlink(const UnitIndex *x, const char *dir, const char *name, UnitEntry *e) {
        _cleanup_free_ char *target = NULL, *abs = NULL, *simple = NULL, *p = NULL;
        const char *tail;
        struct stat st;
        int r;

        p = path_join(dir, name);
        if (!p)
                return -ENOMEM;
        r = root_readlink(x->root, p, &target);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 1;

        abs = target[0] == '/' ? strdup(target) : path_join(dir, target);
        if (!abs)
                return -ENOMEM;
        simple = path_simplify(abs);
        if (!simple)
                return -ENOMEM;

        if (streq(simple, "/dev/null")) {
                e->path = TAKE_PTR(p);
                e->masked = true;
                return 0;
        }

        tail = lookup_paths_tail(&x->lp, simple);
        if (tail) {
                if (validate_alias(name, path_filename(simple)) < 0)
                        return 1;
                e->alias = strdup(path_filename(simple));
                return e->alias ? 0 : -ENOMEM;
        }

        /* A linked unit file: the unit is read through the symlink. */
        if (root_stat(x->root, p, true, &st) >= 0)
                e->masked = stat_null_or_empty(&st);
        e->path = TAKE_PTR(p);
        return 0;
}

static int scan_dir(UnitIndex *x, unsigned dir_index, Scan *s) {
        const char *dir = x->lp.search_path[dir_index];
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int r;

        r = root_opendir(x->root, dir, &d);
        if (r < 0)
                return r == -ENOENT || r == -ENOTDIR ? 0 : r;
        /* What is not in this listing need not be looked for (unit_index_find_dropins()). */
        x->output_listed = x->output_listed || streq(dir, UNIT_OUTPUT_DIR);

        while ((de = readdir(d))) {
                UnitEntry e = { .dir = dir_index };
                struct stat st;
                unsigned char type = de->d_type;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (streq(dir, UNIT_OUTPUT_DIR) && scan_add_output_name(s, de->d_name) < 0)
                        return -ENOMEM;
                if (type == DT_UNKNOWN) {
                        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                                continue;
                        type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR :
                               S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
                }

                if (type == DT_DIR || (type == DT_LNK && !unit_name_is_valid(de->d_name, UNIT_NAME_ANY))) {
                        if (!directory_name_is_valid(de->d_name))
                                continue;
                        if (type == DT_LNK && (fstatat(dirfd(d), de->d_name, &st, 0) < 0 || !S_ISDIR(st.st_mode)))
                                continue;
                        r = strv_consume(&x->dirs, path_join(dir, de->d_name));
                        if (r < 0)
                                return r;
                        continue;
                }
                if (!unit_name_is_valid(de->d_name, UNIT_NAME_ANY))
                        continue;

                if (type == DT_REG) {
                        e.path = path_join(dir, de->d_name);
                        if (!e.path)
                                return -ENOMEM;
                        if (fstatat(dirfd(d), de->d_name, &st, 0) >= 0)
                                e.masked = stat_null_or_empty(&st);
                } else if (type == DT_LNK) {
                        r = scan_symlink(x, dir, de->d_name, &e);
                        if (r < 0)
                                return r;
                        if (r > 0)
                                continue;
                } else
                        continue;

                e.name = strdup(de->d_name);
                if (!e.name || scan_add(s, e) < 0) {
                        unit_entry_free(&e);
                        return -ENOMEM;
                }
        }
        return 0;
}

static int entry_cmp(const void *a, const void *b) {
        const UnitEntry *x = a, *y = b;
        int c = strcmp(x->name, y->name);

        /* Equal names: the higher-priority directory first, so dedup keeps it. */
        return c ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

static int str_cmp(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

const UnitEntry *unit_index_find(const UnitIndex *x, const char *name) {
        UnitEntry key = { .name = (char *) name, .dir = 0 };
        size_t lo = 0, hi = x->n_entries;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int c = strcmp(x->entries[mid].name, key.name);

                if (c == 0)
                        return &x->entries[mid];
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

/* unit_ids_map_get(): follow aliases to the entry that is a file. */
static int resolve(const UnitIndex *x, const char *name, const UnitEntry **ret) {
        const char *id = NULL;

        for (unsigned n = 0; n < FOLLOW_MAX; n++) {
                const UnitEntry *e = unit_index_find(x, id ?: name);

                if (!e) {
                        _cleanup_free_ char *tmpl = NULL;

                        if (!id)
                                return -ENOENT;
                        if (unit_name_template(id, &tmpl) < 0)
                                return -ENXIO;
                        e = unit_index_find(x, tmpl);
                        if (!e)
                                return -ENXIO;
                }
                if (!e->alias) {
                        *ret = e;
                        return 0;
                }
                id = e->alias;
        }
        return -ELOOP;
}

/* The order of the reverse map: by dst, then src (qsort_r() over an index permutation). */
static int alias_cmp(const void *a, const void *b, void *userdata) {
        const UnitIndex *x = userdata;
        size_t i = *(const size_t *) a, j = *(const size_t *) b;
        int c = strcmp(x->alias_dst[i], x->alias_dst[j]);

        return c ? c : strcmp(x->alias_src[i], x->alias_src[j]);
}

/* The first entry of the reverse map whose dst is name (n_alias when none): the map is
 * sorted by dst, so every unit's aliases are one binary search away. */
static size_t alias_first(const UnitIndex *x, const char *name) {
        size_t lo = 0, hi = x->n_alias;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (strcmp(x->alias_dst[mid], name) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

static int build_reverse_map(UnitIndex *x) {
        _cleanup_free_ size_t *idx = NULL;
        char **dst = NULL, **src = NULL;
        size_t n = 0;

        dst = calloc(x->n_entries + 1, sizeof(char *));
        src = calloc(x->n_entries + 1, sizeof(char *));
        x->alias_dst = dst;
        x->alias_src = src;
        if (!dst || !src)
                return -ENOMEM;

        for (size_t i = 0; i < x->n_entries; i++) {
                const char *s = x->entries[i].name;
                const UnitEntry *f;
                _cleanup_free_ char *inst = NULL;
                char *d;

                if (resolve(x, s, &f) < 0 || f->masked)
                        continue;
                if (unit_name_is_valid(f->name, UNIT_NAME_TEMPLATE) &&
                    unit_name_to_instance(s, &inst) == UNIT_NAME_INSTANCE) {
                        if (unit_name_replace_instance(f->name, inst, &d) < 0)
                                continue;
                } else {
                        d = strdup(f->name);
                        if (!d)
                                return -ENOMEM;
                }
                dst[n] = d;
                src[n] = strdup(s);
                if (!src[n]) {
                        free(d);
                        dst[n] = NULL;
                        return -ENOMEM;
                }
                n++;
        }
        x->n_alias = n;

        /* Sort both arrays by dst (then src), through an index permutation. */
        idx = malloc(sizeof(size_t) * (n + 1));
        if (!idx)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                idx[i] = i;
        if (n > 1)
                qsort_r(idx, n, sizeof(size_t), alias_cmp, x);
        {
                _cleanup_free_ char **d2 = malloc(sizeof(char *) * (n + 1));
                _cleanup_free_ char **s2 = malloc(sizeof(char *) * (n + 1));

                if (!d2 || !s2)
                        return -ENOMEM;
                for (size_t i = 0; i < n; i++) {
                        d2[i] = dst[idx[i]];
                        s2[i] = src[idx[i]];
                }
                if (n > 0) {
                        memcpy(dst, d2, sizeof(char *) * n);
                        memcpy(src, s2, sizeof(char *) * n);
                }
        }
        return 0;
}

/* The file names of the existing directories: a drop-in name that no directory has
 * anywhere is ruled out by one lookup instead of one per search directory. */
static int index_dir_names(UnitIndex *x) {
        x->dir_names = calloc(x->n_dirs + 1, sizeof(char *));
        if (!x->dir_names)
                return -ENOMEM;
        for (size_t i = 0; i < x->n_dirs; i++)
                if (!(x->dir_names[i] = strdup(path_filename(x->dirs[i]))))
                        return -ENOMEM;
        strv_sort(x->dir_names);
        return 0;
}

int unit_index_load(UnitIndex *x, const Root *root, DiagList *diags) {
        Scan s = {};
        size_t n = 0;
        int r;

        *x = (UnitIndex) { .root = root };
        r = lookup_paths_init(&x->lp, root);
        if (r < 0)
                return r;

        for (unsigned i = 0; x->lp.search_path[i]; i++) {
                /* Two spellings of one directory (merged /usr): scan it once, as the
                 * earlier name; later duplicates add nothing, first wins anyway. */
                bool dup = false;

                for (unsigned j = 0; j < i && x->lp.canonical[i]; j++)
                        dup = dup || streq_ptr(x->lp.canonical[j], x->lp.canonical[i]);
                if (dup)
                        continue;
                r = scan_dir(x, i, &s);
                if (r == -ENOMEM)
                        goto fail;
                if (r < 0) {
                        _cleanup_free_ char *hp = root_host_path(root, x->lp.search_path[i]);
                        diag_add(diags, DIAG_WARNING, hp, 0, "cannot read unit directory: %s, ignoring.",
                                 strerror(-r));
                }
        }

        if (s.n > 0)
                qsort(s.entries, s.n, sizeof(UnitEntry), entry_cmp);
        for (size_t i = 0; i < s.n; i++) {
                if (n > 0 && streq(s.entries[n - 1].name, s.entries[i].name)) {
                        unit_entry_free(&s.entries[i]);
                        continue;
                }
                s.entries[n++] = s.entries[i];
        }
        x->entries = s.entries;
        x->n_entries = n;
        strv_sort(x->dirs);
        x->n_dirs = strv_length(x->dirs);
        x->output_names = s.output_names;
        x->n_output_names = s.n_output_names;
        strv_sort(x->output_names);
        r = index_dir_names(x);
        if (r < 0)
                return r;
        return build_reverse_map(x);
fail:
        for (size_t i = 0; i < s.n; i++)
                unit_entry_free(&s.entries[i]);
        free(s.entries);
        strv_free(s.output_names);
        return r;
}

void unit_index_done(UnitIndex *x) {
        for (size_t i = 0; i < x->n_entries; i++)
                unit_entry_free(&x->entries[i]);
        free(x->entries);
        for (size_t i = 0; i < x->n_alias; i++) {
                free(x->alias_dst[i]);
                free(x->alias_src[i]);
        }
        free(x->alias_dst);
        free(x->alias_src);
        strv_free(x->dirs);
        strv_free(x->dir_names);
        strv_free(x->output_names);
        lookup_paths_done(&x->lp);
        *x = (UnitIndex) {};
}

static int add_name(char ***names, const char *name, const char *instance) {
        _cleanup_free_ char *inst = NULL;

        /* A template name among an instance's names stands for that instance
         * (unit_add_name() does the same when the names are merged). */
        if (instance && unit_name_is_valid(name, UNIT_NAME_TEMPLATE)) {
                if (unit_name_replace_instance(name, instance, &inst) < 0)
                        return 0;
                name = inst;
        }
        return strv_extend_uniq(names, name);
}

/* add_names() of src/basic/unit-file.c. */
static int add_names(const UnitIndex *x, const char *fragment_basename, int name_type,
                     const char *instance, char ***names, const char *name) {
        int r;

        if (name_type != UNIT_NAME_TEMPLATE) {
                r = add_name(names, name, instance);
                if (r < 0)
                        return r;
        }

        for (size_t i = alias_first(x, name); i < x->n_alias && streq(x->alias_dst[i], name); i++) {
                const char *alias = x->alias_src[i];

                if (name_type == UNIT_NAME_INSTANCE && unit_name_is_valid(alias, UNIT_NAME_TEMPLATE)) {
                        _cleanup_free_ char *inst = NULL;
                        const UnitEntry *f = NULL;

                        if (unit_name_replace_instance(alias, instance, &inst) < 0)
                                continue;
                        /* Skip instances whose own fragment is something else. */
                        if (resolve(x, inst, &f) == 0 && fragment_basename &&
                            !streq(f->name, fragment_basename))
                                continue;
                        r = add_name(names, inst, instance);
                } else
                        r = add_name(names, alias, instance);
                if (r < 0)
                        return r;
        }
        return 0;
}

int unit_index_find_fragment(const UnitIndex *x, const char *unit_name,
                             const UnitEntry **ret_fragment, char ***ret_names) {
        _cleanup_free_ char *instance = NULL, *tmpl = NULL;
        _cleanup_strv_free_ char **names = NULL;
        const UnitEntry *f = NULL;
        int type, r;

        type = unit_name_to_instance(unit_name, &instance);
        if (type < 0)
                return type;

        r = add_names(x, NULL, type, instance, &names, unit_name);
        if (r < 0)
                return r;

        r = resolve(x, unit_name, &f);
        if (r < 0 && r != -ENOENT && r != -ENXIO)
                return r;
        if (!f && type == UNIT_NAME_INSTANCE) {
                r = unit_name_template(unit_name, &tmpl);
                if (r < 0)
                        return r;
                r = resolve(x, tmpl, &f);
                if (r < 0 && r != -ENOENT && r != -ENXIO)
                        return r;
        }
        if (f && !streq(f->name, unit_name)) {
                r = add_names(x, f->name, type, instance, &names, f->name);
                if (r < 0)
                        return r;
        }

        *ret_fragment = f;
        *ret_names = TAKE_PTR(names);
        return 0;
}

/* unit_file_find_dirs()'s names for one directory: the name, the template's, then each "-"
 * prefix's. They do not depend on the directory, so they are built once per name, not once
 * per search directory (that was most of the drop-in search). */
static int dropin_names(const char *name, char ***names) {
        _cleanup_free_ char *prefix = NULL, *instance = NULL, *built = NULL;
        bool is_instance, chopped = false;
        const char *type;
        int r;

        r = strv_extend(names, name);
        if (r < 0)
                return r;

        is_instance = unit_name_is_valid(name, UNIT_NAME_INSTANCE);
        if (is_instance) {
                _cleanup_free_ char *tmpl = NULL;

                r = unit_name_template(name, &tmpl);
                if (r < 0)
                        return r;
                r = dropin_names(tmpl, names);
                if (r < 0)
                        return r;
        }

        if (unit_type_is_valid(name))   /* the top-level "service.d" */
                return 0;

        r = unit_name_to_prefix(name, &prefix);
        if (r < 0)
                return r;
        for (;;) {
                char *dash = strrchr(prefix, '-');
                size_t n;

                if (!dash)
                        return 0;
                n = (size_t) (dash - prefix);
                if (n == 0)
                        return 0;
                if (prefix[n + 1] != '\0' || chopped) {
                        prefix[n + 1] = '\0';
                        break;
                }
                /* A trailing dash: chop it off and try again, once. */
                prefix[n] = '\0';
                chopped = true;
        }
        if (!unit_prefix_is_valid(prefix))
                return 0;

        type = unit_name_type(name);
        if (is_instance && unit_name_to_instance(name, &instance) < 0)
                return -EINVAL;
        built = instance ? strjoin(prefix, "@", instance, ".", type) : strjoin(prefix, ".", type);
        if (!built)
                return -ENOMEM;
        return dropin_names(built, names);
}

static bool dir_exists(const UnitIndex *x, const char *d) {
        return x->dirs && bsearch(&d, x->dirs, x->n_dirs, sizeof(char *), str_cmp) != NULL;
}

void dropin_candidates_free(DropinCandidate *c, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(c[i].path);
                free(c[i].name);
        }
        free(c);
}

static int list_dropin_dir(const UnitIndex *x, const char *dir, unsigned order,
                           DropinCandidate **c, size_t *n, size_t *cap) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int r;

        r = root_opendir(x->root, dir, &d);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        while ((de = readdir(d))) {
                if (hidden_or_backup_file(de->d_name) || !endswith(de->d_name, ".conf"))
                        continue;
                if (GROW(*c, *cap, *n + 1) < 0)
                        return -ENOMEM;
                (*c)[*n] = (DropinCandidate) {
                        .path = path_join(dir, de->d_name),
                        .name = strdup(de->d_name),
                        .order = order,
                };
                if (!(*c)[*n].path || !(*c)[*n].name) {
                        free((*c)[*n].path);
                        free((*c)[*n].name);
                        return -ENOMEM;
                }
                (*n)++;
        }
        return 0;
}

bool unit_index_output_absent(const UnitIndex *x, const char *name) {
        return x->output_listed &&
               !(x->output_names && bsearch(&name, x->output_names, x->n_output_names, sizeof(char *), str_cmp));
}

/* path (in UNIT_OUTPUT_DIR) had no entry of any type when the index was built: it can be
 * neither resolved nor listed. */
static bool output_entry_absent(const UnitIndex *x, const char *path) {
        return unit_index_output_absent(x, path_filename(path));
}

static bool dir_name_exists(const UnitIndex *x, const char *name) {
        return x->dir_names && bsearch(&name, x->dir_names, x->n_dirs, sizeof(char *), str_cmp) != NULL;
}

/* unit_file_find_dirs() in every search directory for one name, in systemd's order; only
 * the directories that exist, and ours (UNIT_OUTPUT_DIR/<id>.d), which the caller needs
 * whether it exists or not. */
static int find_dirs(const UnitIndex *x, const char *name, const char *id, char ***dirs) {
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_free_ bool *somewhere = NULL;
        size_t n;
        int r;

        r = dropin_names(name, &names);
        if (r < 0)
                return r;
        n = strv_length(names);
        somewhere = calloc(n + 1, sizeof(bool));
        if (!somewhere)
                return -ENOMEM;
        for (size_t k = 0; k < n; k++) {
                _cleanup_free_ char *dn = strjoin(names[k], ".d");

                if (!dn)
                        return -ENOMEM;
                somewhere[k] = dir_name_exists(x, dn);
        }
        STRV_FOREACH(p, x->lp.search_path)
                for (size_t k = 0; k < n; k++) {
                        bool ours = streq(*p, UNIT_OUTPUT_DIR) && streq(names[k], id);
                        char *d;

                        if (!ours && !somewhere[k])
                                continue;
                        d = strjoin(*p, "/", names[k], ".d");
                        if (!d)
                                return -ENOMEM;
                        if (!ours && !dir_exists(x, d)) {
                                free(d);
                                continue;
                        }
                        r = strv_consume(dirs, d);
                        if (r < 0)
                                return r;
                }
        return 0;
}

int unit_index_find_dropins(const UnitIndex *x, const char *id, char * const *aliases,
                            DropinCandidate **ret, size_t *ret_n, unsigned *ret_our_order) {
        _cleanup_strv_free_ char **dirs = NULL, **seen = NULL;
        _cleanup_free_ char *ours = NULL;
        DropinCandidate *c = NULL;
        size_t n = 0, cap = 0;
        unsigned order = 0;
        const char *type = unit_name_type(id);
        int r;

        ours = strjoin(UNIT_OUTPUT_DIR "/", id, ".d");
        if (!ours)
                return -ENOMEM;

        if ((r = find_dirs(x, id, id, &dirs)) < 0)
                return r;
        for (size_t i = 0; aliases && aliases[i]; i++)
                if ((r = find_dirs(x, aliases[i], id, &dirs)) < 0)
                        return r;
        if ((r = find_dirs(x, type, id, &dirs)) < 0)
                return r;

        *ret_our_order = 0;
        STRV_FOREACH(d, dirs) {
                _cleanup_free_ char *canon = NULL;
                bool is_ours = streq(*d, ours);
                /* Ours has its place in the order even when it does not exist (yet); then
                 * resolving and listing it would only fail, a waste of two system calls per
                 * unit. The index, like every other directory's existence, is from before
                 * anything was written. */
                bool absent = is_ours && output_entry_absent(x, *d);

                if (!is_ours && !dir_exists(x, *d))
                        continue;
                /* path_strv_resolve_uniq(): one directory reached twice counts once. */
                if (absent || root_canonicalize(x->root, *d, &canon) < 0) {
                        canon = strdup(*d);
                        if (!canon)
                                goto oom;
                }
                if (strv_contains(seen, canon))
                        continue;
                if (strv_consume(&seen, TAKE_PTR(canon)) < 0)
                        goto oom;
                if (is_ours)
                        *ret_our_order = order;
                r = absent ? 0 : list_dropin_dir(x, *d, order, &c, &n, &cap);
                if (r < 0) {
                        dropin_candidates_free(c, n);
                        return r;
                }
                order++;
        }
        *ret = c;
        *ret_n = n;
        return 0;
oom:
        dropin_candidates_free(c, n);
        return -ENOMEM;
}

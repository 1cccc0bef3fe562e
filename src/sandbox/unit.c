/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/stat.h>

#include "macro.h"
#include "strv.h"
#include "unit-name.h"
#include "unit.h"

static const char *sections_for(const char *id) {
        if (endswith(id, ".slice"))
                return "Unit\0Slice\0Install\0";
        return "Unit\0Service\0Install\0";
}

void loader_init(Loader *l, const UnitIndex *index, const HostInfo *host, DiagList *diags) {
        *l = (Loader) { .index = index, .host = host, .diags = diags };
}

void loader_done(Loader *l) {
        for (size_t i = 0; i < l->slices.n; i++)
                unit_view_done(&l->slices.views[i]);
        free(l->slices.views);
        strv_free(l->slices.names);
        *l = (Loader) {};
}

void unit_file_done(UnitFile *f) {
        free(f->path);
        free(f->host_path);
        free(f->name);
        conf_file_done(&f->conf);
        *f = (UnitFile) {};
}

Unit *unit_free(Unit *u) {
        if (!u)
                return NULL;
        for (size_t i = 0; i < u->n_files; i++)
                unit_file_done(&u->files[i]);
        free(u->files);
        free(u->id);
        free(u->instance);
        strv_free(u->aliases);
        free(u);
        return NULL;
}

int unit_file_from_text(const char *text, const char *host_path, UnitFile *ret) {
        *ret = (UnitFile) {};
        ret->host_path = strdup(host_path);
        ret->name = strdup(path_filename(host_path));
        if (!ret->host_path || !ret->name)
                goto oom;
        if (conf_parse_text(text, strlen(text), host_path, "Unit\0Service\0Install\0Slice\0", &ret->conf, NULL) < 0)
                goto oom;
        return 0;
oom:
        unit_file_done(ret);
        return -ENOMEM;
}

static bool is_our_path(const char *path) {
        _cleanup_free_ char *dir = path_dirname(path);
        const char *t;

        if (!dir || !streq(path_filename(path), OUR_DROPIN_NAME))
                return false;
        t = startswith(dir, UNIT_OUTPUT_DIR "/");
        return t && !strchr(t, '/') && endswith(t, ".d");
}

/* Read and parse one file; problems are recorded in the UnitFile and the diagnostics. */
static int read_unit_file(Loader *l, UnitFile *uf, const char *sections) {
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        int r;

        uf->host_path = root_host_path(l->index->root, uf->path);
        uf->name = strdup(path_filename(uf->path));
        if (!uf->host_path || !uf->name)
                return -ENOMEM;

        r = root_read_file(l->index->root, uf->path, ROOT_FILE_MAX, &text, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                uf->read_error = r;
                diag_add(l->diags, DIAG_ERROR, uf->host_path, 0, "cannot read unit file: %s", strerror(-r));
                return 0;
        }
        if (size == 0) {        /* an empty file or a character device is a mask */
                uf->masked = true;
                return 0;
        }
        uf->ours = is_our_path(uf->path) && startswith(text, OUR_HEADER);
        return conf_parse_text(text, size, uf->host_path, sections, &uf->conf, l->diags);
}

static int add_file(Unit *u, size_t *cap, UnitFile uf) {
        if (GROW(u->files, *cap, u->n_files + 1) < 0) {
                unit_file_done(&uf);
                return -ENOMEM;
        }
        u->files[u->n_files++] = uf;
        return 0;
}

static int unit_set_names(Unit *u, const char *name, const UnitEntry *f, char **names) {
        if (f && unit_name_is_valid(f->name, UNIT_NAME_TEMPLATE) && u->instance) {
                int r = unit_name_replace_instance(f->name, u->instance, &u->id);
                if (r < 0)
                        return r;
        } else {
                u->id = strdup(f ? f->name : name);
                if (!u->id)
                        return -ENOMEM;
        }
        STRV_FOREACH(n, names)
                if (!streq(*n, u->id) && strv_extend_uniq(&u->aliases, *n) < 0)
                        return -ENOMEM;
        strv_sort(u->aliases);
        u->is_template = unit_name_is_valid(u->id, UNIT_NAME_TEMPLATE);
        return 0;
}

int unit_load(Loader *l, const char *name, bool fragment_required, Unit **ret) {
        _cleanup_strv_free_ char **names = NULL;
        DropinCandidate *cand = NULL;
        const UnitEntry *f = NULL;
        size_t n_cand = 0, cap = 0;
        Unit *u;
        int r;

        if (!unit_name_is_valid(name, UNIT_NAME_ANY))
                return -EINVAL;
        u = calloc(1, sizeof(Unit));
        if (!u)
                return -ENOMEM;
        r = unit_name_to_instance(name, &u->instance);
        if (r < 0)
                goto fail;
        r = unit_index_find_fragment(l->index, name, &f, &names);
        if (r < 0)
                goto fail;
        r = unit_set_names(u, name, f, names);
        if (r < 0)
                goto fail;

        if (f && f->masked)
                u->state = UNIT_MASKED;
        else if (!f && fragment_required)
                u->state = UNIT_NOT_FOUND;
        if (u->state != UNIT_LOADED)
                goto done;

        if (f) {
                UnitFile uf = { .path = strdup(f->path), .is_fragment = true };

                if (!uf.path) {
                        r = -ENOMEM;
                        goto fail;
                }
                r = add_file(u, &cap, uf);
                if (r < 0)
                        goto fail;
                r = read_unit_file(l, &u->files[0], sections_for(u->id));
                if (r < 0)
                        goto fail;
                if (u->files[0].read_error || u->files[0].conf.error)
                        u->state = UNIT_BAD_SETTING;
                else if (u->files[0].masked)
                        u->state = UNIT_MASKED;
                if (u->state != UNIT_LOADED)
                        goto done;
        }

        r = unit_index_find_dropins(l->index, u->id, u->aliases, &cand, &n_cand, &u->our_order);
        if (r < 0)
                goto fail;
        for (size_t i = 0; i < n_cand; i++) {
                UnitFile uf = { .path = TAKE_PTR(cand[i].path), .order = cand[i].order };

                r = add_file(u, &cap, uf);
                if (r < 0)
                        goto fail;
                r = read_unit_file(l, &u->files[u->n_files - 1], sections_for(u->id));
                if (r < 0)
                        goto fail;
        }
done:
        u->spec = (SpecifierContext) {
                .id = u->id,
                /* systemd never loads a template, only its instances; we plan the template's
                 * drop-in for all of them, so instance specifiers need some value. */
                .instance = u->is_template ? TEMPLATE_INSTANCE : u->instance,
                .fragment_path = u->n_files > 0 && u->files[0].is_fragment ? u->files[0].path : NULL,
                .host = l->host,
        };
        dropin_candidates_free(cand, n_cand);
        *ret = u;
        return 0;
fail:
        dropin_candidates_free(cand, n_cand);
        unit_free(u);
        return r;
}

static int name_cmp(const void *a, const void *b) {
        return strcmp((*(UnitFile * const *) a)->name, (*(UnitFile * const *) b)->name);
}

int unit_active_dropins(const Unit *u, const UnitFile *extra, const UnitFile ***ret, size_t *ret_n) {
        const UnitFile **l;
        size_t n = 0;
        bool extra_done = !extra;

        l = calloc(u->n_files + 2, sizeof(UnitFile *));
        if (!l)
                return -ENOMEM;

        /* Walk the candidates in search order; the first file of a name wins. Our own
         * generated file never counts; a planned one (extra) takes its place. */
        for (size_t i = 0; i <= u->n_files; i++) {
                const UnitFile *c = i < u->n_files ? &u->files[i] : NULL;
                bool seen = false;

                if (c && c->is_fragment)
                        continue;
                if (!extra_done && (!c || c->order > u->our_order)) {
                        for (size_t j = 0; j < n; j++)
                                seen = seen || streq(l[j]->name, extra->name);
                        if (!seen)
                                l[n++] = extra;
                        extra_done = true;
                        seen = false;
                }
                if (!c || c->ours)
                        continue;
                if (extra && c->order == u->our_order && streq(c->name, extra->name))
                        continue;
                for (size_t j = 0; j < n; j++)
                        seen = seen || streq(l[j]->name, c->name);
                if (!seen)
                        l[n++] = c;
        }
        qsort(l, n, sizeof(UnitFile *), name_cmp);
        *ret = l;
        *ret_n = n;
        return 0;
}

const UnitFile *unit_dropin_shadowing_ours(const Unit *u) {
        for (size_t i = 0; i < u->n_files; i++)
                if (!u->files[i].is_fragment && u->files[i].order < u->our_order &&
                    streq(u->files[i].name, OUR_DROPIN_NAME))
                        return &u->files[i];
        return NULL;
}

const UnitFile *unit_foreign_file_at_our_path(const Unit *u) {
        for (size_t i = 0; i < u->n_files; i++)
                if (!u->files[i].is_fragment && u->files[i].order == u->our_order &&
                    streq(u->files[i].name, OUR_DROPIN_NAME) && !u->files[i].ours)
                        return &u->files[i];
        return NULL;
}

static int apply_file(Sandbox *sb, const Unit *u, const UnitFile *f, DiagList *diags) {
        for (size_t i = 0; i < f->conf.n_items; i++) {
                const ConfItem *it = &f->conf.items[i];
                AssignContext c = {
                        .spec = &u->spec,
                        .file = f->host_path,
                        .line = it->line,
                        .diags = diags,
                };
                int r = sandbox_assign(sb, &c, it->section, it->key, it->value);

                if (r == -ENOEXEC) {
                        if (f->is_fragment)
                                return r;
                        /* systemd stops reading a drop-in at a fatal value and keeps the rest. */
                        diag_add(diags, DIAG_WARNING, f->host_path, it->line,
                                 "systemd stops reading this drop-in here, ignoring the rest of it.");
                        return 0;
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

static int evaluate(const Unit *u, const UnitFile *extra, DiagList *diags, Sandbox *sb) {
        _cleanup_free_ const UnitFile **active = NULL;
        size_t n = 0;
        int r;

        sandbox_init(sb);
        if (u->n_files > 0 && u->files[0].is_fragment) {
                r = apply_file(sb, u, &u->files[0], diags);
                if (r < 0)
                        return r;
        }
        r = unit_active_dropins(u, extra, &active, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                r = apply_file(sb, u, active[i], diags);
                if (r < 0)
                        return r;
        }
        return sandbox_patch(sb);
}

/* slice_build_parent_slice(): "a-b-c.slice" → "a-b.slice" → "a.slice" → "-.slice". */
static int slice_chain(const char *slice, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *cur = strdup(slice);

        if (!cur)
                return -ENOMEM;
        for (;;) {
                char *dash;

                if (strv_extend(&l, cur) < 0)
                        return -ENOMEM;
                if (streq(cur, "-.slice"))
                        break;
                cur[strlen(cur) - strlen(".slice")] = '\0';
                dash = strrchr(cur, '-');
                if (dash) {
                        strcpy(dash, ".slice");
                } else {
                        free(cur);
                        cur = strdup("-.slice");
                        if (!cur)
                                return -ENOMEM;
                }
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* unit_set_default_slice(): instances (and, for us, templates) get a per-template slice. */
static char *default_slice(const Unit *u) {
        _cleanup_free_ char *prefix = NULL, *escaped = NULL;

        if (!u->instance && !u->is_template)
                return strdup("system.slice");
        if (unit_name_to_prefix(u->id, &prefix) < 0)
                return NULL;
        escaped = unit_name_escape(prefix);
        return escaped ? strjoin("system-", escaped, ".slice") : NULL;
}

static int slice_view(Loader *l, const char *name, const UnitView **ret) {
        _cleanup_(unit_freep) Unit *u = NULL;
        UnitView v = {};
        int r;

        for (size_t i = 0; i < l->slices.n; i++)
                if (streq(l->slices.names[i], name)) {
                        *ret = &l->slices.views[i];
                        return 0;
                }
        r = unit_load(l, name, false, &u);
        if (r < 0)
                return r;
        if (u->state == UNIT_LOADED) {
                r = evaluate(u, NULL, l->diags, &v.sb);
                if (r == -ENOMEM) {
                        sandbox_done(&v.sb);
                        return r;
                }
        } else
                sandbox_init(&v.sb);
        if (GROW(l->slices.views, l->slices.cap, l->slices.n + 1) < 0 ||
            strv_extend(&l->slices.names, name) < 0) {
                sandbox_done(&v.sb);
                return -ENOMEM;
        }
        l->slices.views[l->slices.n] = v;
        *ret = &l->slices.views[l->slices.n++];
        return 0;
}

void unit_view_done(UnitView *v) {
        sandbox_done(&v->sb);
        ip_prefix_set_clear(&v->ip_allow);
        ip_prefix_set_clear(&v->ip_deny);
        strv_free(v->slices);
        *v = (UnitView) {};
}

static int union_into(IPPrefixSet *dst, const IPPrefixSet *src) {
        for (size_t i = 0; i < src->n; i++)
                if (ip_prefix_set_add(dst, &src->items[i]) < 0)
                        return -ENOMEM;
        return 0;
}

int unit_view(Loader *l, const Unit *u, const UnitFile *extra, DiagList *diags, UnitView *ret) {
        _cleanup_free_ char *slice = NULL;
        int r;

        *ret = (UnitView) {};
        r = evaluate(u, extra, diags, &ret->sb);
        if (r < 0)
                goto fail;
        r = -ENOMEM;
        if (union_into(&ret->ip_allow, &ret->sb.ip_allow) < 0 || union_into(&ret->ip_deny, &ret->sb.ip_deny) < 0)
                goto fail;
        if (endswith(u->id, ".slice"))
                return 0;

        slice = ret->sb.slice ? strdup(ret->sb.slice) : default_slice(u);
        if (!slice || slice_chain(slice, &ret->slices) < 0)
                goto fail;
        STRV_FOREACH(s, ret->slices) {
                const UnitView *sv;

                r = slice_view(l, *s, &sv);
                if (r < 0)
                        goto fail;
                r = -ENOMEM;
                if (union_into(&ret->ip_allow, &sv->sb.ip_allow) < 0 || union_into(&ret->ip_deny, &sv->sb.ip_deny) < 0)
                        goto fail;
        }
        return 0;
fail:
        unit_view_done(ret);
        return r;
}

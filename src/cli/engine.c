/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "engine.h"
#include "macro.h"
#include "strv.h"
#include "unit-name.h"
#include "writer.h"

const char *unit_load_state_to_string(UnitLoadState s) {
        static const char *const t[] = { "loaded", "not-found", "masked", "bad-setting" };
        return t[s];
}

int engine_open(Engine *e, const char *root, const char *rules_dir, char **ret_error) {
        int r;

        *e = (Engine) { .root = { .fd = -1 }, .output_fd = -1 };
        *ret_error = NULL;
        r = root_init(&e->root, root);
        if (r < 0) {
                asprintf_safe(ret_error, "cannot use root directory '%s': %s", root, strerror(-r));
                return r;
        }
        r = host_info_load(&e->host, &e->root);
        if (r >= 0)
                r = facts_load(&e->facts, &e->root, &e->diags);
        if (r >= 0)
                r = rules_load(&e->rules, &e->root, rules_dir, &e->diags);
        if (r >= 0)
                r = facts_load_for_rules(&e->facts, &e->root, &e->rules, &e->diags);
        if (r >= 0)
                r = unit_index_load(&e->index, &e->root, &e->diags);
        if (r >= 0) {
                e->output_fd = writer_open_output(&e->root);
                r = e->output_fd == -ENOMEM ? -ENOMEM : 0;
        }
        if (r < 0) {
                asprintf_safe(ret_error, "cannot inspect '%s': %s", root, strerror(-r));
                return r;
        }
        loader_init(&e->loader, &e->index, &e->host, &e->diags);
        return 0;
}

static void view_free(UnitView **v) {
        if (!*v)
                return;
        unit_view_done(*v);
        free(*v);
        *v = NULL;
}

/* What only explain shows: the sandboxes, the PAM stacks, the executables. */
static void release_details(UnitResult *u) {
        view_free(&u->base);
        view_free(&u->current);
        pam_use_list_done(&u->pam);
        exec_abi_list_done(&u->exec);
}

/* Lean mode, once the unit is planned: that, and the parsed text of its files; with
 * lean_needs its needs too (the plan's lines then point to none). */
static void release_planned(const Engine *e, UnitResult *u) {
        release_details(u);
        for (size_t i = 0; i < u->unit->n_files; i++)
                conf_file_done(&u->unit->files[i].conf);
        if (!e->lean_needs)
                return;
        for (size_t i = 0; i < u->plan.n; i++)
                u->plan.lines[i].need = NULL;
        need_list_done(&u->needs);
}

static void unit_result_done(UnitResult *u) {
        unit_free(u->unit);
        if (u->viewed) {
                release_details(u);
                need_list_done(&u->needs);
                strv_free(u->mail);
                plan_done(&u->plan);
        }
        free(u->current_text);
        *u = (UnitResult) {};
}

void engine_close(Engine *e) {
        for (size_t i = 0; i < e->n_units; i++)
                unit_result_done(&e->units[i]);
        free(e->units);
        loader_done(&e->loader);
        nss_needs_cache_done(&e->nss_needs);
        unit_index_done(&e->index);
        rules_done(&e->rules);
        facts_done(&e->facts);
        host_info_done(&e->host);
        diag_list_done(&e->diags);
        if (e->output_fd >= 0)
                close(e->output_fd);
        if (e->root.path)
                root_done(&e->root);
        *e = (Engine) { .output_fd = -1 };
}

/* Our file NAME of the unit's drop-in directory, NULL when there is none. One that cannot
 * be read (a symlink planted at its path, EACCES, EIO) is said, naming it, and taken as
 * absent: the writer then refuses that path with the same reason, the other units go on. */
static int read_ours_or_say(Engine *e, const char *unit, const char *name, char **ret) {
        _cleanup_free_ char *dir = strjoin(unit, ".d"), *path = NULL, *hp = NULL;
        int r;

        *ret = NULL;
        if (!dir)
                return -ENOMEM;
        /* most units have no drop-in directory there: the index, listed once, says so */
        if (unit_index_output_absent(&e->index, dir))
                return 0;
        r = writer_read_file(e->output_fd, unit, name, ret);
        if (r >= 0 || r == -ENOMEM)
                return r;
        path = strjoin(UNIT_OUTPUT_DIR "/", unit, ".d/", name);
        hp = path ? root_host_path(&e->root, path) : NULL;
        if (!hp)
                return -ENOMEM;
        return diag_add(&e->diags, DIAG_ERROR, hp, 0, "cannot read: %s", strerror(-r));
}

static const UnitFile *our_current_file(const Unit *u) {
        for (size_t i = 0; i < u->n_files; i++)
                if (u->files[i].ours && u->files[i].order == u->our_order)
                        return &u->files[i];
        return NULL;
}

/* The PAM services the unit runs: see pam-use.h. */
static int find_pam_use(Engine *e, const Unit *u, const Sandbox *sb, PamUseList *ret) {
        const OriginList *o = &sb->origins[SETTING_PAM_NAME];
        _cleanup_free_ char *tmpl = NULL, *origin = NULL;
        _cleanup_strv_free_ char **paths = NULL;
        PamUnitInfo info = { .id = u->id, .pam_name = sb->pam_name };

        if (u->instance && unit_name_template(u->id, &tmpl) < 0)
                return -ENOMEM;
        info.template_id = tmpl;
        if (sb->pam_name && o->n > 0 && asprintf_safe(&origin, "%s:%u", o->items[o->n - 1].file, o->items[o->n - 1].line) < 0)
                return -ENOMEM;
        info.pam_name_origin = origin ? origin : "unit file";
        for (size_t i = 0; i < sb->n_exec; i++)
                /* "+" runs with no sandbox at all: whatever it does, nothing here limits it. */
                if (!(sb->exec[i].flags & EXEC_FULLY_PRIVILEGED) && sb->exec[i].path &&
                    strv_extend_uniq(&paths, sb->exec[i].path) < 0)
                        return -ENOMEM;
        info.exec_paths = paths;
        return pam_use_find(&e->facts, &e->root, &e->rules, &info, ret, &e->diags);
}

static int plan_loaded(Engine *e, UnitResult *res) {
        Unit *u = res->unit;
        int r;

        res->base = calloc(1, sizeof(UnitView));
        res->current = calloc(1, sizeof(UnitView));
        if (!res->base || !res->current) {
                free(res->base);
                free(res->current);
                res->base = res->current = NULL;
                return -ENOMEM;
        }
        r = unit_view(&e->loader, u, NULL, &e->diags, res->base);
        if (r < 0) {
                free(res->base);
                free(res->current);
                res->base = res->current = NULL;
        }
        if (r == -ENOEXEC) {
                res->error = r;
                diag_add(&e->diags, DIAG_ERROR, u->files[0].host_path, 0,
                         "systemd refuses this unit (bad setting above), skipping %s.", u->id);
                return 0;
        }
        if (r < 0)
                return r;
        r = unit_view(&e->loader, u, our_current_file(u), NULL, res->current);
        if (r < 0) {
                view_free(&res->base);
                free(res->current);
                res->current = NULL;
                return r;
        }
        res->ip_denied = res->current->ip_deny.n > 0;
        res->viewed = true;
        r = find_pam_use(e, u, &res->base->sb, &res->pam);
        if (r < 0)
                return r;
        r = exec_abi_find_for_unit(&e->facts, &e->root, u, &res->base->sb, &res->exec, &e->diags);
        if (r < 0)
                return r;
        r = mail_use_find_for_unit(&e->facts, &e->root, &e->rules, u, &res->base->sb, &res->mail);
        if (r < 0)
                return r;
        r = needs_compute_cached(&e->nss_needs, &e->facts, &e->rules, res->base, &res->pam, &res->exec, res->mail,
                                 &res->needs);
        if (r < 0)
                return r;
        r = plan_build(u, res->base, &res->needs, &res->plan);
        if (r < 0)
                return r;
        r = plan_verify(&e->loader, u, res->base, &res->plan);
        if (r < 0)
                return r;
        for (size_t i = 0; i < res->plan.n_files && res->plan.text; i++) {
                _cleanup_free_ char *cur = NULL;

                r = read_ours_or_say(e, u->id, res->plan.files[i].name, &cur);
                if (r < 0)
                        return r;
                res->files_differ = res->files_differ || !streq_ptr(cur, res->plan.files[i].text);
        }
        r = read_ours_or_say(e, u->id, OUR_DROPIN_NAME, &res->current_text);
        if (r >= 0 && e->lean)
                release_planned(e, res);
        return r;
}

static int add_result(Engine *e, Unit *u, UnitResult **ret) {
        if (GROW(e->units, e->cap, e->n_units + 1) < 0) {
                unit_free(u);
                return -ENOMEM;
        }
        e->units[e->n_units] = (UnitResult) { .unit = u };
        *ret = &e->units[e->n_units++];
        return 0;
}

int engine_plan_unit(Engine *e, const char *name, UnitResult **ret) {
        Unit *u = NULL;
        UnitResult *res;
        int r;

        r = unit_load(&e->loader, name, true, &u);
        if (r < 0)
                return r;
        r = add_result(e, u, &res);
        if (r < 0)
                return r;
        *ret = res;
        if (u->state != UNIT_LOADED)
                return -ENOENT;
        return plan_loaded(e, res);
}

int engine_plan_all(Engine *e) {
        for (size_t i = 0; i < e->index.n_entries; i++) {
                const UnitEntry *x = &e->index.entries[i];
                UnitResult *res;
                int r;

                if (x->alias || !endswith(x->name, ".service"))
                        continue;
                if (x->masked) {
                        e->n_masked++;
                        continue;
                }
                r = engine_plan_unit(e, x->name, &res);
                if (r == -ENOENT) {
                        e->n_masked += res->unit->state == UNIT_MASKED;
                        continue;
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

int engine_wanted(Engine *e, WantedDropin **ret, size_t *ret_n) {
        WantedDropin *w = calloc(e->n_units + 1, sizeof(WantedDropin));
        size_t n = 0;

        if (!w)
                return -ENOMEM;
        for (size_t i = 0; i < e->n_units; i++) {
                UnitResult *u = &e->units[i];

                if (!u->viewed || !u->plan.text || u->plan.blocked)
                        continue;
                for (size_t k = 0; k < u->plan.n_files; k++)
                        u->files[k] = (WantedFile) { .name = u->plan.files[k].name, .text = u->plan.files[k].text,
                                                     .mode = u->plan.files[k].mode };
                w[n++] = (WantedDropin) { .unit = u->unit->id, .text = u->plan.text, .files = u->files,
                                          .n_files = u->plan.n_files };
        }
        *ret = w;
        *ret_n = n;
        return 0;
}

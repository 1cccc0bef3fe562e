/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "macro.h"
#include "names.h"
#include "strv.h"

/* One message, one line: a control character from a file name, a file's contents or an
 * argument (a unit name given as $'a\nb') is shown C-style, so that nothing it contains
 * can break the line or forge another "hardening-compat: " line. */
void print_error(const char *fmt, ...) {
        _cleanup_free_ char *s = NULL, *line = NULL;
        va_list ap;
        char *o;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        /* stderr is unbuffered: the line is built first and written at once */
        line = r < 0 ? NULL : malloc(sizeof "hardening-compat: " + 4 * (size_t) r + 2);
        if (!line) {
                fputs("hardening-compat: out of memory\n", stderr);
                return;
        }
        o = stpcpy(line, "hardening-compat: ");
        for (const unsigned char *c = (const unsigned char *) s; *c; c++)
                if (*c == '\n')
                        o = stpcpy(o, "\\n");
                else if (*c == '\t')
                        o = stpcpy(o, "\\t");
                else if (*c < 0x20 || *c == 0x7f)
                        o += sprintf(o, "\\x%02x", *c);
                else
                        *o++ = (char) *c;
        *o++ = '\n';
        fwrite(line, 1, (size_t) (o - line), stderr);
}

void print_diags(const DiagList *d, bool notices) {
        for (size_t i = 0; i < d->n; i++) {
                const Diag *x = &d->items[i];

                if (x->level == DIAG_NOTICE && !notices)
                        continue;
                if (x->file && x->line)
                        print_error("%s:%u: %s", x->file, x->line, x->message);
                else if (x->file)
                        print_error("%s: %s", x->file, x->message);
                else
                        print_error("%s", x->message);
        }
}

void print_json(json_object *o, JsonMode mode) {
        int flags = mode == JSON_PRETTY ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN;

        puts(json_object_to_json_string_ext(o, flags | JSON_C_TO_STRING_NOSLASHESCAPE));
}

const char *dropin_status(const UnitResult *u) {
        if (!u->viewed)
                return u->current_text ? "remove" : "none";
        if (u->plan.blocked)
                return "blocked";
        if (!u->plan.text)
                return u->current_text ? "remove" : "none";
        if (!u->current_text)
                return "create";
        return streq(u->current_text, u->plan.text) && !u->files_differ ? "unchanged" : "update";
}

json_object *json_strv_new(char * const *l) {
        json_object *a = json_object_new_array();

        STRV_FOREACH(s, (char **) l)
                json_object_array_add(a, json_object_new_string(*s));
        return a;
}

json_object *json_diags(const DiagList *d) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; i < d->n; i++) {
                json_object *o = json_object_new_object();

                json_object_object_add(o, "level", json_object_new_string(diag_level_to_string(d->items[i].level)));
                if (d->items[i].file)
                        json_object_object_add(o, "file", json_object_new_string(d->items[i].file));
                if (d->items[i].line)
                        json_object_object_add(o, "line", json_object_new_int((int) d->items[i].line));
                json_object_object_add(o, "message", json_object_new_string(d->items[i].message));
                json_object_array_add(a, o);
        }
        return a;
}

/* The settings the fidelity oracle compares, rendered as systemctl show prints them. */
static const Setting shown[] = {
        SETTING_RESTRICT_ADDRESS_FAMILIES, SETTING_SYSTEM_CALL_ARCHITECTURES,
        SETTING_IP_ADDRESS_ALLOW, SETTING_IP_ADDRESS_DENY, SETTING_CAPABILITY_BOUNDING_SET,
        SETTING_READ_WRITE_PATHS, SETTING_PROTECT_SYSTEM, SETTING_PRIVATE_NETWORK,
        SETTING_USER, SETTING_DYNAMIC_USER, SETTING_NO_NEW_PRIVILEGES, SETTING_PAM_NAME,
        SETTING_SUPPLEMENTARY_GROUPS, SETTING_AMBIENT_CAPABILITIES,
        SETTING_READ_ONLY_PATHS, SETTING_INACCESSIBLE_PATHS, SETTING_PROTECT_HOME, SETTING_PRIVATE_DEVICES,
        SETTING_PRIVATE_TMP, SETTING_PRIVATE_USERS, SETTING_RESTRICT_NAMESPACES, SETTING_DEVICE_POLICY,
        SETTING_DEVICE_ALLOW, SETTING_BIND_PATHS, SETTING_BIND_READ_ONLY_PATHS,
};

static json_object *json_origins(const OriginList *l) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; i < l->n; i++) {
                json_object *o = json_object_new_object();

                json_object_object_add(o, "file", json_object_new_string(l->items[i].file));
                json_object_object_add(o, "line", json_object_new_int((int) l->items[i].line));
                json_object_object_add(o, "value", json_object_new_string(l->items[i].value));
                json_object_array_add(a, o);
        }
        return a;
}

static json_object *json_settings(const UnitView *v) {
        json_object *o = json_object_new_object();

        for (size_t i = 0; i < ELEMENTSOF(shown); i++) {
                _cleanup_free_ char *val = sandbox_format(&v->sb, shown[i]);
                json_object *s = json_object_new_object();

                json_object_object_add(s, "value", json_object_new_string(strempty(val)));
                json_object_object_add(s, "origins", json_origins(&v->sb.origins[shown[i]]));
                json_object_object_add(o, setting_to_string(shown[i]), s);
        }
        return o;
}

static json_object *json_prefixes(const IPPrefixSet *s) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; i < s->n; i++) {
                char buf[IP_PREFIX_STRLEN];

                json_object_array_add(a, json_object_new_string(ip_prefix_to_string(&s->items[i], buf)));
        }
        return a;
}

static json_object *json_effective(const UnitView *v) {
        json_object *o = json_object_new_object();

        json_object_object_add(o, "NoNewPrivileges", json_object_new_boolean(
                        sandbox_nnp_in_effect(&v->sb, sandbox_user_is_root(&v->sb))));
        json_object_object_add(o, "IPAddressAllow", json_prefixes(&v->ip_allow));
        json_object_object_add(o, "IPAddressDeny", json_prefixes(&v->ip_deny));
        json_object_object_add(o, "Slices", json_strv_new(v->slices));
        return o;
}

static json_object *json_need(const Need *n) {
        json_object *o = json_object_new_object(), *ev = json_object_new_array();

        _cleanup_free_ char *v = need_value_string(n);

        json_object_object_add(o, "kind", json_object_new_string(need_kind_to_string(n->kind)));
        json_object_object_add(o, "value", json_object_new_string(strempty(v)));
        for (size_t i = 0; i < n->n_reasons; i++)
                json_object_array_add(ev, json_object_new_string(n->reasons[i].chain));
        json_object_object_add(o, "evidence", ev);
        return o;
}

static json_object *json_files(const Unit *u) {
        json_object *a = json_object_new_array();
        _cleanup_free_ const UnitFile **active = NULL;
        size_t n = 0;

        if (unit_active_dropins(u, NULL, &active, &n) < 0)
                return a;
        for (size_t i = 0; i < u->n_files; i++) {
                const UnitFile *f = &u->files[i];
                json_object *o = json_object_new_object();
                bool applied = f->is_fragment || f->ours;

                for (size_t k = 0; k < n; k++)
                        applied = applied || active[k] == f;
                json_object_object_add(o, "path", json_object_new_string(f->host_path));
                json_object_object_add(o, "kind", json_object_new_string(f->is_fragment ? "fragment" : "drop-in"));
                json_object_object_add(o, "applied", json_object_new_boolean(applied && !f->masked && !f->read_error));
                if (f->ours)
                        json_object_object_add(o, "ours", json_object_new_boolean(true));
                if (f->masked)
                        json_object_object_add(o, "masked", json_object_new_boolean(true));
                json_object_array_add(a, o);
        }
        return a;
}

static json_object *json_pam(const Engine *e, const PamUseList *l) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; i < l->n; i++) {
                const PamUse *u = &l->items[i];
                json_object *o = json_object_new_object(), *stack = json_object_new_array();

                json_object_object_add(o, "service", json_object_new_string(u->service));
                json_object_object_add(o, "scope", json_object_new_string(pam_scope_to_string(u->scope)));
                json_object_object_add(o, "evidence", json_strv_new(u->evidence));
                for (size_t k = 0; u->stack && k < u->stack->n; k++) {
                        const PamEntry *x = &u->stack->entries[k];
                        const Rule *r = rules_find_pam(&e->rules, x->module_name, x->args);
                        json_object *j = json_object_new_object();

                        json_object_object_add(j, "type", json_object_new_string(pam_type_to_string(x->type)));
                        json_object_object_add(j, "control", json_object_new_string(x->control));
                        json_object_object_add(j, "module", json_object_new_string(x->module_name));
                        json_object_object_add(j, "path", x->module_path ? json_object_new_string(x->module_path) : NULL);
                        json_object_object_add(j, "where", json_object_new_string(x->chain));
                        json_object_object_add(j, "rule", r ? json_object_new_string(r->file_name) : NULL);
                        json_object_array_add(stack, j);
                }
                json_object_object_add(o, "stack", stack);
                json_object_array_add(a, o);
        }
        return a;
}

static json_object *json_string_or_null(const char *s) {
        return s ? json_object_new_string(s) : NULL;
}

static json_object *json_exec(const ExecAbiList *l) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; i < l->n; i++) {
                const ExecAbi *x = &l->items[i];
                json_object *o = json_object_new_object();
                _cleanup_free_ char *how = x->error ? NULL : exec_abi_how(x);

                json_object_object_add(o, "setting", json_string_or_null(x->key));
                json_object_object_add(o, x->key ? "origin" : "shipped_by", json_object_new_string(x->origin));
                json_object_object_add(o, "command", json_object_new_string(x->command));
                json_object_object_add(o, "file", json_string_or_null(x->file));
                json_object_object_add(o, "elf", json_string_or_null(x->elf));
                json_object_object_add(o, "interpreters", json_strv_new(x->interpreters));
                json_object_object_add(o, "abi", json_string_or_null(x->abi));
                json_object_object_add(o, "elf_header", json_string_or_null(x->description));
                json_object_object_add(o, "packages", json_strv_new(x->packages));
                json_object_object_add(o, "how", json_string_or_null(how));
                json_object_object_add(o, "error", json_string_or_null(x->error));
                json_object_array_add(a, o);
        }
        return a;
}

json_object *json_unit(const Engine *e, const UnitResult *u, bool details) {
        json_object *o = json_object_new_object(), *needs, *d;

        json_object_object_add(o, "unit", json_object_new_string(u->unit->id));
        json_object_object_add(o, "state", json_object_new_string(
                        u->error ? "bad-setting" : unit_load_state_to_string(u->unit->state)));
        if (details) {
                json_object_object_add(o, "aliases", json_strv_new(u->unit->aliases));
                json_object_object_add(o, "files", json_files(u->unit));
        }
        if (!u->viewed)
                return o;
        if (details) {
                json_object_object_add(o, "settings", json_settings(u->current));
                json_object_object_add(o, "effective", json_effective(u->current));
        }
        needs = json_object_new_array();
        for (size_t i = 0; i < u->needs.n; i++)
                json_object_array_add(needs, json_need(&u->needs.items[i]));
        json_object_object_add(o, "needs", needs);
        json_object_object_add(o, "unknown_services", json_strv_new(u->needs.unknown));
        json_object_object_add(o, "unconfinable", json_strv_new(u->needs.unconfinable));
        if (details) {
                json_object_object_add(o, "pam", json_pam(e, &u->pam));
                json_object_object_add(o, "pam_notes", json_strv_new(u->pam.notes));
                json_object_object_add(o, "exec", json_exec(&u->exec));
                json_object_object_add(o, "mail", json_strv_new(u->mail));
                json_object_object_add(o, "notes", json_strv_new(u->needs.notes));
        }

        d = json_object_new_object();
        json_object_object_add(d, "path", json_object_new_string(u->plan.path));
        json_object_object_add(d, "status", json_object_new_string(dropin_status(u)));
        json_object_object_add(d, "content", u->plan.text ? json_object_new_string(u->plan.text) : NULL);
        {
                json_object *files = json_object_new_array();

                for (size_t i = 0; u->plan.text && i < u->plan.n_files; i++) {
                        json_object *f = json_object_new_object();

                        json_object_object_add(f, "name", json_object_new_string(u->plan.files[i].name));
                        json_object_object_add(f, "mode", json_object_new_int((int) u->plan.files[i].mode));
                        json_object_object_add(f, "content", json_object_new_string(u->plan.files[i].text));
                        json_object_array_add(files, f);
                }
                json_object_object_add(d, "files", files);
        }
        json_object_object_add(o, "dropin", d);
        json_object_object_add(o, "unmet", json_strv_new(u->plan.unmet));
        return o;
}

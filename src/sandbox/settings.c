/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The key table: one row per unit file key we model, with the parser systemd 252 uses
 * for it (src/core/load-fragment-gperf.gperf.in). Each parser reproduces the merge rule
 * of its systemd counterpart — empty value resets, "~" inverts, lists accumulate — and
 * reports problems in systemd's words. Keys not in the table are ignored: systemd knows
 * them, and they do not change what a module inside the sandbox can reach.
 */

#include <limits.h>
#include <linux/capability.h>
#include <sched.h>
#include <strings.h>
#include <sys/socket.h>

#include "extract-word.h"
#include "macro.h"
#include "names.h"
#include "sandbox.h"
#include "strv.h"
#include "unit-name.h"

#define SECTION_SERVICE (1 << 0)
#define SECTION_SLICE   (1 << 1)

typedef int (*AssignFn)(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data);

typedef struct KeyRow {
        const char *key;
        unsigned sections;
        Setting setting;
        AssignFn parse;
        size_t offset;
} KeyRow;

#define FIELD(f) offsetof(Sandbox, f)

/* systemd's log_syntax() wording: "<problem>, ignoring: <value>". */
#define WARN(c, ...) diag_add((c)->diags, DIAG_WARNING, (c)->file, (c)->line, __VA_ARGS__)

/* config_parse_bool(); DynamicUser= is the one "fatal" boolean among ours. */
static int assign_bool(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        bool *b = data;
        int r = parse_boolean(value);

        (void) s;
        if (r < 0) {
                bool fatal = streq(key, "DynamicUser");

                diag_add(c->diags, fatal ? DIAG_ERROR : DIAG_WARNING, c->file, c->line,
                         "failed to parse boolean value%s: %s", fatal ? "" : ", ignoring", value);
                return fatal ? -ENOEXEC : 0;
        }
        *b = r;
        return 0;
}

static int expand(const AssignContext *c, const char *in, char **out) {
        int r = specifier_expand(c->spec, in, out);

        if (r == -ENOMEM)
                return r;
        return r < 0 ? -EINVAL : 0;
}

/* config_parse_address_families() */
static int assign_address_families(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        bool invert = false;
        const char *p;
        int r;

        (void) key, (void) data;
        if (isempty(value)) {
                s->af_set_exists = false;
                s->af_set = 0;
                s->af_allow_list = false;
                return 0;
        }
        if (streq(value, "none")) {
                s->af_set_exists = false;
                s->af_set = 0;
                s->af_allow_list = true;
                return 0;
        }
        if (value[0] == '~') {
                invert = true;
                value++;
        }
        if (!s->af_set_exists) {
                s->af_set_exists = true;
                s->af_set = 0;
                s->af_allow_list = !invert;
        }
        for (p = value;;) {
                _cleanup_free_ char *w = NULL;
                int af;

                r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        WARN(c, "invalid syntax, ignoring: %s", value);
                        return 0;
                }
                if (r == 0)
                        return 0;
                af = af_from_name(w);
                if (af < 0 || af >= AF_BITS) {
                        WARN(c, "failed to parse address family, ignoring: %s", w);
                        continue;
                }
                /* The same polarity adds; the other one removes from the list. */
                if (!invert == s->af_allow_list)
                        s->af_set |= UINT64_C(1) << af;
                else
                        s->af_set &= ~(UINT64_C(1) << af);
        }
}

static bool is_localhost(const char *h) {
        static const char *const exact[] = { "localhost", "localhost.", "localhost.localdomain", "localhost.localdomain." };
        static const char *const tails[] = { ".localhost", ".localhost.", ".localhost.localdomain", ".localhost.localdomain." };
        size_t l = strlen(h);

        for (size_t i = 0; i < ELEMENTSOF(exact); i++)
                if (strcasecmp(h, exact[i]) == 0)
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(tails); i++) {
                size_t t = strlen(tails[i]);
                if (l >= t && strcasecmp(h + l - t, tails[i]) == 0)
                        return true;
        }
        return false;
}

/* config_parse_in_addr_prefixes(): words split without unquoting. */
static int assign_in_addr_prefixes(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        IPPrefixSet *set = data;
        const char *p;
        int r;

        (void) s, (void) key;
        if (isempty(value)) {
                ip_prefix_set_clear(set);
                return 0;
        }
        for (p = value;;) {
                _cleanup_free_ char *w = NULL;
                IPPrefix a;

                r = extract_first_word(&p, &w, NULL, 0);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        WARN(c, "invalid syntax, ignoring: %s", value);
                        return 0;
                }
                if (r == 0)
                        return 0;
                r = ip_prefix_set_add_keyword(set, is_localhost(w) ? "localhost" : w);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                if (ip_prefix_parse(w, &a) < 0) {
                        WARN(c, "address prefix is invalid, ignoring assignment: %s", w);
                        continue;
                }
                r = ip_prefix_set_add(set, &a);
                if (r < 0)
                        return r;
        }
}

/* config_parse_syscall_archs(): a union; empty resets. */
static int assign_syscall_archs(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        const char *p;
        int r;

        (void) key, (void) data;
        if (isempty(value)) {
                s->archs = 0;
                return 0;
        }
        for (p = value;;) {
                _cleanup_free_ char *w = NULL;
                int a;

                r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        WARN(c, "invalid syntax, ignoring: %s", value);
                        return 0;
                }
                if (r == 0)
                        return 0;
                a = seccomp_arch_from_name(w);
                if (a < 0) {
                        WARN(c, "failed to parse system call architecture \"%s\", ignoring.", w);
                        continue;
                }
                s->archs |= UINT32_C(1) << a;
        }
}

/* config_parse_capability_set(): note the quirk that a positive list *replaces* a set
 * still equal to its initial value (everything for the bounding set, nothing for the
 * ambient set), and that "" or "~" replace too. */
static int assign_capability_set(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        uint64_t *set = data, sum = 0;
        uint64_t initial = streq(key, "CapabilityBoundingSet") ? UINT64_MAX : 0;
        bool invert = false;
        const char *p;

        (void) s, (void) c;
        if (value[0] == '~') {
                invert = true;
                value++;
        }
        for (p = value;;) {
                _cleanup_free_ char *w = NULL;
                int r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE), cap;

                if (r == -ENOMEM)
                        return r;
                if (r <= 0)
                        break;
                cap = capability_from_name(w);
                if (cap >= 0)
                        sum |= UINT64_C(1) << cap;
        }
        if (sum == 0 || *set == initial)
                *set = invert ? ~sum : sum;
        else if (invert)
                *set &= ~sum;
        else
                *set |= sum;
        return 0;
}

static int assign_protect_system(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        int b = parse_boolean(value);

        (void) key, (void) data;
        if (b >= 0)
                s->protect_system = b ? PROTECT_SYSTEM_YES : PROTECT_SYSTEM_NO;
        else if (streq(value, "full"))
                s->protect_system = PROTECT_SYSTEM_FULL;
        else if (streq(value, "strict"))
                s->protect_system = PROTECT_SYSTEM_STRICT;
        else
                WARN(c, "failed to parse protect system value, ignoring: %s", value);
        return 0;
}

static int assign_protect_home(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        int b = parse_boolean(value);

        (void) key, (void) data;
        if (b >= 0)
                s->protect_home = b ? PROTECT_HOME_YES : PROTECT_HOME_NO;
        else if (streq(value, "read-only"))
                s->protect_home = PROTECT_HOME_READ_ONLY;
        else if (streq(value, "tmpfs"))
                s->protect_home = PROTECT_HOME_TMPFS;
        else
                WARN(c, "failed to parse protect home value, ignoring: %s", value);
        return 0;
}

/* parse_uid(): decimal, no sign, no leading zero, and not one of the two invalid UIDs. */
static bool is_uid(const char *u) {
        unsigned long long v = 0;

        if (isempty(u) || (u[0] == '0' && u[1]) || strspn(u, "0123456789") != strlen(u) || strlen(u) > 10)
                return false;
        for (const char *p = u; *p; p++)
                v = v * 10 + (unsigned) (*p - '0');
        return v < UINT32_MAX && v != 65535;
}

/* valid_user_group_name(VALID_USER_ALLOW_NUMERIC|VALID_USER_RELAX), what User= and
 * SupplementaryGroups= accept: nearly anything but control characters, ':', '/',
 * surrounding blanks, "." and "..", and all-digit strings that are no valid UID. */
static bool valid_user_name(const char *u) {
        if (isempty(u))
                return false;
        if (is_uid(u))
                return true;
        if (u[0] == ' ' || endswith(u, " "))
                return false;
        for (const char *p = u; *p; p++)
                if ((unsigned char) *p < ' ' || *p == 0x7f || *p == ':' || *p == '/')
                        return false;
        if (strspn(u, "0123456789") == strlen(u) ||
            (u[0] == '-' && strspn(u + 1, "0123456789") == strlen(u + 1)))
                return false;
        return !streq(u, ".") && !streq(u, "..");
}

static int assign_user(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        _cleanup_free_ char *k = NULL;
        char **user = data;
        int r;

        (void) s, (void) key;
        if (isempty(value)) {
                free(*user);
                *user = NULL;
                return 0;
        }
        r = expand(c, value, &k);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                diag_add(c->diags, DIAG_ERROR, c->file, c->line, "failed to resolve unit specifiers in %s", value);
                return -ENOEXEC;
        }
        if (!valid_user_name(k)) {
                diag_add(c->diags, DIAG_ERROR, c->file, c->line, "invalid user/group name or numeric ID: %s", k);
                return -ENOEXEC;
        }
        free(*user);
        *user = TAKE_PTR(k);
        return 0;
}

/* config_parse_user_group_strv_compat(): SupplementaryGroups=, a list; empty resets. Words
 * are split without unquoting (quotes are part of the name), and every problem is fatal. */
static int assign_user_list(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        char ***l = data;
        const char *p;

        (void) s, (void) key;
        if (isempty(value)) {
                *l = strv_free(*l);
                return 0;
        }
        for (p = value;;) {
                _cleanup_free_ char *w = NULL, *k = NULL;
                int r = extract_first_word(&p, &w, NULL, 0);

                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        diag_add(c->diags, DIAG_ERROR, c->file, c->line, "invalid syntax: %s", value);
                        return -ENOEXEC;
                }
                if (r == 0)
                        return 0;
                r = expand(c, w, &k);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        diag_add(c->diags, DIAG_ERROR, c->file, c->line, "failed to resolve unit specifiers in %s", w);
                        return -ENOEXEC;
                }
                if (!valid_user_name(k)) {
                        diag_add(c->diags, DIAG_ERROR, c->file, c->line, "invalid user/group name or numeric ID: %s", k);
                        return -ENOEXEC;
                }
                r = strv_consume(l, TAKE_PTR(k));
                if (r < 0)
                        return r;
        }
}

/* config_parse_namespace_path_strv(): ReadWritePaths= with "-" and "+" prefixes. */
static int assign_path_list(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        char ***l = data;
        const char *p;

        (void) s, (void) key;
        if (isempty(value)) {
                *l = strv_free(*l);
                return 0;
        }
        for (p = value;;) {
                _cleanup_free_ char *w = NULL, *resolved = NULL, *simple = NULL;
                const char *q;
                bool ignore_enoent = false, prefix = false;
                int r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE);

                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        WARN(c, "failed to extract first word, ignoring: %s", value);
                        return 0;
                }
                if (r == 0)
                        return 0;
                q = w;
                if (*q == '-') {
                        ignore_enoent = true;
                        q++;
                }
                if (*q == '+') {
                        prefix = true;
                        q++;
                }
                r = expand(c, q, &resolved);
                if (r == -ENOMEM)
                        return r;
                if (r < 0 || resolved[0] != '/') {
                        WARN(c, "%s= path is not absolute or has bad specifiers, ignoring: %s", key, q);
                        continue;
                }
                /* path_simplify_and_warn(): "//" and "/./" go, ".." makes the entry invalid. */
                simple = path_simplify_keep_dotdot(resolved);
                if (!simple)
                        return -ENOMEM;
                if (!path_is_normalized_valid(simple)) {
                        WARN(c, "%s= path is not normalized, ignoring: %s", key, simple);
                        continue;
                }
                r = strv_consume(l, strjoin(ignore_enoent ? "-" : "", prefix ? "+" : "", simple));
                if (r < 0)
                        return r;
        }
}

static void binds_clear(Sandbox *s) {
        for (size_t i = 0; i < s->n_binds; i++) {
                free(s->binds[i].source);
                free(s->binds[i].destination);
        }
        s->n_binds = 0;
}

/* A path of BindPaths=: specifiers expanded, then path_simplify_and_warn(PATH_CHECK_ABSOLUTE).
 * *ret NULL (warned) when systemd ignores the entry; a "-" prefix of the expanded source
 * is reported in *ignore_enoent when that is not NULL. */
static int bind_path(const AssignContext *c, const char *key, const char *in, bool *ignore_enoent, char **ret) {
        _cleanup_free_ char *resolved = NULL;
        const char *q;
        char *simple;
        int r = expand(c, in, &resolved);

        *ret = NULL;
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                WARN(c, "failed to resolve unit specifiers in \"%s\", ignoring", in);
                return 0;
        }
        q = resolved;
        if (ignore_enoent) {
                *ignore_enoent = q[0] == '-';
                q += *ignore_enoent;
        }
        simple = path_simplify_keep_dotdot(q);
        if (!simple)
                return -ENOMEM;
        if (simple[0] != '/' || !path_is_normalized_valid(simple)) {
                WARN(c, "%s= path is not absolute or not normalized, ignoring: %s", key, simple);
                free(simple);
                return 0;
        }
        *ret = simple;
        return 0;
}

/* config_parse_bind_paths(): "[-]SOURCE[:DESTINATION[:rbind|norbind]]" words; ':' and
 * whitespace both end a part, and do not coalesce. The "-" is looked for after specifier
 * expansion, as systemd does. */
static int assign_bind_paths(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        (void) data;
        if (isempty(value)) {
                binds_clear(s);
                return 0;
        }
        for (const char *p = value;;) {
                _cleanup_free_ char *source = NULL, *destination = NULL, *src = NULL, *dst = NULL;
                bool ignore_enoent = false, recursive = true;
                int r = extract_first_word(&p, &source, ":" WHITESPACE, EXTRACT_UNQUOTE | EXTRACT_DONT_COALESCE_SEPARATORS);

                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        WARN(c, "failed to parse %s, ignoring: %s", key, value);
                        return 0;
                }
                if (r == 0)
                        return 0;
                r = bind_path(c, key, source, &ignore_enoent, &src);
                if (r < 0)
                        return r;
                if (!src)
                        continue;
                if (p && p[-1] == ':') {
                        r = extract_first_word(&p, &destination, ":" WHITESPACE,
                                               EXTRACT_UNQUOTE | EXTRACT_DONT_COALESCE_SEPARATORS);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0) {
                                WARN(c, "failed to parse %s, ignoring: %s", key, value);
                                return 0;
                        }
                        if (r == 0) {
                                WARN(c, "missing argument after ':', ignoring: %s", src);
                                continue;
                        }
                        r = bind_path(c, key, destination, NULL, &dst);
                        if (r < 0)
                                return r;
                        if (!dst)
                                continue;
                        if (p && p[-1] == ':') {
                                _cleanup_free_ char *options = NULL;

                                r = extract_first_word(&p, &options, NULL, EXTRACT_UNQUOTE);
                                if (r == -ENOMEM)
                                        return r;
                                if (r < 0) {
                                        WARN(c, "failed to parse %s=, ignoring: %s", key, value);
                                        return 0;
                                }
                                if (isempty(options) || streq(options, "rbind"))
                                        recursive = true;
                                else if (streq(options, "norbind"))
                                        recursive = false;
                                else {
                                        WARN(c, "invalid option string, ignoring setting: %s", options);
                                        continue;
                                }
                        }
                } else {
                        dst = strdup(src);
                        if (!dst)
                                return -ENOMEM;
                }
                if (GROW(s->binds, s->binds_cap, s->n_binds + 1) < 0)
                        return -ENOMEM;
                s->binds[s->n_binds++] = (BindMount) {
                        .source = TAKE_PTR(src),
                        .destination = TAKE_PTR(dst),
                        .read_only = streq(key, "BindReadOnlyPaths"),
                        .recursive = recursive,
                        .ignore_enoent = ignore_enoent,
                };
        }
}

static int assign_string(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        char **str = data, *k = NULL;
        int r;

        (void) s;
        if (isempty(value)) {
                free(*str);
                *str = NULL;
                return 0;
        }
        r = expand(c, value, &k);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                WARN(c, "failed to resolve unit specifiers in %s=, ignoring: %s", key, value);
                return 0;
        }
        free(*str);
        *str = k;
        return 0;
}

/* config_parse_unit_slice(): must name a valid slice unit. */
static int assign_slice(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        _cleanup_free_ char *k = NULL;
        int r;

        (void) key, (void) data;
        r = expand(c, value, &k);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || !unit_name_is_valid(k, UNIT_NAME_PLAIN) || !endswith(k, ".slice")) {
                WARN(c, "failed to load slice unit %s, ignoring.", value);
                return 0;
        }
        free(s->slice);
        s->slice = TAKE_PTR(k);
        return 0;
}

/* config_parse_restrict_namespaces(): bool, or a list with optional "~". namespace_info[]
 * knows "time" too, but NAMESPACE_FLAGS_ALL does not include it: "~time" is "no", "time"
 * alone is "yes", and a later list keeps the bit. */
static int assign_restrict_namespaces(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        unsigned long flags = 0;
        bool invert = false;
        const char *p;
        int b;

        (void) key, (void) data;
        if (isempty(value)) {
                s->restrict_namespaces = ULONG_MAX;
                return 0;
        }
        b = parse_boolean(value);
        if (b >= 0) {
                s->restrict_namespaces = b ? 0 : NAMESPACE_FLAGS_ALL;
                return 0;
        }
        if (value[0] == '~') {
                invert = true;
                value++;
        }
        for (p = value;;) {
                _cleanup_free_ char *w = NULL;
                unsigned long f;
                int r = extract_first_word(&p, &w, NULL, 0);

                if (r == -ENOMEM)
                        return r;
                if (r == 0)
                        break;
                f = r > 0 ? namespace_flag_from_name(w) : 0;
                if (f == 0) {
                        WARN(c, "failed to parse namespace type string, ignoring: %s", value);
                        return 0;
                }
                flags |= f;
        }
        if (s->restrict_namespaces == ULONG_MAX)
                s->restrict_namespaces = invert ? ~flags & NAMESPACE_FLAGS_ALL : flags;
        else if (invert)
                s->restrict_namespaces &= ~flags;
        else
                s->restrict_namespaces |= flags;
        return 0;
}

static const char *const device_policy_table[] = {
        [DEVICE_POLICY_AUTO] = "auto",
        [DEVICE_POLICY_CLOSED] = "closed",
        [DEVICE_POLICY_STRICT] = "strict",
};

/* config_parse_device_policy(): one of the three words; anything else, "" included, is
 * ignored. */
static int assign_device_policy(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        (void) key, (void) data;
        for (size_t i = 0; i < ELEMENTSOF(device_policy_table); i++)
                if (streq(value, device_policy_table[i])) {
                        s->device_policy = (DevicePolicy) i;
                        return 0;
                }
        WARN(c, "failed to parse device policy, ignoring: %s", value);
        return 0;
}

static void device_allow_clear(Sandbox *s) {
        for (size_t i = 0; i < s->n_device_allow; i++)
                free(s->device_allow[i].node);
        s->n_device_allow = 0;
}

static int device_allow_add(Sandbox *s, const char *node, const char *perms) {
        DeviceAccess a = 0;
        char *n;

        for (const char *p = strempty(perms); *p; p++)
                a |= *p == 'r' ? DEVICE_ACCESS_READ : *p == 'w' ? DEVICE_ACCESS_WRITE : DEVICE_ACCESS_MKNOD;
        if (GROW(s->device_allow, s->device_allow_cap, s->n_device_allow + 1) < 0)
                return -ENOMEM;
        n = strdup(node);
        if (!n)
                return -ENOMEM;
        s->device_allow[s->n_device_allow++] = (DeviceAllowEntry) { .node = n, .access = a ?: DEVICE_ACCESS_ALL };
        return 0;
}

/* valid_device_node_path(), after path_simplify_and_warn() without the absolute check. */
static bool valid_device_node_path(const char *p) {
        if (!startswith(p, "/dev/") && !streq(p, "/dev") &&
            !startswith(p, "/run/systemd/inaccessible/") && !streq(p, "/run/systemd/inaccessible"))
                return false;
        return !endswith(p, "/") && path_is_normalized_valid(p);
}

/* config_parse_device_allow(): "NODE [rwm]", one entry per line; empty resets. NODE is
 * unquoted and specifier-expanded; "char-…"/"block-…" are taken as they are, anything else
 * must be a normalised path below /dev/ (or /run/systemd/inaccessible/). */
static int assign_device_allow(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        _cleanup_free_ char *w = NULL, *resolved = NULL;
        const char *p = value;
        int r;

        (void) key, (void) data;
        if (isempty(value)) {
                device_allow_clear(s);
                return 0;
        }
        r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE);
        if (r == -ENOMEM)
                return r;
        if (r <= 0) {
                WARN(c, "failed to extract device path and rights from '%s', ignoring.", value);
                return 0;
        }
        r = expand(c, w, &resolved);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                WARN(c, "failed to resolve unit specifiers in '%s', ignoring", w);
                return 0;
        }
        if (!startswith(resolved, "block-") && !startswith(resolved, "char-")) {
                char *simple = path_simplify_keep_dotdot(resolved);

                if (!simple)
                        return -ENOMEM;
                free(resolved);
                resolved = simple;
                if (!path_is_normalized_valid(resolved)) {
                        WARN(c, "%s= path is not normalized, ignoring: %s", key, resolved);
                        return 0;
                }
                if (!valid_device_node_path(resolved)) {
                        WARN(c, "invalid device node path '%s', ignoring.", resolved);
                        return 0;
                }
        }
        if (!isempty(p) && strspn(p, "rwm") != strlen(p)) {
                WARN(c, "invalid device rights '%s', ignoring.", p);
                return 0;
        }
        return device_allow_add(s, resolved, p);
}

static void syscall_warn(const char *msg, const char *word, void *data) {
        const AssignContext *c = data;

        WARN(c, "%s: %s", msg, word);
}

/* config_parse_syscall_filter() / config_parse_syscall_log(), see syscalls.c. */
static int assign_syscall_filter(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        (void) s;
        return syscall_filter_assign(data, value, streq(key, "SystemCallFilter"), syscall_warn, (void *) c);
}

static bool string_is_safe(const char *p) {
        for (; *p; p++)
                if (((unsigned char) *p < ' ' && *p > 0) || strchr("\"'\\\x7f", *p))
                        return false;
        return true;
}

static int exec_fail(const AssignContext *c, bool ignore, const char *what, const char *value) {
        diag_add(c->diags, ignore ? DIAG_WARNING : DIAG_ERROR, c->file, c->line, "%s%s: %s", what,
                 ignore ? ", ignoring" : "", value);
        return ignore ? 0 : -ENOEXEC;
}

static int exec_append(Sandbox *s, const AssignContext *c, const char *key, ExecFlags flags, char *path, char **argv) {
        if (GROW(s->exec, s->exec_cap, s->n_exec + 1) < 0) {
                free(path);
                strv_free(argv);
                return -ENOMEM;
        }
        s->exec[s->n_exec++] = (ExecCommand) {
                .key = strdup(key), .flags = flags, .path = path, .argv = argv,
                .file = c->file, .line = c->line,
        };
        return s->exec[s->n_exec - 1].key ? 0 : -ENOMEM;
}

static void exec_reset(Sandbox *s, const char *key) {
        size_t n = 0;

        for (size_t i = 0; i < s->n_exec; i++) {
                if (streq(s->exec[i].key, key)) {
                        free(s->exec[i].key);
                        free(s->exec[i].path);
                        strv_free(s->exec[i].argv);
                        continue;
                }
                s->exec[n++] = s->exec[i];
        }
        s->n_exec = n;
}

/* config_parse_exec(): "[-@:+!]path args… [; path args…]". */
static int assign_exec(Sandbox *s, const AssignContext *c, const char *key, const char *value, void *data) {
        const char *p = value;
        bool semicolon;

        (void) data;
        if (isempty(value)) {
                exec_reset(s, key);
                return 0;
        }
        do {
                _cleanup_free_ char *first = NULL, *path = NULL;
                _cleanup_strv_free_ char **argv = NULL;
                ExecFlags flags = 0;
                bool ignore;
                const char *f;
                int r;

                semicolon = false;
                r = extract_first_word(&p, &first, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r == -EINVAL)
                        r = extract_first_word(&p, &first, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE | EXTRACT_UNESCAPE_RELAX);
                if (r <= 0)
                        return r == -ENOMEM ? r : 0;
                if (streq(first, ";")) {
                        semicolon = true;
                        continue;
                }
                for (f = first;; f++) {
                        if (*f == '-' && !(flags & EXEC_IGNORE_FAILURE))
                                flags |= EXEC_IGNORE_FAILURE;
                        else if (*f == '@' && !(flags & EXEC_SEPARATE_ARGV0))
                                flags |= EXEC_SEPARATE_ARGV0;
                        else if (*f == ':' && !(flags & EXEC_NO_ENV_EXPAND))
                                flags |= EXEC_NO_ENV_EXPAND;
                        else if (*f == '+' && !(flags & (EXEC_FULLY_PRIVILEGED | EXEC_NO_SETUID | EXEC_AMBIENT_MAGIC)))
                                flags |= EXEC_FULLY_PRIVILEGED;
                        else if (*f == '!' && !(flags & (EXEC_FULLY_PRIVILEGED | EXEC_NO_SETUID | EXEC_AMBIENT_MAGIC)))
                                flags |= EXEC_NO_SETUID;
                        else if (*f == '!' && !(flags & (EXEC_FULLY_PRIVILEGED | EXEC_AMBIENT_MAGIC))) {
                                flags &= ~EXEC_NO_SETUID;
                                flags |= EXEC_AMBIENT_MAGIC;
                        } else
                                break;
                }
                ignore = flags & EXEC_IGNORE_FAILURE;

                r = expand(c, f, &path);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return exec_fail(c, ignore, "failed to resolve unit specifiers", f);
                if (isempty(path))
                        return exec_fail(c, ignore, "empty path in command line", value);
                if (!string_is_safe(path))
                        return exec_fail(c, ignore, "executable name contains special characters", path);
                if (endswith(path, "/"))
                        return exec_fail(c, ignore, "executable path specifies a directory", path);
                if (path[0] != '/' && strchr(path, '/'))
                        return exec_fail(c, ignore, "neither a valid executable name nor an absolute path", path);

                if (!(flags & EXEC_SEPARATE_ARGV0) && strv_extend(&argv, path) < 0)
                        return -ENOMEM;

                while (p && *p) {
                        _cleanup_free_ char *w = NULL, *k = NULL;

                        if (p[0] == ';' && (!p[1] || strchr(WHITESPACE, p[1]))) {
                                p++;
                                p += strspn(p, WHITESPACE);
                                semicolon = true;
                                break;
                        }
                        if (p[0] == '\\' && p[1] == ';' && (!p[2] || strchr(WHITESPACE, p[2]))) {
                                p += 2;
                                p += strspn(p, WHITESPACE);
                                if (strv_extend(&argv, ";") < 0)
                                        return -ENOMEM;
                                continue;
                        }
                        r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                        if (r == -EINVAL) {
                                diag_add(c->diags, DIAG_WARNING, c->file, c->line, "unbalanced quoting or bad escape: %s", value);
                                return ignore ? 0 : -ENOEXEC;
                        }
                        if (r < 0)
                                return r;
                        if (r == 0)
                                break;
                        r = expand(c, w, &k);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                return exec_fail(c, ignore, "failed to resolve unit specifiers", w);
                        if (strv_consume(&argv, TAKE_PTR(k)) < 0)
                                return -ENOMEM;
                }
                if (strv_length(argv) == 0)
                        return exec_fail(c, ignore, "empty executable name or zeroeth argument", value);

                {
                        _cleanup_free_ char *simple = path_simplify_keep_dotdot(path);

                        if (!simple)
                                return -ENOMEM;
                        r = exec_append(s, c, key, flags, path[0] == '/' ? TAKE_PTR(simple) : TAKE_PTR(path), TAKE_PTR(argv));
                        if (r < 0)
                                return r;
                }
        } while (semicolon);
        return 0;
}

static const KeyRow key_table[] = {
        { "RestrictAddressFamilies", SECTION_SERVICE, SETTING_RESTRICT_ADDRESS_FAMILIES, assign_address_families, 0 },
        { "IPAddressAllow",          SECTION_SERVICE | SECTION_SLICE, SETTING_IP_ADDRESS_ALLOW, assign_in_addr_prefixes, FIELD(ip_allow) },
        { "IPAddressDeny",           SECTION_SERVICE | SECTION_SLICE, SETTING_IP_ADDRESS_DENY, assign_in_addr_prefixes, FIELD(ip_deny) },
        { "PrivateNetwork",          SECTION_SERVICE, SETTING_PRIVATE_NETWORK, assign_bool, FIELD(private_network) },
        { "User",                    SECTION_SERVICE, SETTING_USER, assign_user, FIELD(user) },
        { "DynamicUser",             SECTION_SERVICE, SETTING_DYNAMIC_USER, assign_bool, FIELD(dynamic_user) },
        { "NoNewPrivileges",         SECTION_SERVICE, SETTING_NO_NEW_PRIVILEGES, assign_bool, FIELD(no_new_privileges) },
        { "SystemCallArchitectures", SECTION_SERVICE, SETTING_SYSTEM_CALL_ARCHITECTURES, assign_syscall_archs, 0 },
        { "CapabilityBoundingSet",   SECTION_SERVICE, SETTING_CAPABILITY_BOUNDING_SET, assign_capability_set, FIELD(capability_bounding_set) },
        { "AmbientCapabilities",     SECTION_SERVICE, SETTING_AMBIENT_CAPABILITIES, assign_capability_set, FIELD(ambient_capabilities) },
        { "ProtectSystem",           SECTION_SERVICE, SETTING_PROTECT_SYSTEM, assign_protect_system, 0 },
        { "ProtectHome",             SECTION_SERVICE, SETTING_PROTECT_HOME, assign_protect_home, 0 },
        { "ReadWritePaths",          SECTION_SERVICE, SETTING_READ_WRITE_PATHS, assign_path_list, FIELD(read_write_paths) },
        { "ReadWriteDirectories",    SECTION_SERVICE, SETTING_READ_WRITE_PATHS, assign_path_list, FIELD(read_write_paths) },
        { "ReadOnlyPaths",           SECTION_SERVICE, SETTING_READ_ONLY_PATHS, assign_path_list, FIELD(read_only_paths) },
        { "ReadOnlyDirectories",     SECTION_SERVICE, SETTING_READ_ONLY_PATHS, assign_path_list, FIELD(read_only_paths) },
        { "InaccessiblePaths",       SECTION_SERVICE, SETTING_INACCESSIBLE_PATHS, assign_path_list, FIELD(inaccessible_paths) },
        { "InaccessibleDirectories", SECTION_SERVICE, SETTING_INACCESSIBLE_PATHS, assign_path_list, FIELD(inaccessible_paths) },
        { "DevicePolicy",            SECTION_SERVICE | SECTION_SLICE, SETTING_DEVICE_POLICY, assign_device_policy, 0 },
        { "DeviceAllow",             SECTION_SERVICE | SECTION_SLICE, SETTING_DEVICE_ALLOW, assign_device_allow, 0 },
        { "SupplementaryGroups",     SECTION_SERVICE, SETTING_SUPPLEMENTARY_GROUPS, assign_user_list, FIELD(supplementary_groups) },
        { "PrivateTmp",              SECTION_SERVICE, SETTING_PRIVATE_TMP, assign_bool, FIELD(private_tmp) },
        { "PrivateUsers",            SECTION_SERVICE, SETTING_PRIVATE_USERS, assign_bool, FIELD(private_users) },
        { "PAMName",                 SECTION_SERVICE, SETTING_PAM_NAME, assign_string, FIELD(pam_name) },
        { "Slice",                   SECTION_SERVICE, SETTING_SLICE, assign_slice, 0 },
        { "BindPaths",               SECTION_SERVICE, SETTING_BIND_PATHS, assign_bind_paths, 0 },
        { "BindReadOnlyPaths",       SECTION_SERVICE, SETTING_BIND_READ_ONLY_PATHS, assign_bind_paths, 0 },
        { "ExecCondition",           SECTION_SERVICE, SETTING_EXEC, assign_exec, 0 },
        { "ExecStartPre",            SECTION_SERVICE, SETTING_EXEC, assign_exec, 0 },
        { "ExecStart",               SECTION_SERVICE, SETTING_EXEC, assign_exec, 0 },
        { "ExecStartPost",           SECTION_SERVICE, SETTING_EXEC, assign_exec, 0 },
        { "ExecReload",              SECTION_SERVICE, SETTING_EXEC, assign_exec, 0 },
        { "ExecStop",                SECTION_SERVICE, SETTING_EXEC, assign_exec, 0 },
        { "ExecStopPost",            SECTION_SERVICE, SETTING_EXEC, assign_exec, 0 },
        { "LockPersonality",         SECTION_SERVICE, SETTING_LOCK_PERSONALITY, assign_bool, FIELD(lock_personality) },
        { "MemoryDenyWriteExecute",  SECTION_SERVICE, SETTING_MEMORY_DENY_WRITE_EXECUTE, assign_bool, FIELD(memory_deny_write_execute) },
        { "PrivateDevices",          SECTION_SERVICE, SETTING_PRIVATE_DEVICES, assign_bool, FIELD(private_devices) },
        { "ProtectClock",            SECTION_SERVICE, SETTING_PROTECT_CLOCK, assign_bool, FIELD(protect_clock) },
        { "ProtectHostname",         SECTION_SERVICE, SETTING_PROTECT_HOSTNAME, assign_bool, FIELD(protect_hostname) },
        { "ProtectKernelTunables",   SECTION_SERVICE, SETTING_PROTECT_KERNEL_TUNABLES, assign_bool, FIELD(protect_kernel_tunables) },
        { "ProtectKernelModules",    SECTION_SERVICE, SETTING_PROTECT_KERNEL_MODULES, assign_bool, FIELD(protect_kernel_modules) },
        { "ProtectKernelLogs",       SECTION_SERVICE, SETTING_PROTECT_KERNEL_LOGS, assign_bool, FIELD(protect_kernel_logs) },
        { "RestrictNamespaces",      SECTION_SERVICE, SETTING_RESTRICT_NAMESPACES, assign_restrict_namespaces, 0 },
        { "RestrictRealtime",        SECTION_SERVICE, SETTING_RESTRICT_REALTIME, assign_bool, FIELD(restrict_realtime) },
        { "RestrictSUIDSGID",        SECTION_SERVICE, SETTING_RESTRICT_SUID_SGID, assign_bool, FIELD(restrict_suid_sgid) },
        { "SystemCallFilter",        SECTION_SERVICE, SETTING_SYSTEM_CALL_FILTER, assign_syscall_filter, FIELD(syscall_filter) },
        { "SystemCallLog",           SECTION_SERVICE, SETTING_SYSTEM_CALL_LOG, assign_syscall_filter, FIELD(syscall_log) },
};

static unsigned section_bit(const char *section) {
        if (streq(section, "Service"))
                return SECTION_SERVICE;
        if (streq(section, "Slice"))
                return SECTION_SLICE;
        return 0;
}

static int origin_add(OriginList *l, const AssignContext *c, const char *key, const char *value) {
        if (GROW(l->items, l->cap, l->n + 1) < 0)
                return -ENOMEM;
        l->items[l->n++] = (Origin) { .file = c->file, .line = c->line, .key = key, .value = value };
        return 0;
}

int sandbox_assign(Sandbox *s, const AssignContext *c, const char *section, const char *key, const char *value) {
        unsigned bit = section_bit(section);

        for (size_t i = 0; i < ELEMENTSOF(key_table); i++) {
                const KeyRow *k = &key_table[i];
                int r;

                if (!(k->sections & bit) || !streq(k->key, key))
                        continue;
                r = k->parse(s, c, key, value, (char *) s + k->offset);
                if (r < 0)
                        return r;
                return origin_add(&s->origins[k->setting], c, key, value);
        }
        return 0;
}

void sandbox_init(Sandbox *s) {
        *s = (Sandbox) {
                .capability_bounding_set = UINT64_MAX,
                .restrict_namespaces = ULONG_MAX,
        };
}

void sandbox_done(Sandbox *s) {
        ip_prefix_set_clear(&s->ip_allow);
        ip_prefix_set_clear(&s->ip_deny);
        free(s->user);
        strv_free(s->read_write_paths);
        strv_free(s->read_only_paths);
        strv_free(s->inaccessible_paths);
        device_allow_clear(s);
        free(s->device_allow);
        strv_free(s->supplementary_groups);
        free(s->pam_name);
        free(s->slice);
        binds_clear(s);
        free(s->binds);
        exec_reset(s, "ExecCondition");
        exec_reset(s, "ExecStartPre");
        exec_reset(s, "ExecStart");
        exec_reset(s, "ExecStartPost");
        exec_reset(s, "ExecReload");
        exec_reset(s, "ExecStop");
        exec_reset(s, "ExecStopPost");
        free(s->exec);
        syscall_filter_clear(&s->syscall_filter);
        syscall_filter_clear(&s->syscall_log);
        for (size_t i = 0; i < _SETTING_MAX; i++)
                free(s->origins[i].items);
        sandbox_init(s);
}

int sandbox_patch(Sandbox *s) {
        if (s->private_devices)
                s->capability_bounding_set &= ~((UINT64_C(1) << CAP_MKNOD) | (UINT64_C(1) << CAP_SYS_RAWIO));
        if (s->protect_kernel_modules)
                s->capability_bounding_set &= ~(UINT64_C(1) << CAP_SYS_MODULE);
        if (s->protect_kernel_logs)
                s->capability_bounding_set &= ~(UINT64_C(1) << CAP_SYSLOG);
        if (s->protect_clock)
                s->capability_bounding_set &= ~((UINT64_C(1) << CAP_SYS_TIME) | (UINT64_C(1) << CAP_WAKE_ALARM));
        if (s->dynamic_user) {
                s->private_tmp = true;
                s->protect_system = PROTECT_SYSTEM_STRICT;
                if (s->protect_home == PROTECT_HOME_NO)
                        s->protect_home = PROTECT_HOME_READ_ONLY;
                s->no_new_privileges = true;
                s->restrict_suid_sgid = true;
        }
        /* The cgroup part: only units that also run processes (not slices) get it. */
        if (s->private_devices && s->device_policy == DEVICE_POLICY_AUTO)
                s->device_policy = DEVICE_POLICY_CLOSED;
        if (s->protect_clock && (s->device_policy != DEVICE_POLICY_AUTO || s->n_device_allow > 0))
                return device_allow_add(s, "char-rtc", "r");
        return 0;
}

bool sandbox_af_restricted(const Sandbox *s) {
        /* context_has_address_families(): an allow list (even "none"), or a non-empty
         * deny list. */
        return s->af_allow_list || (s->af_set_exists && s->af_set != 0);
}

bool sandbox_abi_allowed(const Sandbox *s, const char *abi) {
        int a = seccomp_arch_from_name(abi);

        return s->archs == 0 || (a > 0 && (s->archs & (UINT32_C(1) << a)));
}

bool sandbox_af_allowed(const Sandbox *s, int af) {
        bool in = s->af_set_exists && af >= 0 && af < AF_BITS && (s->af_set & (UINT64_C(1) << af));

        return s->af_allow_list ? in : !in;
}

bool sandbox_namespace_allowed(const Sandbox *s, const char *type) {
        unsigned long f = type ? namespace_flag_from_name(type) : 0;

        /* No filter at all while every type of NAMESPACE_FLAGS_ALL is kept; otherwise each
         * type (time included) needs its own bit. */
        if (f == 0)
                return false;
        return (s->restrict_namespaces & NAMESPACE_FLAGS_ALL) == NAMESPACE_FLAGS_ALL ||
               (s->restrict_namespaces & f) == f;
}

bool sandbox_user_is_root(const Sandbox *s) {
        return !s->dynamic_user && (!s->user || streq(s->user, "root") || streq(s->user, "0"));
}

bool sandbox_nnp_implied_by_other_settings(const Sandbox *s) {
        return s->lock_personality || s->memory_deny_write_execute || s->private_devices ||
               s->protect_clock || s->protect_hostname || s->protect_kernel_tunables ||
               s->protect_kernel_modules || s->protect_kernel_logs || sandbox_af_restricted(s) ||
               (s->restrict_namespaces & NAMESPACE_FLAGS_ALL) != NAMESPACE_FLAGS_ALL ||
               s->restrict_realtime || s->restrict_suid_sgid || s->archs != 0 ||
               syscall_filter_active(&s->syscall_filter) || syscall_filter_active(&s->syscall_log);
}

bool sandbox_nnp_in_effect(const Sandbox *s, bool runs_as_root) {
        /* context_has_no_new_privileges(): root keeps CAP_SYS_ADMIN in its effective set
         * at that point (a bounding-set drop does not remove it), so seccomp needs no NNP. */
        if (s->no_new_privileges)
                return true;
        if (runs_as_root)
                return false;
        return sandbox_nnp_implied_by_other_settings(s);
}

const char *setting_to_string(Setting s) {
        static const char *const table[_SETTING_MAX] = {
                [SETTING_RESTRICT_ADDRESS_FAMILIES] = "RestrictAddressFamilies",
                [SETTING_IP_ADDRESS_ALLOW] = "IPAddressAllow",
                [SETTING_IP_ADDRESS_DENY] = "IPAddressDeny",
                [SETTING_PRIVATE_NETWORK] = "PrivateNetwork",
                [SETTING_USER] = "User",
                [SETTING_DYNAMIC_USER] = "DynamicUser",
                [SETTING_NO_NEW_PRIVILEGES] = "NoNewPrivileges",
                [SETTING_SYSTEM_CALL_ARCHITECTURES] = "SystemCallArchitectures",
                [SETTING_CAPABILITY_BOUNDING_SET] = "CapabilityBoundingSet",
                [SETTING_AMBIENT_CAPABILITIES] = "AmbientCapabilities",
                [SETTING_PROTECT_SYSTEM] = "ProtectSystem",
                [SETTING_PROTECT_HOME] = "ProtectHome",
                [SETTING_READ_WRITE_PATHS] = "ReadWritePaths",
                [SETTING_READ_ONLY_PATHS] = "ReadOnlyPaths",
                [SETTING_INACCESSIBLE_PATHS] = "InaccessiblePaths",
                [SETTING_DEVICE_POLICY] = "DevicePolicy",
                [SETTING_DEVICE_ALLOW] = "DeviceAllow",
                [SETTING_SUPPLEMENTARY_GROUPS] = "SupplementaryGroups",
                [SETTING_PRIVATE_TMP] = "PrivateTmp",
                [SETTING_PRIVATE_USERS] = "PrivateUsers",
                [SETTING_PAM_NAME] = "PAMName",
                [SETTING_SLICE] = "Slice",
                [SETTING_BIND_PATHS] = "BindPaths",
                [SETTING_BIND_READ_ONLY_PATHS] = "BindReadOnlyPaths",
                [SETTING_EXEC] = "Exec",
                [SETTING_LOCK_PERSONALITY] = "LockPersonality",
                [SETTING_MEMORY_DENY_WRITE_EXECUTE] = "MemoryDenyWriteExecute",
                [SETTING_PRIVATE_DEVICES] = "PrivateDevices",
                [SETTING_PROTECT_CLOCK] = "ProtectClock",
                [SETTING_PROTECT_HOSTNAME] = "ProtectHostname",
                [SETTING_PROTECT_KERNEL_TUNABLES] = "ProtectKernelTunables",
                [SETTING_PROTECT_KERNEL_MODULES] = "ProtectKernelModules",
                [SETTING_PROTECT_KERNEL_LOGS] = "ProtectKernelLogs",
                [SETTING_RESTRICT_NAMESPACES] = "RestrictNamespaces",
                [SETTING_RESTRICT_REALTIME] = "RestrictRealtime",
                [SETTING_RESTRICT_SUID_SGID] = "RestrictSUIDSGID",
                [SETTING_SYSTEM_CALL_FILTER] = "SystemCallFilter",
                [SETTING_SYSTEM_CALL_LOG] = "SystemCallLog",
        };
        return table[s];
}

const char *protect_system_to_string(ProtectSystem p) {
        static const char *const table[] = { "no", "yes", "full", "strict" };
        return table[p];
}

const char *protect_home_to_string(ProtectHome p) {
        static const char *const table[] = { "no", "yes", "read-only", "tmpfs" };
        return table[p];
}

const char *device_policy_to_string(DevicePolicy p) {
        return device_policy_table[p];
}

/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Settings rendered as `systemctl show -p NAME` prints them (src/systemctl/
 * systemctl-show.c, src/shared/bus-print-properties.c), so the fidelity oracle can compare
 * our model with a running systemd word for word:
 *   RestrictAddressFamilies  "~" for a deny list, then the names sorted; "" is "none"
 *   SystemCallArchitectures  names sorted
 *   CapabilityBoundingSet    names in capability-number order
 *   IPAddressAllow/Deny      "ADDR/LEN" in the order configured (systemd's is a hash order,
 *                            compare them as sets)
 *   RestrictNamespaces       "yes" when no namespace type is left, "no" when all are (or it
 *                            was never set), else the names left in namespace_info[] order
 *   DeviceAllow              systemctl show prints one "DeviceAllow=NODE RWM" line per entry,
 *                            newest first (the list is built with LIST_PREPEND); we join the
 *                            "NODE RWM" values with ", "
 *   *Paths, SupplementaryGroups  the words, each shell-quoted when needed
 */

#include <stdlib.h>

#include "macro.h"
#include "names.h"
#include "sandbox.h"
#include "strv.h"

static char *format_af(const Sandbox *s) {
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *j = NULL;

        for (int af = 0; af < AF_BITS; af++)
                if (s->af_set_exists && (s->af_set & (UINT64_C(1) << af)) && af_to_name(af))
                        if (strv_extend(&l, af_to_name(af)) < 0)
                                return NULL;
        strv_sort(l);
        j = strv_join(l, " ");
        if (!j)
                return NULL;
        return strjoin(s->af_allow_list ? "" : "~", j);
}

static char *format_archs(const Sandbox *s) {
        _cleanup_strv_free_ char **l = NULL;

        for (int a = 0; a < SECCOMP_ARCH_COUNT; a++)
                if (s->archs & (UINT32_C(1) << a))
                        if (strv_extend(&l, seccomp_arch_to_name(a)) < 0)
                                return NULL;
        strv_sort(l);
        return strv_join(l, " ");
}

static char *format_caps(uint64_t set) {
        _cleanup_strv_free_ char **l = NULL;

        for (int c = 0; c < 64; c++)
                if ((set & (UINT64_C(1) << c)) && capability_to_name(c))
                        if (strv_extend(&l, capability_to_name(c)) < 0)
                                return NULL;
        return strv_join(l, " ");
}

static char *format_prefixes(const IPPrefixSet *set) {
        _cleanup_strv_free_ char **l = NULL;

        for (size_t i = 0; i < set->n; i++) {
                char buf[IP_PREFIX_STRLEN];

                if (strv_extend(&l, ip_prefix_to_string(&set->items[i], buf)) < 0)
                        return NULL;
        }
        return strv_join(l, " ");
}

/* shell_maybe_quote() as systemctl show applies it to every string of a list. */
static char *shell_maybe_quote(const char *s) {
        static const char need_quotes[] = " \t\n\r\"\\`$*?['()<>|&;!";
        static const char need_escape[] = "\"\\`$";
        const unsigned char *p;
        char *buf, *t;

        for (p = (const unsigned char *) s; *p; p++)
                if (*p < ' ' || *p == 0x7f || *p >= 0x80 || strchr(need_quotes, *p))
                        break;
        if (!*p)
                return strdup(s);
        if (*p >= 0x80) {
                /* Valid UTF-8 needs no quoting; check the rest the slow way. */
                bool quote = false;

                for (const unsigned char *q = p; *q && !quote; q++)
                        quote = *q < ' ' || *q == 0x7f || (*q < 0x80 && strchr(need_quotes, *q));
                if (!quote)
                        return strdup(s);
                p = (const unsigned char *) s;
                while (*p && !(*p < ' ' || *p == 0x7f || (*p < 0x80 && strchr(need_quotes, *p))))
                        p++;
        }
        buf = t = malloc(strlen(s) * 4 + 3);
        if (!buf)
                return NULL;
        *t++ = '"';
        memcpy(t, s, (size_t) ((const char *) p - s));
        t += (const char *) p - s;
        for (; *p; p++) {
                if (*p < ' ' || *p == 0x7f) {
                        static const char names[] = "\aa\bb\ff\nn\rr\tt\vv";
                        const char *n = memchr(names, *p, sizeof(names) - 1);

                        if (n && (n - names) % 2 == 0)
                                t += sprintf(t, "\\%c", n[1]);
                        else
                                t += sprintf(t, "\\x%02x", *p);
                        continue;
                }
                if (strchr(need_escape, *p))
                        *t++ = '\\';
                *t++ = (char) *p;
        }
        *t++ = '"';
        *t = '\0';
        return buf;
}

static char *format_strv(char **l) {
        _cleanup_strv_free_ char **q = NULL;

        STRV_FOREACH(s, l)
                if (strv_consume(&q, shell_maybe_quote(*s)) < 0)
                        return NULL;
        return strv_join(q, " ");
}

static char *format_namespaces(unsigned long flags) {
        _cleanup_strv_free_ char **l = NULL;

        if ((flags & NAMESPACE_FLAGS_ALL) == 0)
                return strdup("yes");
        if ((flags & NAMESPACE_FLAGS_ALL) == NAMESPACE_FLAGS_ALL)
                return strdup("no");
        for (int i = 0; i < NAMESPACE_TYPE_COUNT; i++)
                if ((flags & namespace_type_flag(i)) && strv_extend(&l, namespace_type_name(i)) < 0)
                        return NULL;
        return strv_join(l, " ");
}

static char *format_device_allow(const Sandbox *s) {
        _cleanup_strv_free_ char **l = NULL;

        for (size_t i = s->n_device_allow; i > 0; i--) {
                const DeviceAllowEntry *e = &s->device_allow[i - 1];

                if (strv_consume(&l, strjoin(e->node, " ",
                                             e->access & DEVICE_ACCESS_READ ? "r" : "",
                                             e->access & DEVICE_ACCESS_WRITE ? "w" : "",
                                             e->access & DEVICE_ACCESS_MKNOD ? "m" : "")) < 0)
                        return NULL;
        }
        return strv_join(l, ", ");
}

/* As systemctl show prints the BindPaths=/BindReadOnlyPaths= property: "[-]SRC:DST[:rbind]". */
static char *format_binds(const Sandbox *s, bool read_only) {
        _cleanup_strv_free_ char **l = NULL;

        for (size_t i = 0; i < s->n_binds; i++) {
                const BindMount *b = &s->binds[i];

                if (b->read_only == read_only &&
                    strv_extendf(&l, "%s%s:%s%s", b->ignore_enoent ? "-" : "", b->source, b->destination,
                                 b->recursive ? ":rbind" : "") < 0)
                        return NULL;
        }
        return l ? strv_join(l, " ") : strdup("");
}

static char *format_bool(bool b) {
        return strdup(b ? "yes" : "no");
}

char *sandbox_format(const Sandbox *s, Setting setting) {
        switch (setting) {
        case SETTING_RESTRICT_ADDRESS_FAMILIES:
                return format_af(s);
        case SETTING_SYSTEM_CALL_ARCHITECTURES:
                return format_archs(s);
        case SETTING_CAPABILITY_BOUNDING_SET:
                return format_caps(s->capability_bounding_set);
        case SETTING_AMBIENT_CAPABILITIES:
                return format_caps(s->ambient_capabilities);
        case SETTING_IP_ADDRESS_ALLOW:
                return format_prefixes(&s->ip_allow);
        case SETTING_IP_ADDRESS_DENY:
                return format_prefixes(&s->ip_deny);
        case SETTING_READ_WRITE_PATHS:
                return format_strv(s->read_write_paths);
        case SETTING_READ_ONLY_PATHS:
                return format_strv(s->read_only_paths);
        case SETTING_BIND_PATHS:
                return format_binds(s, false);
        case SETTING_BIND_READ_ONLY_PATHS:
                return format_binds(s, true);
        case SETTING_INACCESSIBLE_PATHS:
                return format_strv(s->inaccessible_paths);
        case SETTING_DEVICE_POLICY:
                return strdup(device_policy_to_string(s->device_policy));
        case SETTING_DEVICE_ALLOW:
                return format_device_allow(s);
        case SETTING_PROTECT_HOME:
                return strdup(protect_home_to_string(s->protect_home));
        case SETTING_RESTRICT_NAMESPACES:
                return format_namespaces(s->restrict_namespaces);
        case SETTING_PRIVATE_DEVICES:
                return format_bool(s->private_devices);
        case SETTING_PRIVATE_TMP:
                return format_bool(s->private_tmp);
        case SETTING_PRIVATE_USERS:
                return format_bool(s->private_users);
        case SETTING_SUPPLEMENTARY_GROUPS:
                return format_strv(s->supplementary_groups);
        case SETTING_SYSTEM_CALL_FILTER:
                return syscall_filter_format(&s->syscall_filter);
        case SETTING_SYSTEM_CALL_LOG:
                return syscall_filter_format(&s->syscall_log);
        case SETTING_PROTECT_SYSTEM:
                return strdup(protect_system_to_string(s->protect_system));
        case SETTING_PRIVATE_NETWORK:
                return format_bool(s->private_network);
        case SETTING_NO_NEW_PRIVILEGES:
                return format_bool(s->no_new_privileges);
        case SETTING_DYNAMIC_USER:
                return format_bool(s->dynamic_user);
        case SETTING_USER:
                return strdup(strempty(s->user));
        case SETTING_PAM_NAME:
                return strdup(strempty(s->pam_name));
        case SETTING_SLICE:
                return strdup(strempty(s->slice));
        default:
                return NULL;
        }
}

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
                return strv_join(s->read_write_paths, " ");
        case SETTING_SUPPLEMENTARY_GROUPS:
                return strv_join(s->supplementary_groups, " ");
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

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <sys/utsname.h>

#include "macro.h"
#include "specifier.h"
#include "unit-name.h"

static char *first_line(const Root *root, const char *path) {
        _cleanup_free_ char *s = NULL;

        if (root_read_file(root, path, 4096, &s, NULL) < 0)
                return NULL;
        s[strcspn(s, "\n")] = '\0';
        return strdup(strstrip(s));
}

static char *os_release_field(const char *text, const char *key) {
        size_t k = strlen(key);

        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                const char *v;
                size_t n;

                if (strncmp(l, key, k) != 0 || l[k] != '=')
                        continue;
                v = l + k + 1;
                n = strcspn(v, "\n");
                if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
                        v++;
                        n -= 2;
                }
                return strndup(v, n);
        }
        return NULL;
}

static char *read_boot_id(void) {
        _cleanup_fclose_ FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
        char buf[64], *d = buf;

        if (!f || !fgets(buf, sizeof(buf), f))
                return NULL;
        for (const char *s = buf; *s && *s != '\n'; s++)
                if (*s != '-')
                        *d++ = *s;
        *d = '\0';
        return strdup(buf);
}

int host_info_load(HostInfo *h, const Root *root) {
        static const char *const keys[] = { "ID", "VERSION_ID", "BUILD_ID", "VARIANT_ID", "IMAGE_ID", "IMAGE_VERSION" };
        _cleanup_free_ char *osr = NULL;
        struct utsname u;

        *h = (HostInfo) {};
        h->hostname = first_line(root, "/etc/hostname");
        if (!h->hostname || !*h->hostname) {
                free(h->hostname);
                h->hostname = strdup("localhost");
        }
        h->machine_id = first_line(root, "/etc/machine-id");
        if (!h->machine_id)
                h->machine_id = strdup("");
        /* The boot id and kernel are the running kernel's, inside a root as outside. */
        h->boot_id = read_boot_id();
        h->kernel_release = strdup(uname(&u) == 0 ? u.release : "");
        if (root_read_file(root, "/etc/os-release", 65536, &osr, NULL) < 0)
                (void) root_read_file(root, "/usr/lib/os-release", 65536, &osr, NULL);
        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                h->os_release[i] = osr ? os_release_field(osr, keys[i]) : NULL;
        return h->hostname && h->machine_id && h->kernel_release ? 0 : -ENOMEM;
}

void host_info_done(HostInfo *h) {
        free(h->hostname);
        free(h->machine_id);
        free(h->boot_id);
        free(h->kernel_release);
        for (size_t i = 0; i < ELEMENTSOF(h->os_release); i++)
                free(h->os_release[i]);
        *h = (HostInfo) {};
}

static int dup_or_enomem(const char *s, char **ret) {
        *ret = strdup(s ?: "");
        return *ret ? 0 : -ENOMEM;
}

static int last_component(const char *id, char **ret) {
        _cleanup_free_ char *prefix = NULL;
        const char *dash;
        int r;

        r = unit_name_to_prefix(id, &prefix);
        if (r < 0)
                return r;
        dash = strrchr(prefix, '-');
        return dup_or_enomem(dash ? dash + 1 : prefix, ret);
}

static int lookup(const SpecifierContext *c, char s, char **ret) {
        _cleanup_free_ char *t = NULL;
        const HostInfo *h = c->host;
        int r;

        switch (s) {
        case 'i': return dup_or_enomem(c->instance, ret);
        case 'I': return unit_name_unescape(strempty(c->instance), ret);
        case 'n': return dup_or_enomem(c->id, ret);
        case 'N': {
                const char *dot = strrchr(c->id, '.');
                *ret = strndup(c->id, (size_t) (dot - c->id));
                return *ret ? 0 : -ENOMEM;
        }
        case 'p': return unit_name_to_prefix(c->id, ret);
        case 'P':
                r = unit_name_to_prefix(c->id, &t);
                return r < 0 ? r : unit_name_unescape(t, ret);
        case 'j': return last_component(c->id, ret);
        case 'J':
                r = last_component(c->id, &t);
                return r < 0 ? r : unit_name_unescape(t, ret);
        case 'f':
                if (c->instance)
                        return unit_name_path_unescape(c->instance, ret);
                r = unit_name_to_prefix(c->id, &t);
                return r < 0 ? r : unit_name_path_unescape(t, ret);
        case 'y':
                if (!c->fragment_path)
                        return -ENOENT;
                return dup_or_enomem(c->fragment_path, ret);
        case 'Y':
                if (!c->fragment_path)
                        return -ENOENT;
                *ret = path_dirname(c->fragment_path);
                return *ret ? 0 : -ENOMEM;
        case 'c': case 'r': case 'R':
                /* Deprecated cgroup paths; the values do not matter for sandboxing. */
                return dup_or_enomem("/system.slice", ret);
        case 'C': return dup_or_enomem("/var/cache", ret);
        case 'd': *ret = strjoin("/run/credentials/", c->id); return *ret ? 0 : -ENOMEM;
        case 'E': return dup_or_enomem("/etc", ret);
        case 'L': return dup_or_enomem("/var/log", ret);
        case 'S': return dup_or_enomem("/var/lib", ret);
        case 't': return dup_or_enomem("/run", ret);
        case 'h': return dup_or_enomem("/root", ret);
        case 's': return dup_or_enomem("/bin/sh", ret);
        case 'a': return dup_or_enomem("x86-64", ret);
        case 'A': return dup_or_enomem(h->os_release[5], ret);
        case 'b':
                if (!h->boot_id)
                        return -ENXIO;
                return dup_or_enomem(h->boot_id, ret);
        case 'B': return dup_or_enomem(h->os_release[2], ret);
        case 'H': return dup_or_enomem(h->hostname, ret);
        case 'l':
                *ret = strndup(h->hostname, strcspn(h->hostname, "."));
                return *ret ? 0 : -ENOMEM;
        case 'q': return dup_or_enomem(h->hostname, ret);
        case 'm':
                if (isempty(h->machine_id))
                        return -ENOMEDIUM;
                return dup_or_enomem(h->machine_id, ret);
        case 'M': return dup_or_enomem(h->os_release[4], ret);
        case 'o': return dup_or_enomem(h->os_release[0], ret);
        case 'v': return dup_or_enomem(h->kernel_release, ret);
        case 'w': return dup_or_enomem(h->os_release[1], ret);
        case 'W': return dup_or_enomem(h->os_release[3], ret);
        case 'g': case 'u': return dup_or_enomem("root", ret);
        case 'G': case 'U': return dup_or_enomem("0", ret);
        case 'T': return dup_or_enomem("/tmp", ret);
        case 'V': return dup_or_enomem("/var/tmp", ret);
        default:
                return isalnum((unsigned char) s) ? -EBADSLT : 1;
        }
}

int specifier_expand(const SpecifierContext *c, const char *text, char **ret) {
        size_t cap = strlen(text) + 1, n = 0;
        char *out = malloc(cap);

        if (!out)
                return -ENOMEM;

        for (const char *f = text; *f; f++) {
                _cleanup_free_ char *w = NULL;
                const char *add;
                char two[3];
                int r;

                if (*f != '%') {
                        two[0] = *f;
                        two[1] = '\0';
                        add = two;
                } else if (f[1] == '\0') {
                        add = "%";              /* a stray '%' at the end stays */
                } else if (*++f == '%') {
                        add = "%";
                } else {
                        r = lookup(c, *f, &w);
                        if (r < 0) {
                                free(out);
                                return r;
                        }
                        if (r > 0) {            /* not a specifier character: verbatim */
                                two[0] = '%';
                                two[1] = *f;
                                two[2] = '\0';
                                add = two;
                        } else
                                add = w;
                }
                if (GROW(out, cap, n + strlen(add) + 1) < 0) {
                        free(out);
                        return -ENOMEM;
                }
                memcpy(out + n, add, strlen(add));
                n += strlen(add);
        }
        out[n] = '\0';
        *ret = out;
        return 0;
}

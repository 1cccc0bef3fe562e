/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "facts.h"
#include "macro.h"

static int scan_compat(CompatUse *c, const Root *root, const char *path) {
        _cleanup_free_ char *text = NULL, *hp = NULL;
        unsigned n = 0;
        char *save;

        *c = (CompatUse) {};
        if (root_read_file(root, path, ROOT_FILE_MAX, &text, NULL) < 0)
                return 0;
        hp = root_host_path(root, path);
        if (!hp)
                return -ENOMEM;
        for (char *l = text; l; l = save) {
                save = strchr(l, '\n');
                if (save)
                        *save++ = '\0';
                n++;
                if (l[0] != '+' && l[0] != '-')
                        continue;
                if (asprintf_safe(&c->origin, "%s:%u", hp, n) < 0)
                        return -ENOMEM;
                c->entry = strndup(l, strcspn(l, ":"));
                return c->entry ? 0 : -ENOMEM;
        }
        return 0;
}

int facts_load(Facts *f, const Root *root, DiagList *diags) {
        static const char *const compat_files[_COMPAT_MAX] = { "/etc/passwd", "/etc/group", "/etc/shadow" };
        int r;

        *f = (Facts) {};
        r = nsswitch_load(&f->nss, root, diags);
        if (r < 0)
                return r;
        for (int i = 0; i < _COMPAT_MAX; i++) {
                r = scan_compat(&f->compat[i], root, compat_files[i]);
                if (r < 0)
                        return r;
        }
        r = servers_load_resolv_conf(&f->nameservers, root, diags);
        if (r < 0)
                return r;
        r = servers_load_yp_conf(&f->yp_servers, root, diags);
        if (r < 0)
                return r;
        return servers_localhost(&f->localhost);
}

void facts_done(Facts *f) {
        nsswitch_done(&f->nss);
        for (int i = 0; i < _COMPAT_MAX; i++) {
                free(f->compat[i].origin);
                free(f->compat[i].entry);
        }
        server_list_done(&f->nameservers);
        server_list_done(&f->yp_servers);
        server_list_done(&f->localhost);
        *f = (Facts) {};
}

const ServerList *facts_servers(const Facts *f, const char *provider) {
        if (streq(provider, "resolv.conf"))
                return &f->nameservers;
        if (streq(provider, "yp.conf"))
                return &f->yp_servers;
        if (streq(provider, "localhost"))
                return &f->localhost;
        return NULL;
}

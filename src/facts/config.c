/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "conf-parser.h"
#include "config.h"
#include "extract-word.h"
#include "macro.h"
#include "strv.h"
#include "unit-name.h"

#define CONFIG_PATH "/etc/hardening-compat/hardening-compat.conf"

static int unit_list(char ***list, const ConfItem *it, const char *host_path, DiagList *d) {
        if (isempty(it->value)) {
                *list = strv_free(*list);
                return 0;
        }
        for (const char *p = it->value;;) {
                _cleanup_free_ char *w = NULL;
                int r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE);

                if (r <= 0)
                        return r == -ENOMEM ? r : 0;
                if (!unit_name_is_valid(w, UNIT_NAME_ANY)) {
                        diag_add(d, DIAG_WARNING, host_path, it->line, "'%s' is not a unit name, ignoring.", w);
                        continue;
                }
                if (strv_extend_uniq(list, w) < 0)
                        return -ENOMEM;
        }
}

static void yes_no(const ConfItem *it, bool *value, unsigned *line, const char *host_path, DiagList *d) {
        if (streq(it->value, "yes") || streq(it->value, "no")) {
                *value = streq(it->value, "yes");
                *line = it->line;
        } else
                diag_add(d, DIAG_WARNING, host_path, it->line, "%s= takes yes or no, ignoring.", it->key);
}

int hc_config_load(HcConfig *ret, const Root *root, DiagList *diags) {
        _cleanup_free_ char *text = NULL, *hp = root_host_path(root, CONFIG_PATH);
        ConfFile conf = {};
        size_t size;
        int r;

        *ret = (HcConfig) { .nnp_off = true, .loopback = true, .path = strdup(CONFIG_PATH) };
        if (!hp || !ret->path)
                return -ENOMEM;
        r = root_read_file(root, CONFIG_PATH, ROOT_FILE_MAX, &text, &size);
        if (r == -ENOMEM)
                return r;
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return diag_add(diags, DIAG_ERROR, hp, 0, "cannot read: %s; using the defaults.", strerror(-r));
        if (conf_parse_text(text, size, hp, "Mail\0", &conf, diags) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < conf.n_items && r >= 0; i++) {
                const ConfItem *it = &conf.items[i];

                r = 0;
                if (streq(it->key, "Senders")) {
                        ret->senders_line = it->line;
                        r = unit_list(&ret->senders, it, hp, diags);
                } else if (streq(it->key, "NotSenders")) {
                        ret->not_senders_line = it->line;
                        r = unit_list(&ret->not_senders, it, hp, diags);
                } else if (streq(it->key, "NoNewPrivilegesOff"))
                        yes_no(it, &ret->nnp_off, &ret->nnp_off_line, hp, diags);
                else if (streq(it->key, "LoopbackSubmission"))
                        yes_no(it, &ret->loopback, &ret->loopback_line, hp, diags);
                else
                        diag_add(diags, DIAG_WARNING, hp, it->line, "unknown key '%s' in section [%s], ignoring.",
                                 it->key, it->section);
        }
        conf_file_done(&conf);
        return r < 0 ? r : 0;
}

void hc_config_done(HcConfig *c) {
        free(c->path);
        strv_free(c->senders);
        strv_free(c->not_senders);
        *c = (HcConfig) {};
}

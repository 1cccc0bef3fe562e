/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fragments/NAME.rules: the input is a tree (fuzz-tree.h), relative names in the root's
 * /etc/hardening-compat/fragments.d; the rules are loaded and looked up. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-tree.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void look_up(const RuleSet *s) {
        static char *const args[] = { "use_first_pass", "debug", NULL };

        for (size_t i = 0; i < s->n; i++) {
                char *p = rule_packages(&s->rules[i]);

                free(p);
        }
        (void) rules_find(s, RULE_NSS, "sss");
        (void) rules_find(s, RULE_PAM, "pam_unix.so");
        (void) rules_find_pam(s, "pam_krb5.so", args);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        FuzzPiece pieces[FUZZ_MAX_PIECES];
        Root root;
        RuleSet s = {};
        DiagList diags = {};

        (void) fuzz_tree_load(data, size, "/etc/hardening-compat/fragments.d", pieces, &root);
        if (rules_load(&s, &root, NULL, &diags) >= 0)
                look_up(&s);
        rules_done(&s);
        diag_list_done(&diags);
        root_done(&root);
        return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The MTA's loopback listener (mta-listener.c) for exim4: the input is a tree
 * (fuzz-tree.h), relative names under /etc (exim4/update-exim4.conf.conf, default/exim4,
 * passwd, rc2.d/S01exim4, …); the rules are the repository's fragments, read once from
 * $HC_FUZZ_RULES, else FUZZ_RULES_DIR (the Makefile's fragments/). exim4.service counts
 * as enabled. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-tree.h"
#include "mta.h"
#include "rules.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static RuleSet rules;
static const Rule *exim4;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        const char *dir = getenv("HC_FUZZ_RULES") ?: FUZZ_RULES_DIR;
        Root root = { .fd = -1 };
        DiagList diags = {};

        (void) argc;
        (void) argv;
        if (root_init(&root, fuzz_tree_reset()) < 0 || rules_load(&rules, &root, dir, &diags) < 0)
                abort();
        exim4 = rules_find(&rules, RULE_MTA, "exim4-daemon-light");
        if (!exim4)
                abort();
        diag_list_done(&diags);
        root_done(&root);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static char *const pulled_in[] = { "exim4.service", NULL };
        FuzzPiece pieces[FUZZ_MAX_PIECES];
        Root root;
        MtaFacts m = { .rule = exim4 };
        DiagList diags = {};

        (void) fuzz_tree_load(data, size, "/etc", pieces, &root);
        (void) mta_listener_load(&m, &root, &rules, pulled_in, &diags);
        mta_listener_done(&m);
        diag_list_done(&diags);
        root_done(&root);
        return 0;
}

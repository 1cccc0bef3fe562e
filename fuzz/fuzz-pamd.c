/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pam.d with include resolution: the input is a tree of files (fuzz-tree.h), relative
 * names under /etc/pam.d; the first piece's file name is the service loaded, as libpam
 * would, with every @include, include and substack, and the "other" fallback. */
#include <stdint.h>
#include <string.h>

#include "fuzz-tree.h"
#include "pamd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        FuzzPiece pieces[FUZZ_MAX_PIECES];
        size_t n;
        const char *service = "sshd";
        Root root;
        PamStack s = {};
        DiagList diags = {};

        n = fuzz_tree_load(data, size, "/etc/pam.d", pieces, &root);
        if (n > 0 && strncmp(pieces[0].path, "/etc/pam.d/", 11) == 0 && !strchr(pieces[0].path + 11, '/'))
                service = pieces[0].path + 11;
        (void) pam_stack_load(&root, service, &s, &diags);
        pam_stack_done(&s);
        diag_list_done(&diags);
        root_done(&root);
        return 0;
}

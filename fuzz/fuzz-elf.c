/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ELF headers and "#!" lines: the input is a tree (fuzz-tree.h), relative names under
 * /usr/bin; the first piece is identified (its "#!" chain followed through the others),
 * then its DT_NEEDED libraries are searched for libpam. */
#include <stdint.h>
#include <stdlib.h>

#include "elf.h"
#include "fuzz-tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        FuzzPiece pieces[FUZZ_MAX_PIECES];
        Root root;
        ElfInfo e = {};
        char *via = NULL;

        if (fuzz_tree_load(data, size, "/usr/bin", pieces, &root) == 0) {
                root_done(&root);
                return 0;
        }
        elf_cache_flush();      /* the scratch root is the same directory, new files */
        if (elf_identify(&root, pieces[0].path, &e) >= 0)
                elf_info_done(&e);
        (void) elf_needs_library(&root, pieces[0].path, "libpam.so.0", &via);
        free(via);
        root_done(&root);
        return 0;
}

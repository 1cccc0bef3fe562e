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
        size_t n = fuzz_tree_split(data, size, "/usr/bin", pieces, FUZZ_MAX_PIECES);
        const char *dir = fuzz_tree_reset();
        Root root = { .fd = -1 };
        ElfInfo e = {};
        char *via = NULL;

        if (n == 0)
                return 0;
        for (size_t i = 0; i < n; i++)
                (void) fuzz_tree_write(dir, pieces[i].path, pieces[i].data, pieces[i].size);
        if (root_init(&root, dir) < 0)
                __builtin_trap();
        if (elf_identify(&root, pieces[0].path, &e) >= 0)
                elf_info_done(&e);
        (void) elf_needs_library(&root, pieces[0].path, "libpam.so.0", &via);
        free(via);
        root_done(&root);
        return 0;
}

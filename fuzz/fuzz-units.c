/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit files and drop-ins: the input is a tree (fuzz-tree.h), relative names under
 * /lib/systemd/system ("a.service", "a.service.d/x.conf"), absolute ones anywhere (e.g.
 * /etc/systemd/system/...). The index is built and every unit it names is loaded and its
 * effective sandbox computed: conf-parser, the per-setting parsers, specifiers, names. */
#include <stdint.h>

#include "fuzz-tree.h"
#include "unit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void load_all(const UnitIndex *index, const HostInfo *host, DiagList *diags) {
        Loader l;

        loader_init(&l, index, host, diags);
        for (size_t i = 0; i < index->n_entries; i++) {
                Unit *u = NULL;
                UnitView v = {};

                if (unit_load(&l, index->entries[i].name, true, &u) < 0 || !u) {
                        unit_free(u);
                        continue;
                }
                if (u->state == UNIT_LOADED && unit_view(&l, u, NULL, diags, &v) >= 0)
                        unit_view_done(&v);
                unit_free(u);
        }
        loader_done(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        FuzzPiece pieces[FUZZ_MAX_PIECES];
        Root root;
        HostInfo host = {};
        UnitIndex index = {};
        DiagList diags = {};

        (void) fuzz_tree_load(data, size, "/lib/systemd/system", pieces, &root);
        if (host_info_load(&host, &root) >= 0) {
                if (unit_index_load(&index, &root, &diags) >= 0)
                        load_all(&index, &host, &diags);
                unit_index_done(&index);
                host_info_done(&host);
        }
        diag_list_done(&diags);
        root_done(&root);
        return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The readers of the files that name servers: resolv.conf, yp.conf (with /etc/hosts for
 * names), krb5.conf, pam_radius_auth.conf, pam_duo.conf, nss-pgsql.conf, and the MTAs'
 * msmtprc, ssmtp.conf, dma.conf, esmtprc. The input is a tree (fuzz-tree.h), relative
 * names under /etc; every reader runs on every input. */
#include <stdint.h>

#include "fuzz-tree.h"
#include "servers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef int (*Reader)(ServerList *l, const Root *root, DiagList *diags);

static const Reader readers[] = {
        servers_load_resolv_conf, servers_load_yp_conf, servers_load_pgsql,
        servers_load_krb5_conf, servers_load_radius_conf, servers_load_duo_conf,
        servers_load_msmtprc, servers_load_ssmtp_conf, servers_load_dma_conf,
        servers_load_esmtprc,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        FuzzPiece pieces[FUZZ_MAX_PIECES];
        Root root;
        DiagList diags = {};

        (void) fuzz_tree_load(data, size, "/etc", pieces, &root);
        for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
                ServerList l = {};

                (void) readers[i](&l, &root, &diags);
                server_list_done(&l);
        }
        diag_list_done(&diags);
        root_done(&root);
        return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /etc/nsswitch.conf: nsswitch_parse() on the input as the file's contents. */
#include <stdint.h>

#include "nsswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        NssConfig c = {};
        DiagList diags = {};

        if (nsswitch_parse(&c, (const char *) data, size, "/etc/nsswitch.conf", &diags) >= 0)
                for (int db = 0; db < _NSS_DB_MAX; db++)
                        for (size_t i = 0; i < c.db[db].n; i++)
                                (void) nss_service_reachable(&c.db[db], i, NULL, NULL);
        nsswitch_done(&c);
        diag_list_done(&diags);
        return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The unit-file line reader alone (conf_parse() on the input through fmemopen()): many
 * more executions than fuzz-units, for sections, comments, continuations, BOM and UTF-8. */
#include <stdint.h>
#include <stdio.h>

#include "conf-parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        ConfFile c = {};
        DiagList diags = {};
        FILE *f;

        if (size == 0)
                return 0;
        f = fmemopen((void *) data, size, "r");
        if (!f)
                return 0;
        (void) conf_parse(f, "fuzz.service", "Unit\0Service\0Install\0", &c, &diags);
        fclose(f);
        conf_file_done(&c);
        diag_list_done(&diags);
        return 0;
}

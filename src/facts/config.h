/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The administrator's choices, /etc/hardening-compat/hardening-compat.conf of the root
 * (hardening-compat.conf(5)), read with the unit-file reader:
 *
 *   [Mail]
 *   Senders=UNIT…               units that send mail, whatever was observed
 *   NotSenders=UNIT…            units never treated as mail senders
 *   NoNewPrivilegesOff=yes|no   may a drop-in switch an explicit NoNewPrivileges=yes off for
 *                               a setuid MTA (exim4, nullmailer)? Default yes: the line is
 *                               written only where nothing else implies NoNewPrivileges.
 *   LoopbackSubmission=yes|no   may a drop-in hand a setuid MTA's mail to its loopback SMTP
 *                               listener instead, with msmtp bound over /usr/sbin/sendmail
 *                               in that unit only? Default yes, and tried first: it keeps
 *                               NoNewPrivileges= on.
 * Lists accumulate; an empty assignment resets. A missing file means the defaults.
 */

#include <stdbool.h>

#include "diag.h"
#include "rootfs.h"

typedef struct HcConfig {
        char *path;                     /* the file as the root names it */
        char **senders, **not_senders;
        unsigned senders_line, not_senders_line;
        bool nnp_off;
        unsigned nnp_off_line;          /* 0: the default */
        bool loopback;
        unsigned loopback_line;         /* 0: the default */
} HcConfig;

int hc_config_load(HcConfig *ret, const Root *root, DiagList *diags);
void hc_config_done(HcConfig *c);

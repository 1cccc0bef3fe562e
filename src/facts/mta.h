/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Mail: which MTA a program reaches through /usr/sbin/sendmail (mta.c), and which units
 * send mail (mail-use.c).
 *
 * The MTA: /usr/sbin/sendmail (else /usr/lib/sendmail) resolved inside the root through
 * every symlink (the alternatives system included), the packages dpkg says ship the link
 * and the file it reaches (both /usr and / spellings), the file's owner and mode as they
 * are on disk (dpkg-statoverride may have changed them), and the Kind=mta rule of that
 * package — or, without a dpkg database, the rule whose Sendmail= is that file. An MTA
 * without a rule is reported with what could be observed, never guessed.
 *
 * Mail senders, each signal kept as evidence (NotSenders= of hardening-compat.conf overrides
 * them all):
 *   0. Senders= of /etc/hardening-compat/hardening-compat.conf;
 *   1. a Kind=mail-sender rule naming the unit (cron, atd, smartd, mdadm, …);
 *   2. an Exec*= command line that names sendmail, mail or mailx (a "sh -c '… |
 *      /usr/sbin/sendmail root'" line);
 *   3. an Exec*= file that mentions /usr/sbin/sendmail or /usr/lib/sendmail: a "#!"
 *      script's text, or the strings of an ELF program (as cron, atd and mdadm hard-code
 *      it). A mention is not proof of sending, but a program that has the path built in
 *      sends mail on some path (job output, alerts), and the sandbox must not break it.
 * Nothing is executed. Results per file are kept in Facts.
 */

#include <stdbool.h>

#include "diag.h"
#include "rootfs.h"
#include "servers.h"

struct Facts;
struct Rule;
struct RuleSet;

/* The MTA's SMTP listener on loopback (mta-listener.c), when its daemon is enabled. */
typedef struct MtaListener {
        char *address;          /* "127.0.0.1" or "::1"; NULL: none */
        unsigned port;
        char *origin;           /* the configuration that says so */
        char *daemon;           /* the enabled unit that runs it */
        char *absent;           /* why there is none, when the rule could have one */
        ServerList servers;     /* the address, for IPAddressAllow= */
} MtaListener;

typedef struct MtaFacts {
        char *path;             /* "/usr/sbin/sendmail", NULL when the root has neither */
        char *resolved;         /* the file it reaches, inside the root; NULL: dangling */
        char **packages;        /* dpkg owners of path and resolved, "name:arch" */
        char *mode;             /* "root:postdrop 2555" */
        const struct Rule *rule;
        MtaListener listener;
        const struct Rule *loopback;    /* the mail-loopback rule whose program the root has */
        char *loopback_program;         /* "/usr/bin/msmtp" */
        char **local_users;             /* the root's /etc/passwd names, for the stand-in's aliases */
} MtaFacts;

int mta_load(MtaFacts *ret, const Root *root, const struct RuleSet *rules, DiagList *diags);
void mta_done(MtaFacts *m);
/* mta-listener.c: the listener of the MTA's rule and the stand-in program; pulled_in: the
 * units enabled through .wants/.requires links. */
int mta_listener_load(MtaFacts *m, const Root *root, const struct RuleSet *rules, char * const *pulled_in,
                      DiagList *diags);
void mta_listener_done(MtaFacts *m);
/* "postfix (/usr/sbin/sendmail, package postfix:amd64, rule mta-postfix.rules)" */
char *mta_describe(const MtaFacts *m);

/* One command of a unit, with its arguments. */
typedef struct MailExec {
        const char *key;        /* "ExecStart" */
        const char *path;
        char * const *argv;
        const char *origin;     /* "FILE:LINE" */
} MailExec;

typedef struct MailUnitInfo {
        const char *id;
        const char *template_id;
        const MailExec *exec;
        size_t n_exec;
} MailUnitInfo;

/* The evidence that the unit sends mail; *ret NULL when there is none. */
int mail_use_find(struct Facts *f, const Root *root, const struct RuleSet *rules, const MailUnitInfo *u, char ***ret);
void mail_use_cache_done(struct Facts *f);

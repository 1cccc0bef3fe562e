/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The servers NSS modules contact, from the files that configure them:
 *   resolv.conf  "nameserver ADDR" lines, at most 3 (glibc MAXNS), comments '#' ';';
 *                none at all means glibc's default, 127.0.0.1 (resolv/res_init.c).
 *   yp.conf      "domain D server HOST" and "ypserver HOST" (ypbind-mt yp.conf(5));
 *                "domain D broadcast" binds whatever answers and cannot be expressed
 *                as an address list: reported, never guessed.
 *   localhost    127.0.0.1 and ::1, where libtirpc finds rpcbind and ypbind ("localhost"
 *                through getaddrinfo(), i.e. /etc/hosts): not all of 127.0.0.0/8.
 *   pgsql        the hosts of "connectionstring" in /etc/nss-pgsql.conf and of
 *                "shadowconnectionstring" in /etc/nss-pgsql-root.conf (libpq keywords host=,
 *                hostaddr=; a host starting with '/' or none at all is a Unix socket).
 *   krb5.conf, pam_radius_auth.conf, pam_duo.conf: see servers-pam.c.
 *   ADDRESS      a literal address in the rule (the GCE metadata server 169.254.169.254).
 * Host names are resolved when the drop-ins are generated — in the root's /etc/hosts,
 * and, for the running system (--root /), with getaddrinfo() — and again at every
 * regeneration; the drop-in's comment says so. A name that does not resolve is reported.
 */

#include <stdbool.h>

#include "diag.h"
#include "ip-prefix.h"
#include "rootfs.h"

typedef struct Server {
        IPPrefix prefixes[1];
        unsigned n_prefixes;    /* 0 for a Unix socket */
        bool unix_socket;       /* reached over AF_UNIX (value is the socket or its dir) */
        char *value;            /* what IPAddressAllow= gets: "192.0.2.1" */
        char *origin;           /* "/etc/resolv.conf:3", "/etc/yp.conf:2, nis.example resolved when generated" */
} Server;

typedef struct ServerList {
        Server *items;
        size_t n, cap;
        char *unexpressible;    /* why the list is incomplete (broadcast, unknown name), or NULL */
} ServerList;

int servers_load_resolv_conf(ServerList *l, const Root *root, DiagList *diags);
int servers_load_yp_conf(ServerList *l, const Root *root, DiagList *diags);
int servers_localhost(ServerList *l);
int servers_load_pgsql(ServerList *l, const Root *root, DiagList *diags);
/* PAM modules' servers (servers-pam.c). */
int servers_load_krb5_conf(ServerList *l, const Root *root, DiagList *diags);
int servers_load_radius_conf(ServerList *l, const Root *root, DiagList *diags);
int servers_load_duo_conf(ServerList *l, const Root *root, DiagList *diags);
/* servers-mta.c: the smarthost of /etc/msmtprc's default account. */
int servers_load_msmtprc(ServerList *l, const Root *root, DiagList *diags);
int servers_load_ssmtp_conf(ServerList *l, const Root *root, DiagList *diags);
int servers_load_dma_conf(ServerList *l, const Root *root, DiagList *diags);
int servers_load_esmtprc(ServerList *l, const Root *root, DiagList *diags);
/* A literal address of a rule; -EINVAL if word is not one. */
int servers_literal(ServerList *l, const char *word, const char *origin);
void server_list_done(ServerList *l);

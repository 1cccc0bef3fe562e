/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The servers NSS modules contact, from the files that configure them:
 *   resolv.conf  "nameserver ADDR" lines, at most 3 (glibc MAXNS), comments '#' ';';
 *                none at all means glibc's default, 127.0.0.1 (resolv/res_init.c).
 *   yp.conf      "domain D server HOST" and "ypserver HOST" (ypbind-mt yp.conf(5));
 *                "domain D broadcast" binds whatever answers and cannot be expressed
 *                as an address list: reported, never guessed.
 *   localhost    127.0.0.0/8 and ::1, for rpcbind and ypbind on the local machine.
 * Host names are looked up in the root's /etc/hosts, never on the network: a name
 * that is not there is reported as unresolvable.
 */

#include <stdbool.h>

#include "diag.h"
#include "ip-prefix.h"
#include "rootfs.h"

typedef struct Server {
        IPPrefix prefixes[2];   /* "localhost" has two */
        unsigned n_prefixes;
        char *value;            /* what IPAddressAllow= gets: "192.0.2.1", "localhost" */
        char *origin;           /* "/etc/resolv.conf:3" */
} Server;

typedef struct ServerList {
        Server *items;
        size_t n, cap;
        char *unexpressible;    /* why the list is incomplete (broadcast, unknown name), or NULL */
} ServerList;

int servers_load_resolv_conf(ServerList *l, const Root *root, DiagList *diags);
int servers_load_yp_conf(ServerList *l, const Root *root, DiagList *diags);
int servers_localhost(ServerList *l);
void server_list_done(ServerList *l);

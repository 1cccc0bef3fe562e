/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Shared by the readers of server configuration files (servers.c, servers-pam.c). */

#include "servers.h"

typedef struct LineCtx {
        ServerList *list;
        const Root *root;
        const char *path;               /* inside the root, for evidence */
        const char *host_path;          /* for diagnostics */
        DiagList *diags;
        unsigned count;
} LineCtx;

/* Call fn(line, lineno, data) for each line of a file of the root, newline removed. */
int servers_for_each_line(const Root *root, const char *path,
                          int (*fn)(char *line, unsigned lineno, void *data), void *data);
/* Add an address, or a host name resolved now (the origin says so; a name that does not
 * resolve is a warning and makes the list unexpressible). what: "NIS server". */
int servers_add_host(LineCtx *c, const char *what, const char *host, unsigned lineno);
/* The host of "host", "host:port", "[v6]:port", "tcp/host", "https://host/…". */
char *servers_host_of(const char *s);
/* Record why the list cannot be complete. */
int server_list_note_unexpressible(ServerList *l, const char *why);

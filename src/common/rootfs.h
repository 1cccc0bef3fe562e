/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Reading files of the root being inspected (--root, default "/"). Every path handed to
 * these functions is the path *inside* the root; symlinks, absolute ones included, are
 * resolved inside it (openat2 RESOLVE_IN_ROOT), so an image's /etc/resolv.conf pointing to
 * /run/systemd/resolve/stub-resolv.conf is read from the image, never from the host, and
 * no ".." can leave the root. Reads are bounded, and only regular files (or, as systemd
 * treats masks, character devices read as empty) are read, so a FIFO cannot hang a run.
 */

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

typedef struct Root {
        char *path;     /* canonical absolute path of the root, "/" for the host */
        int fd;         /* O_PATH directory descriptor of path */
} Root;

#define ROOT_FILE_MAX (4U * 1024U * 1024U)

/* Returns 0 or -errno (e.g. -ENOTDIR when path is not a directory). */
int root_init(Root *ret, const char *path);
void root_done(Root *r);
bool root_is_host(const Root *r);

/* openat2() inside the root. flags as for open(2); returns an fd or -errno. */
int root_open(const Root *r, const char *path, int flags);

/* opendir() inside the root: 0 and *ret, or -errno. */
int root_opendir(const Root *r, const char *path, DIR **ret);

/* Stat a path inside the root; follow selects whether a final symlink is followed. */
int root_stat(const Root *r, const char *path, bool follow, struct stat *ret);

/* Read a whole regular file (at most max bytes, else -EFBIG). A character device, which
 * is how systemd spells a mask (/dev/null), reads as empty. *ret is NUL-terminated. */
int root_read_file(const Root *r, const char *path, size_t max, char **ret, size_t *ret_size);

/* Open a file for line reading under the same rules as root_read_file(). */
int root_fopen(const Root *r, const char *path, FILE **ret);

/* readlink() of the final component, without following it. */
int root_readlink(const Root *r, const char *path, char **ret);

/* Resolve every symlink of path inside the root; *ret is the path inside the root. */
int root_canonicalize(const Root *r, const char *path, char **ret);

/* The host's spelling of a path inside the root, for messages: "<root><path>". */
char *root_host_path(const Root *r, const char *path);

/* Join a directory and a name, or normalise "a/./b/../c" lexically. */
char *path_join(const char *a, const char *b);
char *path_simplify(const char *path);
/* systemd's path_simplify(): drop "//", "/./" and a trailing "/", but keep "..". */
char *path_simplify_keep_dotdot(const char *path);
/* systemd's path_is_normalized() && path_is_valid(): no ".." component, no component
 * longer than NAME_MAX, shorter than PATH_MAX. */
bool path_is_normalized_valid(const char *path);
const char *path_filename(const char *path);
/* Directory part of path ("/" for "/x"), newly allocated. */
char *path_dirname(const char *path);

/* --list-inputs (a debug aid): once on, every file root_open() opens for reading and every
 * directory listed is recorded by its resolved host path. root_inputs_add() records a path
 * read by other means (libdpkg). root_inputs_write() prints the list sorted and unique, then
 * empties it; 0 or -EIO. */
void root_inputs_record(bool on);
void root_inputs_add(const char *host_path);
int root_inputs_write(FILE *f);

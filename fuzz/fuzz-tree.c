/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz-tree.h"

static char scratch[256];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st;
        (void) flag;
        if (ftw->level == 0)
                return 0;
        (void) remove(path);
        return 0;
}

static void scratch_remove(void) {
        if (!scratch[0])
                return;
        (void) nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
        (void) rmdir(scratch);
}

const char *fuzz_tree_reset(void) {
        if (!scratch[0]) {
                const char *base = getenv("HC_FUZZ_TMP");

                snprintf(scratch, sizeof scratch, "%s/hc-fuzz-XXXXXX", base && *base ? base : "/dev/shm");
                if (!mkdtemp(scratch)) {
                        perror("fuzz-tree: cannot create the scratch root");
                        abort();
                }
                atexit(scratch_remove);
                return scratch;
        }
        if (nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0) {
                perror("fuzz-tree: cannot empty the scratch root");
                abort();
        }
        return scratch;
}

/* Accept an absolute path of printable bytes, without a "." or ".." component. */
static bool path_ok(const char *p) {
        for (const char *c = p; *c; c++)
                if ((unsigned char) *c < 0x20 || *c == 0x7f)
                        return false;
        for (const char *c = p; *c; ) {
                size_t n = strcspn(c, "/");

                if ((n == 2 && c[0] == '.' && c[1] == '.') || (n == 1 && c[0] == '.'))
                        return false;
                c += n;
                c += strspn(c, "/");
        }
        return strchr(p, '/') && p[strlen(p) - 1] != '/';
}

static bool piece_path(FuzzPiece *p, const uint8_t *line, size_t n, const char *default_dir) {
        char name[FUZZ_PATH_MAX + 1];

        if (n == 0 || n > FUZZ_PATH_MAX - strlen(default_dir) - 1)
                return false;
        memcpy(name, line, n);
        name[n] = '\0';
        if (memchr(line, '\0', n))
                return false;
        if (name[0] == '/')
                snprintf(p->path, sizeof p->path, "%s", name);
        else
                snprintf(p->path, sizeof p->path, "%s/%s", default_dir, name);
        return path_ok(p->path);
}

size_t fuzz_tree_split(const uint8_t *data, size_t size, const char *default_dir,
                       FuzzPiece *ret, size_t max) {
        size_t n = 0;
        const uint8_t *end = data + size;

        for (const uint8_t *p = data; p <= end && n < max; ) {
                const uint8_t *sep = memchr(p, FUZZ_SEP, (size_t) (end - p));
                const uint8_t *stop = sep ? sep : end;
                const uint8_t *nl = memchr(p, '\n', (size_t) (stop - p));

                if (nl && piece_path(&ret[n], p, (size_t) (nl - p), default_dir)) {
                        ret[n].data = nl + 1;
                        ret[n].size = (size_t) (stop - nl - 1);
                        n++;
                }
                if (!sep)
                        break;
                p = sep + 1;
        }
        return n;
}

/* mkdir -p of every directory of host after its first skip bytes (the scratch root). */
static int mkdir_parents(char *host, size_t skip) {
        for (char *s = strchr(host + skip + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = '\0';
                if (mkdir(host, 0755) < 0 && errno != EEXIST) {
                        *s = '/';
                        return -errno;
                }
                *s = '/';
        }
        return 0;
}

int fuzz_tree_write(const char *root, const char *path, const uint8_t *data, size_t size) {
        char host[512];
        int fd, r = 0;

        if ((size_t) snprintf(host, sizeof host, "%s%s", root, path) >= sizeof host)
                return -ENAMETOOLONG;
        r = mkdir_parents(host, strlen(root));
        if (r < 0)
                return r;
        fd = open(host, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        while (size > 0) {
                ssize_t k = write(fd, data, size);

                if (k < 0) {
                        r = -errno;
                        break;
                }
                data += k;
                size -= (size_t) k;
        }
        close(fd);
        return r;
}

size_t fuzz_tree_load(const uint8_t *data, size_t size, const char *default_dir,
                      FuzzPiece *pieces, Root *root) {
        size_t n = fuzz_tree_split(data, size, default_dir, pieces, FUZZ_MAX_PIECES);
        const char *dir = fuzz_tree_reset();

        for (size_t i = 0; i < n; i++)
                (void) fuzz_tree_write(dir, pieces[i].path, pieces[i].data, pieces[i].size);
        *root = (Root) { .fd = -1 };
        if (root_init(root, dir) < 0)
                __builtin_trap();
        return n;
}

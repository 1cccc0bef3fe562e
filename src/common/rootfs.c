/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "macro.h"
#include "rootfs.h"
#include "strv.h"

/* --list-inputs: the host paths of every file read and directory listed through root_open()
 * (O_PATH opens, i.e. stat, readlink and canonicalize, are not reads). Process-global, as
 * the option is; off, the cost is one branch per open. */
static struct {
        bool on;
        char **paths;
        size_t n, cap;
} inputs;

void root_inputs_record(bool on) {
        inputs.on = on;
}

/* The file the descriptor refers to, as the kernel resolved it (symlinks inside the root
 * followed), so the list names what was read, not the link. */
static void inputs_add_fd(int fd) {
        char proc[64], buf[PATH_MAX];
        ssize_t k;

        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        k = readlink(proc, buf, sizeof(buf) - 1);
        if (k < 0)
                return;
        buf[k] = '\0';
        root_inputs_add(buf);
}

void root_inputs_add(const char *host_path) {
        char *p;

        if (!inputs.on)
                return;
        if (inputs.n == inputs.cap) {
                size_t cap = inputs.cap ? inputs.cap * 2 : 256;
                char **n = realloc(inputs.paths, cap * sizeof(char *));

                if (!n)
                        return;         /* a debug list: a path lost to ENOMEM is acceptable */
                inputs.paths = n;
                inputs.cap = cap;
        }
        p = strdup(host_path);
        if (p)
                inputs.paths[inputs.n++] = p;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

int root_inputs_write(FILE *f) {
        qsort(inputs.paths, inputs.n, sizeof(char *), cmp_str);
        for (size_t i = 0; i < inputs.n; i++)
                if (i == 0 || !streq(inputs.paths[i], inputs.paths[i - 1]))
                        fprintf(f, "%s\n", inputs.paths[i]);
        for (size_t i = 0; i < inputs.n; i++)
                free(inputs.paths[i]);
        free(inputs.paths);
        inputs.paths = NULL;
        inputs.n = inputs.cap = 0;
        return fflush(f) == 0 && !ferror(f) ? 0 : -EIO;
}

static int openat2_in_root(int dirfd, const char *path, int flags) {
        struct open_how how = {
                .flags = (unsigned) flags | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        const char *p = path;
        int fd;

        /* RESOLVE_IN_ROOT treats an absolute path as relative to dirfd; strip the slashes
         * anyway so the call reads like what it does. */
        while (*p == '/')
                p++;
        if (!*p)
                p = ".";
        fd = (int) syscall(SYS_openat2, dirfd, p, &how, sizeof(how));
        return fd < 0 ? -errno : fd;
}

int root_init(Root *ret, const char *path) {
        char buf[PATH_MAX];
        struct stat st;
        int fd;

        if (!realpath(path, buf))
                return -errno;
        fd = open(buf, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
                close(fd);
                return -ENOTDIR;
        }
        ret->path = strdup(buf);
        if (!ret->path) {
                close(fd);
                return -ENOMEM;
        }
        ret->fd = fd;
        return 0;
}

void root_done(Root *r) {
        if (r->fd >= 0)
                close(r->fd);
        free(r->path);
        *r = (Root) { .fd = -1 };
}

bool root_is_host(const Root *r) {
        return streq(r->path, "/");
}

int root_open(const Root *r, const char *path, int flags) {
        int fd = openat2_in_root(r->fd, path, flags);

        if (inputs.on && fd >= 0 && !(flags & O_PATH))
                inputs_add_fd(fd);
        return fd;
}

int root_opendir(const Root *r, const char *path, DIR **ret) {
        int fd = root_open(r, path, O_RDONLY | O_DIRECTORY);

        *ret = NULL;
        if (fd < 0)
                return fd;
        *ret = fdopendir(fd);
        if (!*ret) {
                int e = errno;

                close(fd);
                return -e;
        }
        return 0;
}

int root_stat(const Root *r, const char *path, bool follow, struct stat *ret) {
        _cleanup_close_ int fd = -1;

        fd = root_open(r, path, O_PATH | (follow ? 0 : O_NOFOLLOW));
        if (fd < 0)
                return fd;
        if (fstat(fd, ret) < 0)
                return -errno;
        return 0;
}

static int open_readable(const Root *r, const char *path, struct stat *st) {
        _cleanup_close_ int fd = -1;

        /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
        fd = root_open(r, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return fd;
        if (fstat(fd, st) < 0)
                return -errno;
        if (S_ISDIR(st->st_mode))
                return -EISDIR;
        if (!S_ISREG(st->st_mode) && !S_ISCHR(st->st_mode))
                return -EBADFD;
        return TAKE_FD(fd);
}

int root_read_file(const Root *r, const char *path, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        size_t n = 0;
        struct stat st;

        fd = open_readable(r, path, &st);
        if (fd < 0)
                return fd;
        if (S_ISREG(st.st_mode) && (size_t) st.st_size > max)
                return -EFBIG;

        /* Sized by fstat(), not by max: a buffer of max bytes per file open at once (an
         * include chain) would be most of the peak memory. The file may grow while read. */
        size_t cap = S_ISREG(st.st_mode) ? (size_t) st.st_size + 1 : 1;

        buf = malloc(cap + 1);
        if (!buf)
                return -ENOMEM;
        if (S_ISREG(st.st_mode))
                for (;;) {
                        ssize_t k;

                        if (n == cap) {
                                char *b;

                                cap = cap > max / 2 ? max + 1 : 2 * cap;
                                b = realloc(buf, cap + 1);
                                if (!b)
                                        return -ENOMEM;
                                buf = b;
                        }
                        k = read(fd, buf + n, cap - n);
                        if (k < 0) {
                                if (errno == EINTR)
                                        continue;
                                return -errno;
                        }
                        if (k == 0)
                                break;
                        n += (size_t) k;
                        if (n > max)
                                return -EFBIG;
                }
        buf[n] = '\0';
        *ret = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = n;
        return 0;
}

int root_fopen(const Root *r, const char *path, FILE **ret) {
        struct stat st;
        FILE *f;
        int fd;

        fd = open_readable(r, path, &st);
        if (fd < 0)
                return fd;
        if (S_ISCHR(st.st_mode)) {
                close(fd);
                f = fmemopen((void *) "", 1, "r");
        } else
                f = fdopen(fd, "r");
        if (!f) {
                int e = errno;
                if (!S_ISCHR(st.st_mode))
                        close(fd);
                return -e;
        }
        *ret = f;
        return 0;
}

int root_readlink(const Root *r, const char *path, char **ret) {
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int dfd = -1;
        char buf[PATH_MAX];
        ssize_t k;

        dir = path_dirname(path);
        if (!dir)
                return -ENOMEM;
        dfd = root_open(r, dir, O_PATH | O_DIRECTORY);
        if (dfd < 0)
                return dfd;
        k = readlinkat(dfd, path_filename(path), buf, sizeof(buf) - 1);
        if (k < 0)
                return -errno;
        buf[k] = '\0';
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

int root_canonicalize(const Root *r, const char *path, char **ret) {
        _cleanup_close_ int fd = -1;
        char proc[64], buf[PATH_MAX];
        const char *inside;
        ssize_t k;

        fd = root_open(r, path, O_PATH);
        if (fd < 0)
                return fd;
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        k = readlink(proc, buf, sizeof(buf) - 1);
        if (k < 0)
                return -errno;
        buf[k] = '\0';

        if (root_is_host(r))
                inside = buf;
        else {
                inside = startswith(buf, r->path);
                if (!inside || (*inside != '/' && *inside != '\0'))
                        return -EXDEV;  /* cannot happen with RESOLVE_IN_ROOT */
        }
        *ret = strdup(*inside ? inside : "/");
        return *ret ? 0 : -ENOMEM;
}

char *root_host_path(const Root *r, const char *path) {
        if (root_is_host(r))
                return strdup(path);
        return strjoin(r->path, path[0] == '/' ? "" : "/", path);
}

char *path_join(const char *a, const char *b) {
        bool slash = *a && a[strlen(a) - 1] == '/';

        while (slash && *b == '/')
                b++;
        return strjoin(a, slash || *b == '/' ? "" : "/", b);
}

/* Drop "." and repeated slashes; with resolve_dotdot, also fold "x/.." lexically. */
static char *simplify(const char *path, bool resolve_dotdot) {
        _cleanup_strv_free_ char **parts = NULL, **out = NULL;
        _cleanup_free_ char *joined = NULL;
        bool absolute = path[0] == '/';

        if (strv_split(path, "/", &parts) < 0)
                return NULL;
        STRV_FOREACH(p, parts) {
                size_t n = strv_length(out);

                if (streq(*p, "."))
                        continue;
                if (resolve_dotdot && streq(*p, "..")) {
                        if (n > 0 && !streq(out[n - 1], "..")) {
                                free(out[n - 1]);
                                out[n - 1] = NULL;
                        } else if (!absolute && strv_extend(&out, "..") < 0)
                                return NULL;
                        continue;
                }
                if (strv_extend(&out, *p) < 0)
                        return NULL;
        }
        joined = strv_join(out, "/");
        if (!joined)
                return NULL;
        if (absolute)
                return strjoin("/", joined);
        return *joined ? TAKE_PTR(joined) : strdup(".");
}

char *path_simplify(const char *path) {
        return simplify(path, true);
}

const char *path_filename(const char *path) {
        const char *s = strrchr(path, '/');

        return s ? s + 1 : path;
}

char *path_dirname(const char *path) {
        const char *s = strrchr(path, '/');

        if (!s)
                return strdup(".");
        if (s == path)
                return strdup("/");
        return strndup(path, (size_t) (s - path));
}

char *path_simplify_keep_dotdot(const char *path) {
        return simplify(path, false);
}

bool path_is_normalized_valid(const char *path) {
        if (isempty(path) || strlen(path) >= PATH_MAX)
                return false;
        for (const char *p = path; *p;) {
                size_t n;

                p += strspn(p, "/");
                n = strcspn(p, "/");
                if (n > NAME_MAX || (n == 2 && p[0] == '.' && p[1] == '.'))
                        return false;
                p += n;
        }
        return true;
}

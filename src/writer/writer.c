/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/random.h>
#include <time.h>
#include <sys/stat.h>

#include "fsync-many.h"
#include "lookup-paths.h"
#include "macro.h"
#include "strv.h"
#include "unit-name.h"
#include "unit.h"
#include "writer.h"

#define DROPIN_MAX (1U << 20)

const char *write_action_to_string(WriteAction a) {
        static const char *const t[] = { "unchanged", "created", "updated", "removed", "failed" };
        return t[a];
}

void write_report_done(WriteReport *r) {
        for (size_t i = 0; i < r->n; i++) {
                free(r->items[i].unit);
                free(r->items[i].path);
                free(r->items[i].error);
        }
        free(r->items);
        *r = (WriteReport) {};
}

static int report_add(WriteReport *r, const Root *root, const char *path, WriteAction a, const char *err) {
        _cleanup_free_ char *dir = path_dirname(path);
        WriteResult w = {
                .unit = dir ? strndup(path_filename(dir), strlen(path_filename(dir)) - 2) : NULL,
                .path = root_host_path(root, path),
                .action = a,
                .error = err ? strdup(err) : NULL,
        };

        if (!w.unit || !w.path || (err && !w.error) || GROW(r->items, r->cap, r->n + 1) < 0) {
                free(w.unit);
                free(w.path);
                free(w.error);
                return -ENOMEM;
        }
        r->items[r->n++] = w;
        if (a == WRITE_CREATED || a == WRITE_UPDATED || a == WRITE_REMOVED)
                r->changed = true;
        return 0;
}

/* Open (creating if asked) UNIT_OUTPUT_DIR under the root, one component at a time,
 * refusing symlinks. Returns an fd or -errno; *ret_missing when it does not exist. */
static int open_output_dir(const Root *root, bool create, bool *ret_missing, char **ret_error) {
        _cleanup_strv_free_ char **parts = NULL;
        _cleanup_close_ int fd = -1;
        char at[4096] = "";

        *ret_missing = false;
        if (strv_split(UNIT_OUTPUT_DIR, "/", &parts) < 0)
                return -ENOMEM;
        fd = open(root->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        STRV_FOREACH(p, parts) {
                int nfd;

                strncat(at, "/", sizeof(at) - strlen(at) - 1);
                strncat(at, *p, sizeof(at) - strlen(at) - 1);
                nfd = openat(fd, *p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (nfd < 0 && errno == ENOENT) {
                        if (!create) {
                                *ret_missing = true;
                                return -ENOENT;
                        }
                        if (mkdirat(fd, *p, 0755) < 0 && errno != EEXIST)
                                goto fail;
                        nfd = openat(fd, *p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                }
                if (nfd < 0)
                        goto fail;
                close(fd);
                fd = nfd;
        }
        return TAKE_FD(fd);
fail:
        {
                int e = errno;
                _cleanup_free_ char *hp = root_host_path(root, at);

                asprintf_safe(ret_error, "cannot open '%s': %s", hp ? hp : at,
                              e == ELOOP || e == ENOTDIR ? "is a symlink or not a directory, refusing" : strerror(e));
                return -e;
        }
}

/* Read a file we may own; returns 1 and its text if it carries our header. */
static int read_ours(int dfd, const char *name, char **ret) {
        _cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t n = 0;

        *ret = NULL;
        if (fd < 0)
                return errno == ENOENT ? 0 : -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) || st.st_size > DROPIN_MAX)
                return 0;
        buf = malloc((size_t) st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        while (n < (size_t) st.st_size) {
                ssize_t k = read(fd, buf + n, (size_t) st.st_size - n);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                n += (size_t) k;
        }
        buf[n] = '\0';
        /* our header first, or right after a "#!" line (a script we bind) */
        if (!startswith(buf, OUR_HEADER) &&
            !(startswith(buf, "#!") && strchr(buf, '\n') && startswith(strchr(buf, '\n') + 1, OUR_HEADER)))
                return 0;
        *ret = TAKE_PTR(buf);
        return 1;
}

static int write_all(int fd, const char *s, size_t n) {
        while (n > 0) {
                ssize_t k = write(fd, s, n);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                s += k;
                n -= (size_t) k;
        }
        return 0;
}

static int fail_item(WriteReport *rep, const Root *root, const char *path, const char *step, int err) {
        _cleanup_free_ char *msg = NULL;

        if (asprintf_safe(&msg, "cannot %s: %s", step, strerror(-err)) < 0)
                return -ENOMEM;
        return report_add(rep, root, path, WRITE_FAILED, msg);
}

/* A change reported as made that then failed: the item says so instead. */
static int fail_reported(WriteReport *rep, size_t i, const char *step, int err) {
        WriteResult *w = &rep->items[i];

        free(w->error);
        w->error = NULL;
        w->action = WRITE_FAILED;
        return asprintf_safe(&w->error, "cannot %s: %s", step, strerror(-err)) < 0 ? -ENOMEM : 0;
}

/*
 * Writes are batched as dpkg batches its unpacking: every file of a batch is written to a
 * temp name and its writeback started (sync_file_range), then all are fsync()ed, which then
 * mostly waits, and renamed, then each directory fsync()ed. The journal commits once for
 * many files instead of twice per file, and the fsyncs run side by side (fsync_many) so
 * that the device flushes they wait for are shared; each file is still durable before its
 * name is.
 */
#define BATCH_FDS 256           /* open fds a batch may hold at most: a quarter of the usual 1024 */
#define STAGED_MAX 9            /* the files written next to a drop-in, and the drop-in */

/* A file written to its temp name, not yet durable or renamed. */
typedef struct StagedFile {
        int fd;                 /* -1 once fsync()ed and closed */
        char tmp[NAME_MAX + 1];
        const char *name;
        bool renamed;
} StagedFile;

/* One unit's change: the files next to its drop-in first, then the drop-in, then the
 * removal of the files it no longer names. */
typedef struct StagedUnit {
        size_t report;          /* its item in the report */
        int dfd;
        StagedFile files[STAGED_MAX];
        size_t n_files;
        char **stale;
        bool created;           /* its directory is new: the entry above it must be durable */
        bool failed;
} StagedUnit;

typedef struct Batch {
        StagedUnit units[BATCH_FDS / 2];
        size_t n, fds, max_fds;
} Batch;

/* A quarter of the fds this process may open (the caller holds some), within BATCH_FDS and
 * never below one unit's worth: a low limit makes batches small, not runs fail. */
static size_t batch_max_fds(void) {
        struct rlimit rl;
        rlim_t q;

        if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
                return BATCH_FDS;
        q = rl.rlim_cur / 4;
        return q > BATCH_FDS ? BATCH_FDS : q < 1 + STAGED_MAX ? 1 + STAGED_MAX : (size_t) q;
}

/* Write text to a hidden temp file next to name and start its writeback. */
static int stage_file(int dfd, const char *name, const char *text, unsigned mode, StagedFile *f, const char **step) {
        uint64_t rnd;
        int r;

        if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
                rnd = (uint64_t) getpid() << 20 ^ (uint64_t) time(NULL);
        /* Hidden, and not ending in ".conf": systemd never reads it. */
        *step = "create temporary file";
        if ((size_t) snprintf(f->tmp, sizeof(f->tmp), ".#%s.%016llx", name, (unsigned long long) rnd) >= sizeof(f->tmp))
                return -ENAMETOOLONG;
        f->name = name;
        f->renamed = false;
        f->fd = openat(dfd, f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (f->fd < 0)
                return -errno;
        *step = "write";
        r = write_all(f->fd, text, strlen(text));
        if (r >= 0) {
                *step = "chmod";
                r = fchmod(f->fd, (mode_t) mode) < 0 ? -errno : 0;
        }
        /* only a hint: fsync() below is what makes it durable */
        if (r >= 0)
                (void) sync_file_range(f->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        if (r < 0) {
                f->fd = safe_close(f->fd);
                (void) unlinkat(dfd, f->tmp, 0);
        }
        return r;
}

/* Undo what is not yet in place: temp files closed and removed. */
static void unstage(StagedUnit *u) {
        for (size_t i = 0; i < u->n_files; i++) {
                StagedFile *f = &u->files[i];

                f->fd = safe_close(f->fd);
                if (!f->renamed)
                        (void) unlinkat(u->dfd, f->tmp, 0);
        }
        u->n_files = 0;
}

static void staged_unit_done(StagedUnit *u) {
        unstage(u);
        u->dfd = safe_close(u->dfd);
        u->stale = strv_free(u->stale);
}

static int fail_staged(WriteReport *rep, StagedUnit *u, const char *step, int r) {
        unstage(u);
        u->failed = true;
        return fail_reported(rep, u->report, step, r);
}

/* Once its files are durable: renamed in order, the files the drop-in names before it and
 * its directory fsync()ed between, so that it never names a missing one; then the files
 * it no longer names removed, once it is durable. */
static int install_staged(StagedUnit *u, const char **step) {
        for (size_t i = 0; i < u->n_files; i++) {
                StagedFile *f = &u->files[i];
                int r = close(f->fd);

                f->fd = -1;
                if (r < 0) {
                        *step = "close";
                        return -errno;
                }
        }
        for (size_t i = 0; i < u->n_files; i++) {
                StagedFile *f = &u->files[i];

                if (i > 0 && streq(f->name, OUR_DROPIN_NAME) && fsync(u->dfd) < 0) {
                        *step = "fsync directory";
                        return -errno;
                }
                *step = "rename";
                if (renameat(u->dfd, f->tmp, u->dfd, f->name) < 0)
                        return -errno;
                f->renamed = true;
        }
        if (u->stale && u->n_files > 0 && fsync(u->dfd) < 0) {
                *step = "fsync directory";
                return -errno;
        }
        STRV_FOREACH(f, u->stale)
                if (unlinkat(u->dfd, *f, 0) < 0 && errno != ENOENT) {
                        *step = "remove a file no longer needed next to it";
                        return -errno;
                }
        return 0;
}

/* fsync() the temp files (files) or the directories (!files) of the units not failed, all
 * at once (fsync_many); a unit with one that fails fails. */
static int fsync_staged(Batch *b, bool files, const char *step, WriteReport *rep) {
        _cleanup_free_ int *fds = calloc(b->fds, sizeof(int)), *errs = calloc(b->fds, sizeof(int));
        _cleanup_free_ size_t *unit_of = calloc(b->fds, sizeof(size_t));
        size_t n = 0;
        int r = 0;

        if (!fds || !errs || !unit_of)
                return -ENOMEM;
        for (size_t i = 0; i < b->n; i++) {
                const StagedUnit *u = &b->units[i];

                for (size_t k = 0; !u->failed && k < (files ? u->n_files : 1); k++) {
                        unit_of[n] = i;
                        fds[n++] = files ? u->files[k].fd : u->dfd;
                }
        }
        fsync_many(fds, errs, n);
        for (size_t k = 0; k < n && r >= 0; k++)
                if (errs[k] < 0 && !b->units[unit_of[k]].failed)
                        r = fail_staged(rep, &b->units[unit_of[k]], step, errs[k]);
        return r;
}

/* Make a batch durable and in place, one report item per unit, then empty it: every file
 * durable, then each in place, then each directory durable. */
static int commit_batch(int sysfd, Batch *b, WriteReport *rep) {
        const char *step;
        bool created = false;
        int r = b->n > 0 ? fsync_staged(b, true, "fsync", rep) : 0;

        for (size_t i = 0; i < b->n && r >= 0; i++) {
                StagedUnit *u = &b->units[i];
                int k = u->failed ? 0 : install_staged(u, &step);

                if (k < 0)
                        r = fail_staged(rep, u, step, k);
        }
        if (r >= 0 && b->n > 0)
                r = fsync_staged(b, false, "fsync directory", rep);
        /* a new "<unit>.d": its entry in the directory above, once for all */
        for (size_t i = 0; i < b->n; i++)
                created = created || (!b->units[i].failed && b->units[i].created);
        if (r >= 0 && created && fsync(sysfd) < 0) {
                int k = -errno;

                for (size_t i = 0; i < b->n && r >= 0; i++)
                        if (!b->units[i].failed && b->units[i].created)
                                r = fail_staged(rep, &b->units[i], "fsync the directory above it", k);
        }
        for (size_t i = 0; i < b->n; i++)
                staged_unit_done(&b->units[i]);
        b->n = b->fds = 0;
        return r;
}

/* A directory stream of an open directory, from its start, leaving fd open. */
static int opendir_at(int fd, DIR **ret) {
        int copy = dup(fd);

        if (copy < 0)
                return -errno;
        *ret = fdopendir(copy);
        if (!*ret) {
                int e = errno;

                close(copy);
                return -e;
        }
        rewinddir(*ret);
        return 0;
}

/* 1 when a file written next to the drop-in is as wanted (ours, same text, same mode);
 * 0 when it must be written; -EEXIST when a file that is not ours is in the way. */
static int file_current(int dfd, const WantedFile *f) {
        _cleanup_free_ char *cur = NULL;
        struct stat st;
        int r = read_ours(dfd, f->name, &cur);

        if (r < 0)
                return r;
        if (r == 0)
                return faccessat(dfd, f->name, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ? -EEXIST : 0;
        if (!streq(cur, f->text))
                return 0;
        if (fstatat(dfd, f->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;
        return (st.st_mode & 07777) == f->mode;
}

static bool file_wanted(const WantedDropin *w, const char *name) {
        for (size_t i = 0; w && i < w->n_files; i++)
                if (streq(w->files[i].name, name))
                        return true;
        return false;
}

/* ".#NAME.XXXXXXXXXXXXXXXX" (16 hex digits), NAME ours: the temp file of a run killed
 * between creating and renaming it. Never one of a live run: runs hold the lock. */
static bool stale_temp(const char *name) {
        const char *p = startswith(name, ".#");
        const char *dot;

        if (!p || !startswith(p, OUR_FILE_PREFIX))
                return false;
        dot = strrchr(p, '.');
        return strlen(dot + 1) == 16 && strspn(dot + 1, "0123456789abcdef") == 16;
}

/* Our files next to the drop-in that w does not want (w NULL: none is), and the temp files
 * killed runs left (systemd never reads them, but they would stay forever). */
static int stale_files(int dfd, const WantedDropin *w, char ***ret, char ***ret_temps) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int r = opendir_at(dfd, &d);

        *ret = *ret_temps = NULL;
        if (r < 0)
                return r;
        while ((de = readdir(d))) {
                _cleanup_free_ char *cur = NULL;

                if (stale_temp(de->d_name)) {
                        if (strv_extend(ret_temps, de->d_name) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (!startswith(de->d_name, OUR_FILE_PREFIX) || streq(de->d_name, OUR_DROPIN_NAME) ||
                    file_wanted(w, de->d_name))
                        continue;
                r = read_ours(dfd, de->d_name, &cur);
                if (r == -ENOMEM)
                        return r;
                if (r > 0 && strv_extend(ret, de->d_name) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* Unlink each of names in dfd, then make that durable. */
static int remove_all(int dfd, char **names, const char **step) {
        STRV_FOREACH(f, names)
                if (unlinkat(dfd, *f, 0) < 0 && errno != ENOENT) {
                        *step = "remove a file no longer needed next to it";
                        return -errno;
                }
        *step = "fsync directory";
        return names && fsync(dfd) < 0 ? -errno : 0;
}

/* Decide a unit's change and report it; when it writes, stage its files in b (the caller
 * commits b when full and at the end). */
static int stage_one(const Root *root, int sysfd, const WantedDropin *w, bool dry_run, Batch *b, WriteReport *rep) {
        _cleanup_free_ char *dir = NULL, *path = NULL, *cur = NULL;
        _cleanup_strv_free_ char **stale = NULL, **temps = NULL;
        _cleanup_close_ int dfd = -1;
        const char *step = "open directory";
        bool exists, created = false, write_files[STAGED_MAX - 1] = {}, any_file = false;
        StagedUnit *u;
        int r;

        if (!unit_name_is_valid(w->unit, UNIT_NAME_ANY) || w->n_files > ELEMENTSOF(write_files))
                return -EINVAL;
        dir = strjoin(w->unit, ".d");
        path = strjoin(UNIT_OUTPUT_DIR "/", w->unit, ".d/" OUR_DROPIN_NAME);
        if (!dir || !path)
                return -ENOMEM;
        dfd = sysfd < 0 ? -ENOENT : openat(sysfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0 && sysfd >= 0)
                dfd = -errno;
        if (dfd == -ENOENT) {
                if (dry_run)
                        return report_add(rep, root, path, WRITE_CREATED, NULL);
                step = "create directory";
                if (mkdirat(sysfd, dir, 0755) < 0 && errno != EEXIST)
                        return fail_item(rep, root, path, step, -errno);
                created = true;
                dfd = openat(sysfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (dfd < 0)
                        dfd = -errno;
        }
        if (dfd < 0)
                return fail_item(rep, root, path, dfd == -ELOOP || dfd == -ENOTDIR ?
                                 "use directory (a symlink or not a directory, refusing)" : step, dfd);
        r = read_ours(dfd, OUR_DROPIN_NAME, &cur);
        if (r < 0)
                return fail_item(rep, root, path, "read current drop-in", r);
        exists = faccessat(dfd, OUR_DROPIN_NAME, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
        if (exists && r == 0)   /* not ours: the planner should have stopped this */
                return fail_item(rep, root, path, "replace a file without our header", -EEXIST);
        for (size_t i = 0; i < w->n_files; i++) {
                r = file_current(dfd, &w->files[i]);
                if (r < 0)
                        return fail_item(rep, root, path, r == -EEXIST ? "replace a file without our header next to it" :
                                         "read a file next to it", r);
                write_files[i] = r == 0;
                any_file = any_file || r == 0;
        }
        r = stale_files(dfd, w, &stale, &temps);
        if (r < 0)
                return fail_item(rep, root, path, "list the files next to it", r);
        /* a killed run's temp file is no change systemd sees: removed quietly */
        if (!dry_run) {
                r = remove_all(dfd, temps, &step);
                if (r < 0)
                        return fail_item(rep, root, path, step, r);
        }
        if (cur && streq(cur, w->text) && !any_file && !stale)
                return report_add(rep, root, path, WRITE_UNCHANGED, NULL);
        r = report_add(rep, root, path, exists ? WRITE_UPDATED : WRITE_CREATED, NULL);
        if (r < 0 || dry_run)
                return r;

        u = &b->units[b->n++];
        *u = (StagedUnit) { .report = rep->n - 1, .dfd = TAKE_FD(dfd), .stale = TAKE_PTR(stale), .created = created };
        b->fds++;
        for (size_t i = 0; i <= w->n_files; i++) {
                bool dropin = i == w->n_files;

                if (dropin ? cur && streq(cur, w->text) : !write_files[i])
                        continue;
                r = stage_file(u->dfd, dropin ? OUR_DROPIN_NAME : w->files[i].name, dropin ? w->text : w->files[i].text,
                               dropin ? 0644 : w->files[i].mode, &u->files[u->n_files], &step);
                if (r < 0)
                        return fail_staged(rep, u, step, r);
                u->n_files++;
                b->fds++;
        }
        return 0;
}

static bool wanted_contains(const WantedDropin *wanted, size_t n, const char *unit) {
        for (size_t i = 0; i < n; i++)
                if (streq(wanted[i].unit, unit))
                        return true;
        return false;
}

/* A .d directory with no drop-in of ours: only the temp files a killed run left there
 * (when it was creating the drop-in) are removed, and the directory with them if that
 * empties it. An administrator's empty directory stays. */
static int prune_temps(int sysfd, int dfd, const char *dir) {
        _cleanup_strv_free_ char **stale = NULL, **temps = NULL;
        const char *step;
        int r = stale_files(dfd, NULL, &stale, &temps);

        if (r < 0 || !temps)
                return r;
        r = remove_all(dfd, temps, &step);
        if (r < 0)
                return r;
        (void) unlinkat(sysfd, dir, AT_REMOVEDIR);      /* only if empty */
        return 0;
}

/* Remove our drop-ins for units no longer wanted, then the files written with them. */
static int prune(const Root *root, int sysfd, const WantedDropin *wanted, size_t n, bool dry_run, WriteReport *rep) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int r = opendir_at(sysfd, &d);

        if (r < 0)
                return r;
        while ((de = readdir(d))) {
                _cleanup_free_ char *unit = NULL, *cur = NULL, *path = NULL;
                _cleanup_strv_free_ char **files = NULL, **temps = NULL;
                _cleanup_close_ int dfd = -1;
                const char *e = endswith(de->d_name, ".d"), *step;

                if (!e || de->d_name[0] == '.')
                        continue;
                unit = strndup(de->d_name, (size_t) (e - de->d_name));
                if (!unit)
                        return -ENOMEM;
                if (!unit_name_is_valid(unit, UNIT_NAME_ANY) || wanted_contains(wanted, n, unit))
                        continue;
                dfd = openat(sysfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (dfd < 0)
                        continue;       /* a symlinked .d is not ours to prune */
                r = read_ours(dfd, OUR_DROPIN_NAME, &cur);
                if (r == -ENOMEM)
                        return r;
                if (r <= 0) {
                        if (!dry_run && prune_temps(sysfd, dfd, de->d_name) == -ENOMEM)
                                return -ENOMEM;
                        continue;
                }
                path = strjoin(UNIT_OUTPUT_DIR "/", de->d_name, "/" OUR_DROPIN_NAME);
                if (!path)
                        return -ENOMEM;
                if (!dry_run) {
                        step = "remove";
                        r = unlinkat(dfd, OUR_DROPIN_NAME, 0) < 0 ? -errno : 0;
                        if (r >= 0)
                                r = stale_files(dfd, NULL, &files, &temps);
                        if (r >= 0)
                                r = remove_all(dfd, files, &step);
                        if (r >= 0)
                                r = remove_all(dfd, temps, &step);
                        if (r >= 0 && !files && !temps && fsync(dfd) < 0)
                                r = -errno, step = "fsync directory";
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0) {
                                r = fail_item(rep, root, path, step, r);
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        /* only if empty; one left behind is harmless and not ours to report */
                        (void) unlinkat(sysfd, de->d_name, AT_REMOVEDIR);
                }
                r = report_add(rep, root, path, WRITE_REMOVED, NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}

int writer_apply(const Root *root, const WantedDropin *wanted, size_t n, bool dry_run,
                 WriteReport *report, char **ret_error) {
        _cleanup_close_ int sysfd = -1;
        _cleanup_free_ Batch *b = NULL;
        bool missing;
        int r = 0, k;

        *report = (WriteReport) {};
        *ret_error = NULL;
        sysfd = open_output_dir(root, !dry_run && n > 0, &missing, ret_error);
        if (sysfd < 0 && !missing)
                return sysfd;
        if (sysfd >= 0 && !dry_run && flock(sysfd, LOCK_EX) < 0) {
                r = -errno;
                asprintf_safe(ret_error, "cannot lock '%s%s': %s", root_is_host(root) ? "" : root->path,
                              UNIT_OUTPUT_DIR, strerror(-r));
                return r;
        }
        b = calloc(1, sizeof(*b));
        if (!b)
                return -ENOMEM;
        b->max_fds = batch_max_fds();
        for (size_t i = 0; i < n && r >= 0; i++) {
                if (b->n == ELEMENTSOF(b->units) || b->fds + 1 + STAGED_MAX > b->max_fds)
                        r = commit_batch(sysfd, b, report);
                if (r >= 0)
                        r = stage_one(root, sysfd, &wanted[i], dry_run, b, report);
        }
        /* on an error that ends the run, what was staged before it is still put in place */
        k = commit_batch(sysfd, b, report);
        if (r >= 0)
                r = k;
        if (r >= 0 && sysfd >= 0)
                r = prune(root, sysfd, wanted, n, dry_run, report);
        /* a change that failed after it was reported is no change */
        report->changed = false;
        for (size_t i = 0; i < report->n; i++)
                report->changed = report->changed || (report->items[i].action != WRITE_UNCHANGED &&
                                                      report->items[i].action != WRITE_FAILED);
        return r;
}

int writer_open_output(const Root *root) {
        _cleanup_free_ char *err = NULL;
        bool missing;

        /* An unusable one (a symlink at etc/systemd, …) is writer_apply()'s to report, once,
         * naming it: here it only means that there is nothing to read. */
        return open_output_dir(root, false, &missing, &err);
}

int writer_read_file(int sysfd, const char *unit, const char *name, char **ret) {
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int dfd = -1;
        int r;

        *ret = NULL;
        if (!unit_name_is_valid(unit, UNIT_NAME_ANY) || !startswith(name, OUR_FILE_PREFIX) || strchr(name, '/'))
                return -EINVAL;
        if (sysfd < 0)
                return 0;
        dir = strjoin(unit, ".d");
        if (!dir)
                return -ENOMEM;
        dfd = openat(sysfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
                return 0;
        r = read_ours(dfd, name, ret);
        return r < 0 ? r : 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <seccomp.h>

#include "macro.h"
#include "strv.h"
#include "syscalls.h"

#define GROUP_DEPTH 8
#define ERRNO_MAX_ 4095
#define ERROR_KILL (0x7fffffff - 1)     /* SECCOMP_ERROR_NUMBER_KILL */

typedef struct Group {
        const char *name, *members;
} Group;

static const Group groups[] = {
#include "syscall-groups.inc"
};

static ssize_t group_index(const char *group) {
        for (size_t i = 0; i < ELEMENTSOF(groups); i++)
                if (streq(groups[i].name, group))
                        return (ssize_t) i;
        return -1;
}

const char *syscall_group_members(const char *group) {
        ssize_t g = group_index(group);

        return g < 0 ? NULL : groups[g].members;
}

void syscall_filter_clear(SyscallFilter *f) {
        free(f->entries);
        *f = (SyscallFilter) {};
}

int syscall_filter_copy(SyscallFilter *dst, const SyscallFilter *src) {
        *dst = *src;
        dst->entries = NULL;
        dst->cap = dst->n = 0;
        if (src->n == 0)
                return 0;
        dst->entries = malloc(sizeof(SyscallEntry) * src->n);
        if (!dst->entries)
                return -ENOMEM;
        memcpy(dst->entries, src->entries, sizeof(SyscallEntry) * src->n);
        dst->n = dst->cap = src->n;
        return 0;
}

static size_t find(const SyscallFilter *f, int id, bool *found) {
        size_t lo = 0, hi = f->n;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;

                if (f->entries[mid].id == id) {
                        *found = true;
                        return mid;
                }
                if (f->entries[mid].id < id)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        *found = false;
        return lo;
}

static int put(SyscallFilter *f, int id, int error) {
        bool found;
        size_t i = find(f, id, &found);

        if (found) {
                f->entries[i].error = error;
                return 0;
        }
        if (GROW(f->entries, f->cap, f->n + 1) < 0)
                return -ENOMEM;
        memmove(f->entries + i + 1, f->entries + i, sizeof(SyscallEntry) * (f->n - i));
        f->entries[i] = (SyscallEntry) { .id = id, .error = error };
        f->n++;
        return 0;
}

static void del(SyscallFilter *f, int id) {
        bool found;
        size_t i = find(f, id, &found);

        if (!found)
                return;
        memmove(f->entries + i, f->entries + i + 1, sizeof(SyscallEntry) * (f->n - i - 1));
        f->n--;
}

/* The system calls a group expands to, as parse_name() expanded it word by word: members
 * in turn, nested groups up to GROUP_DEPTH, names libseccomp does not know skipped. */
static int collect(const char *name, unsigned depth, int **ids, size_t *n, size_t *cap) {
        if (name[0] == '@') {
                const char *m = syscall_group_members(name);

                if (!m || depth > GROUP_DEPTH)
                        return 0;       /* unknown group: systemd ignores it (permissive) */
                for (const char *i = m; *i; i += strlen(i) + 1) {
                        int r = collect(i, depth + 1, ids, n, cap);
                        if (r < 0)
                                return r;
                }
                return 0;
        }
        {
                int id = seccomp_syscall_resolve_name(name);

                if (id == __NR_SCMP_ERROR)
                        return 0;       /* unknown here: ignored, as systemd ignores it */
                if (GROW(*ids, *cap, *n + 1) < 0)
                        return -ENOMEM;
                (*ids)[(*n)++] = id;
                return 0;
        }
}

static int cmp_int(const void *a, const void *b) {
        int x = *(const int *) a, y = *(const int *) b;

        return (x > y) - (x < y);
}

typedef struct GroupIds {
        bool done;
        int *ids;               /* sorted, each once */
        size_t n;
} GroupIds;

/* A group's expansion, resolved once per process: every unit names the same few groups,
 * and resolving each member through libseccomp for every unit was a fifth of a
 * regenerate. A set is enough, since one word's members all get the same operation (add
 * with one errno, or remove), for which order and repeats make no difference. Kept to
 * the end of the process, like the group table it mirrors. */
static int group_ids(size_t g, const GroupIds **ret) {
        static GroupIds cache[ELEMENTSOF(groups)];
        GroupIds *c = &cache[g];

        if (!c->done) {
                int *ids = NULL;
                size_t n = 0, cap = 0, k = 0;

                if (collect(groups[g].name, 0, &ids, &n, &cap) < 0) {
                        free(ids);
                        return -ENOMEM;
                }
                if (n > 0)
                        qsort(ids, n, sizeof(int), cmp_int);
                for (size_t i = 0; i < n; i++)
                        if (k == 0 || ids[k - 1] != ids[i])
                                ids[k++] = ids[i];
                *c = (GroupIds) { .done = true, .ids = ids, .n = k };
        }
        *ret = c;
        return 0;
}

/* Adds the sorted ids with one errno in one merge, not one insertion each. */
static int put_all(SyscallFilter *f, const int *ids, size_t n, int error) {
        size_t i = 0, j = 0, k = 0, cap = f->n + n;
        SyscallEntry *m;

        if (n == 0)
                return 0;
        m = malloc(sizeof(SyscallEntry) * cap);
        if (!m)
                return -ENOMEM;
        while (i < f->n || j < n) {
                if (j == n || (i < f->n && f->entries[i].id < ids[j]))
                        m[k++] = f->entries[i++];
                else {
                        if (i < f->n && f->entries[i].id == ids[j])
                                i++;    /* replaced, as put() replaces the errno */
                        m[k++] = (SyscallEntry) { .id = ids[j++], .error = error };
                }
        }
        free(f->entries);
        f->entries = m;
        f->n = k;
        f->cap = cap;
        return 0;
}

/* Removes the sorted ids in one pass. */
static void del_all(SyscallFilter *f, const int *ids, size_t n) {
        size_t j = 0, k = 0;

        for (size_t i = 0; i < f->n; i++) {
                while (j < n && ids[j] < f->entries[i].id)
                        j++;
                if (j < n && ids[j] == f->entries[i].id)
                        continue;
                f->entries[k++] = f->entries[i];
        }
        f->n = k;
}

/* seccomp_parse_syscall_filter(): a name or a group, into the map. The polarity of the
 * list adds; the other one removes (except an errno entry of a deny word on an allow
 * list, which is kept with its errno). */
static int parse_name(SyscallFilter *f, const char *name, int error, bool invert) {
        bool add = !invert == f->allow_list || (invert && f->allow_list && error >= 0);

        if (name[0] == '@') {
                ssize_t g = group_index(name);
                const GroupIds *c;

                if (g < 0)
                        return 0;       /* unknown group: systemd ignores it (permissive) */
                if (group_ids((size_t) g, &c) < 0)
                        return -ENOMEM;
                if (add)
                        return put_all(f, c->ids, c->n, error);
                del_all(f, c->ids, c->n);
                return 0;
        }
        {
                int id = seccomp_syscall_resolve_name(name);

                if (id == __NR_SCMP_ERROR)
                        return 0;       /* unknown here: ignored, as systemd ignores it */
                if (add)
                        return put(f, id, error);
                del(f, id);
                return 0;
        }
}

static int parse_errno_or_action(const char *s) {
        char *end;
        long v;

        if (streq(s, "kill"))
                return ERROR_KILL;
        for (int e = 1; e <= 133; e++) {
                const char *n = strerrorname_np(e);
                if (n && streq(n, s))
                        return e;
        }
        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || end == s || *end || v < 0 || v > ERRNO_MAX_)
                return -ERANGE;
        return (int) v;
}

int syscall_filter_assign(SyscallFilter *f, const char *value, bool with_default,
                          void (*warn)(const char *msg, const char *word, void *data), void *data) {
        _cleanup_strv_free_ char **words = NULL;
        bool invert = false;
        int r;

        if (isempty(value)) {
                syscall_filter_clear(f);
                return 0;
        }
        if (value[0] == '~') {
                invert = true;
                value++;
        }
        if (!f->exists) {
                f->exists = true;
                f->allow_list = !invert;
                if (f->allow_list && with_default) {
                        r = parse_name(f, "@default", -1, false);
                        if (r < 0)
                                return r;
                }
        }
        if (strv_split(value, " \t\n\r", &words) < 0)
                return -ENOMEM;
        STRV_FOREACH(w, words) {
                _cleanup_free_ char *name = strdup(*w);
                char *colon;
                int error = -1;

                if (!name)
                        return -ENOMEM;
                colon = strchr(name, ':');
                if (colon) {
                        *colon = '\0';
                        error = parse_errno_or_action(colon + 1);
                        if (error < 0 || !with_default || isempty(name)) {
                                warn("failed to parse syscall:errno, ignoring", *w, data);
                                continue;
                        }
                }
                if (!invert && error >= 0) {
                        warn("allow-listed system calls cannot take error number, ignoring", *w, data);
                        continue;
                }
                r = parse_name(f, name, error, invert);
                if (r < 0)
                        return r;
        }
        return 0;
}

bool syscall_filter_allows(const SyscallFilter *f, int id) {
        bool found;
        size_t i;

        if (!f->exists)
                return true;
        i = find(f, id, &found);
        if (f->allow_list)
                return found && f->entries[i].error < 0;
        return !found;
}

static bool allows_name(const SyscallFilter *f, const char *name, unsigned depth) {
        if (name[0] == '@') {
                const char *m = syscall_group_members(name);

                if (!m || depth > GROUP_DEPTH)
                        return true;
                for (const char *i = m; *i; i += strlen(i) + 1)
                        if (!allows_name(f, i, depth + 1))
                                return false;
                return true;
        }
        {
                int id = seccomp_syscall_resolve_name(name);

                /* A pseudo-syscall (negative) is not a system call of this architecture. */
                return id == __NR_SCMP_ERROR || id < 0 || syscall_filter_allows(f, id);
        }
}

bool syscall_filter_allows_group(const SyscallFilter *f, const char *group) {
        return allows_name(f, group, 0);
}

bool syscall_filter_active(const SyscallFilter *f) {
        return f->allow_list || f->n > 0;
}

char *syscall_filter_format(const SyscallFilter *f) {
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *j = NULL;

        for (size_t i = 0; i < f->n; i++) {
                const SyscallEntry *e = &f->entries[i];
                char *name, *s;

                if (f->allow_list && e->error >= 0)
                        continue;       /* an errno entry of an allow list is a denial */
                name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, e->id);
                if (!name)
                        continue;
                if (e->error >= 0) {
                        const char *en = e->error == ERROR_KILL ? "kill" : strerrorname_np(e->error);

                        if (en)
                                s = strjoin(name, ":", en);
                        else if (asprintf(&s, "%s:%d", name, e->error) < 0)
                                s = NULL;
                        free(name);
                } else
                        s = name;
                if (strv_consume(&l, s) < 0)
                        return NULL;
        }
        strv_sort(l);
        j = strv_join(l, " ");
        if (!j)
                return NULL;
        return strjoin(f->allow_list ? "" : "~", j);
}

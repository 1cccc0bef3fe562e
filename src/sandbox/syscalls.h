/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * SystemCallFilter= and SystemCallLog= as systemd 252 builds them: a map from system
 * call to errno, filled word by word (config_parse_syscall_filter() and
 * seccomp_parse_syscall_filter()): "@group" expands to its members (the groups are
 * generated from systemd-analyze at build time), names are resolved by libseccomp for the
 * native architecture (unknown ones are skipped, as systemd skips them), an allow list
 * starts from @default, and a word of the other polarity removes from the map.
 */

#include <stdbool.h>
#include <stddef.h>

typedef struct SyscallEntry {
        int id;                 /* libseccomp's number (negative for pseudo-syscalls) */
        int error;              /* errno or action for "name:EPERM", -1 for none */
} SyscallEntry;

typedef struct SyscallFilter {
        bool exists;            /* the map exists (even empty) */
        bool allow_list;
        SyscallEntry *entries;  /* sorted by id */
        size_t n, cap;
} SyscallFilter;

void syscall_filter_clear(SyscallFilter *f);
int syscall_filter_copy(SyscallFilter *dst, const SyscallFilter *src);

/* One assignment's value; with_default: SystemCallFilter= (an allow list starts from
 * @default), not SystemCallLog=. warn(word) is called for unparsable words. */
int syscall_filter_assign(SyscallFilter *f, const char *value, bool with_default,
                          void (*warn)(const char *msg, const char *word, void *data), void *data);

/* Does the filter let the system call through? */
bool syscall_filter_allows(const SyscallFilter *f, int id);
/* Does it let every member of a group (or one name) through? Unknown names count as allowed. */
bool syscall_filter_allows_group(const SyscallFilter *f, const char *group);
/* Does the filter exist in a way that implies NoNewPrivileges (context_has_syscall_filters())? */
bool syscall_filter_active(const SyscallFilter *f);
/* systemctl show: "~" for a deny list, then "name" or "name:EPERM", sorted. */
char *syscall_filter_format(const SyscallFilter *f);
/* Members of a group (NUL-separated, may name other groups), or NULL if unknown. */
const char *syscall_group_members(const char *group);

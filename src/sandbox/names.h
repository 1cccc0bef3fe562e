/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Names systemd accepts in RestrictAddressFamilies=, CapabilityBoundingSet= and
 * SystemCallArchitectures=. The family and capability tables are generated from the
 * system headers at build time (gen-name-lists.sh), as systemd generates its own.
 */

#include <sched.h>
#include <stdint.h>

/* Address families: AF_* value, or -EINVAL. */
int af_from_name(const char *name);
/* The name systemd prints for a family (AF_UNIX, not AF_LOCAL); NULL if unknown. */
const char *af_to_name(int af);
#define AF_BITS 64      /* every AF_* of glibc 2.36 is below 64 (AF_MAX is 46) */

/* Capabilities: number, or -EINVAL. Case-insensitive; 0..63 accepted as numbers. */
int capability_from_name(const char *name);
const char *capability_to_name(int cap);        /* "cap_sys_admin"; NULL if unknown */
uint64_t capability_known_mask(void);           /* bits of every named capability */

/* SystemCallArchitectures= names of systemd 252 (seccomp_arch_to_string()); index 0 is
 * "native". Returns the index or -EINVAL. */
int seccomp_arch_from_name(const char *name);
const char *seccomp_arch_to_name(int arch);
#define SECCOMP_ARCH_COUNT 20

/* Namespace types (namespace_info[] of systemd 252): "cgroup", "ipc", "net", "mnt", "pid",
 * "user", "uts", "time", in that order, with their CLONE_NEW* flag. NAMESPACE_FLAGS_ALL
 * leaves out CLONE_NEWTIME, as systemd's does. */
#define NAMESPACE_TYPE_COUNT 8
#define NAMESPACE_FLAGS_ALL ((unsigned long) (CLONE_NEWCGROUP | CLONE_NEWIPC | CLONE_NEWNET | \
                                              CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUSER | CLONE_NEWUTS))
const char *namespace_type_name(int i);
unsigned long namespace_type_flag(int i);
/* The flag of a (case-sensitive) type name, 0 if unknown. */
unsigned long namespace_flag_from_name(const char *name);

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <linux/capability.h>
#include <strings.h>
#include <sys/socket.h>

#include "macro.h"
#include "names.h"

typedef struct NameValue {
        const char *name;
        int value;
} NameValue;

static const NameValue af_names[] = {
#include "af-list.inc"
};

static const NameValue cap_names[] = {
#include "cap-list.inc"
};

static const char *const arch_names[SECCOMP_ARCH_COUNT] = {
        "native", "x86", "x86-64", "x32", "arm", "arm64", "mips", "mips64", "mips64-n32",
        "mips-le", "mips64-le", "mips64-le-n32", "parisc", "parisc64", "ppc", "ppc64",
        "ppc64-le", "riscv64", "s390", "s390x",
};

int af_from_name(const char *name) {
        /* systemd's table is generated with gperf --ignore-case: "af_unix" is accepted. */
        for (size_t i = 0; i < ELEMENTSOF(af_names); i++)
                if (strcasecmp(af_names[i].name, name) == 0)
                        return af_names[i].value;
        return -EINVAL;
}

const char *af_to_name(int af) {
        /* Several names share a value (AF_LOCAL = AF_FILE = AF_UNIX, AF_ROUTE =
         * AF_NETLINK); print the one systemctl prints. */
        if (af == AF_UNIX)
                return "AF_UNIX";
        if (af == AF_NETLINK)
                return "AF_NETLINK";
        for (size_t i = 0; i < ELEMENTSOF(af_names); i++)
                if (af_names[i].value == af)
                        return af_names[i].name;
        return NULL;
}

int capability_from_name(const char *name) {
        char *end;
        long v;

        if (*name >= '0' && *name <= '9') {
                errno = 0;
                v = strtol(name, &end, 10);
                if (errno || *end || v < 0 || v > 63)
                        return -EINVAL;
                return (int) v;
        }
        for (size_t i = 0; i < ELEMENTSOF(cap_names); i++)
                if (strcasecmp(cap_names[i].name, name) == 0)
                        return cap_names[i].value;
        return -EINVAL;
}

const char *capability_to_name(int cap) {
        for (size_t i = 0; i < ELEMENTSOF(cap_names); i++)
                if (cap_names[i].value == cap)
                        return cap_names[i].name;
        return NULL;
}

uint64_t capability_known_mask(void) {
        uint64_t m = 0;

        for (size_t i = 0; i < ELEMENTSOF(cap_names); i++)
                m |= UINT64_C(1) << cap_names[i].value;
        return m;
}

int seccomp_arch_from_name(const char *name) {
        for (int i = 0; i < SECCOMP_ARCH_COUNT; i++)
                if (streq(arch_names[i], name))
                        return i;
        return -EINVAL;
}

const char *seccomp_arch_to_name(int arch) {
        return arch >= 0 && arch < SECCOMP_ARCH_COUNT ? arch_names[arch] : NULL;
}

static const struct {
        const char *name;
        unsigned long flag;
} namespace_types[NAMESPACE_TYPE_COUNT] = {
        { "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET },
        { "mnt", CLONE_NEWNS }, { "pid", CLONE_NEWPID }, { "user", CLONE_NEWUSER },
        { "uts", CLONE_NEWUTS }, { "time", CLONE_NEWTIME },
};

const char *namespace_type_name(int i) {
        return namespace_types[i].name;
}

unsigned long namespace_type_flag(int i) {
        return namespace_types[i].flag;
}

unsigned long namespace_flag_from_name(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(namespace_types); i++)
                if (streq(name, namespace_types[i].name))
                        return namespace_types[i].flag;
        return 0;
}

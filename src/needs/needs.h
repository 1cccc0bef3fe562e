/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Stage 3b: what the host's configuration needs from one unit's sandbox.
 *
 * Input: Facts (nsswitch.conf, servers), the RuleSet, and the unit's baseline view.
 * Output: a NeedList — address families and servers, each with the evidence chain that
 * produced it (nsswitch.conf line → service → rule → what it contacts) — plus services
 * no rule describes, and needs no drop-in can meet. Pure: reads no file.
 *
 * Which databases count for a unit:
 *   - user and group databases (passwd, group, shadow, gshadow, initgroups): every
 *     unit — any daemon may resolve a user, and initgroups() runs for User=;
 *   - hosts, services, protocols (getaddrinfo() reads all three): only units that can reach a host other than themselves over IP (AF_INET or AF_INET6
 *     allowed, no PrivateNetwork=, and an IPAddressDeny= that leaves some address beyond
 *     loopback): a unit that can talk to no other host has no use for resolving one;
 *   - passwd_compat/group_compat/shadow_compat: only through "compat" when the
 *     corresponding file has "+"/"-" entries;
 *   - netgroup, aliases, publickey, networks, rpc, ethers: never for a unit in general.
 *     Only particular programs use them (innetgr() in sshd, sudo and NFS; mail aliases
 *     in MTAs; Secure RPC keys; getnetbyname(), getrpcbyname(), ether_ntohost()), and
 *     Debian's default "netgroup: nis" would otherwise open the network to every unit
 *     on every Debian system.
 * Which services count: every service glibc can reach — the first, and each one after a
 * service with at least one status that does not "return" and can happen. UNAVAIL
 * happens when the module is not installed or the daemon answering it (the rule's
 * Daemon=) is not enabled; otherwise the unit reaches the daemon, since it is granted
 * what that takes. So with "resolve [!UNAVAIL=return] dns", dns counts on a host without
 * an enabled systemd-resolved, and not on one with it.
 * Services after a word starting with '#' are glibc's accidental modules (comments it
 * does not strip) and need nothing.
 *
 * PAM (needs-pam.c): every line of every stack the unit runs whose module file exists
 * (a missing module needs nothing: libpam fails that line whatever the sandbox) and
 * whose module implements the line's type. The rule's [Needs] and its [Needs:TYPE] for
 * the line's type apply. A stack run before the sandbox (PAMName=) needs only what the
 * cgroup enforces from the fork on: servers (IPAddressDeny=) and devices.
 *
 * ABIs (needs-arch.c): each non-native system call ABI the unit's executables use
 * (exec-abi.h) that the kernel runs itself, on a unit whose SystemCallArchitectures= set
 * is non-empty. An empty set filters nothing, and adding the setting there would create
 * the restriction; an ABI the kernel does not run goes through binfmt_misc emulation,
 * whose system calls are native. Both become notes; a nameless ABI on a restricted unit is
 * unmet.
 */

#include <stdbool.h>

#include "exec-abi.h"
#include "facts.h"
#include "pam-use.h"
#include "rules.h"
#include "servers.h"
#include "unit.h"

typedef enum NeedKind {
        NEED_FAMILY,            /* af */
        NEED_SERVER,            /* server */
        NEED_GROUP,             /* value: a setgid helper's group, NoNewPrivileges= stops the helper */
        NEED_PATH,              /* value: a path a module writes */
        NEED_CAPABILITY,        /* number */
        NEED_SYSCALL,           /* value: "@group" or a system call name */
        NEED_NAMESPACE,         /* value: "mnt", "user", … */
        NEED_DEVICE,            /* value: a DeviceAllow= specification */
        NEED_HOME,              /* value: "read" or "write": home directories, under ProtectHome= */
        NEED_ABI,               /* value: a system call ABI ("x86") an executable of the unit uses */
        NEED_NO_NNP,            /* value: a setuid helper only an explicit NoNewPrivileges=yes stops */
        NEED_SENDMAIL_STANDIN,  /* value: the program bound over sendmail (NeedList.mta says where it submits) */
} NeedKind;

/* One reason for a need: which nsswitch.conf database or PAM stack line reached which rule;
 * for an ABI (rule NULL), which executable and how it was identified. */
typedef struct NeedReason {
        const Rule *rule;
        char *chain;            /* the full evidence, for explain */
        char *detail;           /* what the module does that needs it, when not rule->contacts */
        /* NSS (pam_service NULL) */
        NssDb db;
        unsigned line;          /* of the database's nsswitch.conf line (0: default) */
        const char *via;        /* how a *_compat database was reached, or NULL */
        /* PAM */
        const char *pam_service;
        PamType pam_type;
        const char *pam_where;  /* the stack line, "/etc/pam.d/sshd:4 → /etc/pam.d/common-auth:17" */
        /* MTA */
        const char *sender;     /* the first evidence that the unit sends mail */
} NeedReason;

typedef struct Need {
        NeedKind kind;
        int af;                 /* NEED_FAMILY */
        int number;             /* NEED_CAPABILITY */
        const Server *server;   /* NEED_SERVER, points into Facts */
        char *value;            /* the other kinds */
        bool for_servers;       /* NEED_FAMILY only needed to reach servers */
        NeedReason *reasons;
        size_t n_reasons, cap;
} Need;

typedef struct NeedList {
        Need *items;
        size_t n, cap;
        char **vias;            /* storage of NeedReason.via */
        char **unknown;         /* NSS services and PAM modules without a rule */
        char **unconfinable;    /* PAM modules that run programs the administrator supplies */
        char **unmet;           /* needs no drop-in can express */
        char **notes;           /* databases left out, stacks that run before the sandbox, … */
        bool nss_broken;        /* glibc rejects nsswitch.conf: nothing resolves */
        const MtaFacts *mta;    /* NEED_SENDMAIL_STANDIN: the listener and the stand-in program */
} NeedList;

/* pam: the PAM services the unit runs; exec: the ABIs of its executables; mail: the evidence
 * that it sends mail (NULL: none). */
int needs_compute(const Facts *f, const RuleSet *rules, const UnitView *v, const PamUseList *pam,
                  const ExecAbiList *exec, char * const *mail, NeedList *ret);
void need_list_done(NeedList *l);

/* The NSS walk's result, which depends on the unit only through whether the network
 * databases count for it: walked once for each case, then copied into every unit's list.
 * Valid for one Facts and one RuleSet; zero-initialised, freed with nss_needs_cache_done(). */
typedef struct NssNeedsCache {
        NeedList walk[2];       /* [uses the network databases] */
        bool done[2];
} NssNeedsCache;
void nss_needs_cache_done(NssNeedsCache *c);
/* needs_compute() with the NSS part from cache (NULL: walked afresh). */
int needs_compute_cached(NssNeedsCache *cache, const Facts *f, const RuleSet *rules, const UnitView *v,
                         const PamUseList *pam, const ExecAbiList *exec, char * const *mail, NeedList *ret);
/* needs-mta.c: the evidence that the unit sends mail (mta.h), read only when its sandbox
 * could break submission; *ret NULL: none. */
int mail_use_find_for_unit(Facts *f, const Root *root, const RuleSet *rules, const Unit *u, const Sandbox *sb,
                           char ***ret);
/* needs-arch.c: the ABIs of a unit's Exec*= commands that run inside its sandbox (exec-abi.h). */
int exec_abi_find_for_unit(Facts *f, const Root *root, const Unit *u, const Sandbox *sb, ExecAbiList *ret,
                           DiagList *diags);
/* "address-family", "server", "group", "path", "capability", "system-call", "namespace",
 * "device", "home", "system-call-abi", "no-new-privileges-off", "sendmail-stand-in" */
const char *need_kind_to_string(NeedKind k);
/* The need's value as a setting would write it ("AF_UNIX", "shadow", "CAP_CHOWN"). */
char *need_value_string(const Need *n);

/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * IPv4/IPv6 address prefixes as IPAddressAllow=/IPAddressDeny= hold them: parsed like
 * systemd 252's in_addr_prefix_from_string_auto() (bare address = host prefix), host
 * bits masked off, duplicates dropped (the lists are sets).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct IPPrefix {
        int family;             /* AF_INET or AF_INET6 */
        uint8_t addr[16];
        unsigned prefixlen;
} IPPrefix;

typedef struct IPPrefixSet {
        IPPrefix *items;
        size_t n, cap;
} IPPrefixSet;

/* "10.0.0.0/8", "::1", "192.0.2.1": 0 or -EINVAL. */
int ip_prefix_parse(const char *s, IPPrefix *ret);
/* Canonical text: "127.0.0.0/8", "::1/128"; buf must hold IP_PREFIX_STRLEN. */
#define IP_PREFIX_STRLEN 64
const char *ip_prefix_to_string(const IPPrefix *p, char buf[static IP_PREFIX_STRLEN]);
/* Does prefix p contain the address (or prefix) a? */
bool ip_prefix_contains(const IPPrefix *p, const IPPrefix *a);

int ip_prefix_set_add(IPPrefixSet *s, const IPPrefix *p);
void ip_prefix_set_clear(IPPrefixSet *s);
bool ip_prefix_set_contains(const IPPrefixSet *s, const IPPrefix *a);
int ip_prefix_set_copy(IPPrefixSet *dst, const IPPrefixSet *src);

/* The shorthands of IPAddressAllow=: "any", "localhost", "link-local", "multicast". */
int ip_prefix_set_add_keyword(IPPrefixSet *s, const char *word);  /* 1 if word was one */

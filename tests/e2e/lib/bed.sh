# bed.sh - commands on a started test bed, shared by the service libraries (nis.sh, sssd.sh,
# ldap.sh) and the tests.
# Every write goes through the bed (testbed exec), never through a host path, so a symlink in
# the bed's root cannot redirect it to the host.
# shellcheck shell=bash disable=SC2016  # (the sh -c scripts below take their arguments as $1...)

BED__LIBDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

bed__err() { printf '%s\n' "$*" >&2; return 1; }
bed__tb() { "$BED__LIBDIR/../testbed" "$@"; }
bed__in() { local bed=$1; shift; bed__tb exec "$bed" "$@"; }

# bed__secs T0 T1: seconds between two $EPOCHREALTIME values, two decimals
bed__secs() {
    local d=$(((${2//[.,]/} - ${1//[.,]/}) / 10000))
    printf '%d.%02d' $((d / 100)) $((d % 100))
}

# bed__put BED PATH MODE <CONTENT: write a root-owned file inside the bed, created under
# umask 077 so that a 0600 file is never readable by others, not even for a moment
# bed__ensure_hosts BED: the bed's /etc/hosts has localhost (v4, v6) and its own name (minbase
# has no /etc/hosts; an existing one is kept, with what is missing added)
bed__ensure_hosts() {
    local bed=$1
    bed__in "$bed" sh -c 'h=$(hostname); touch /etc/hosts
        grep -Eq "^127\.0\.0\.1[[:space:]]+localhost([[:space:]]|$)" /etc/hosts || printf "127.0.0.1\tlocalhost\n" >>/etc/hosts
        grep -Eq "^::1[[:space:]]+([^#]*[[:space:]])?localhost([[:space:]]|$)" /etc/hosts ||
            printf "::1\t\tlocalhost ip6-localhost ip6-loopback\n" >>/etc/hosts
        grep -Eq "[[:space:]]$h([[:space:]]|$)" /etc/hosts || printf "127.0.1.1\t%s\n" "$h" >>/etc/hosts' ||
        { bed__err "writing /etc/hosts in bed '$bed'"; return 1; }
}

bed__put() {
    bed__in "$1" sh -c 'umask 022; mkdir -p "$(dirname "$1")" && umask 077 && rm -f "$1" && cat >"$1" &&
        chown root:root "$1" && chmod "$2" "$1"' sh "$2" "$3"
}

# bed__run BED WHAT CMD...: run CMD in the bed; on failure show its output and return 1
bed__run() {
    local bed=$1 what=$2 out rc=0
    shift 2
    out=$(bed__in "$bed" "$@" </dev/null 2>&1) || rc=$?
    ((rc == 0)) && return 0
    printf '%s\n' "$out" | tail -n 25 | sed 's/^/  | /' >&2
    bed__err "$what failed (exit $rc)"
}

# bed__install BED [--preseed FILE] PKG...: testbed install, its output shown only on failure
bed__install() {
    local bed=$1 out
    shift
    out=$(bed__tb install "$bed" "$@" 2>&1) || {
        printf '%s\n' "$out" | tail -n 25 | sed 's/^/  | /' >&2
        bed__err "installing $* in bed '$bed' failed"
    }
}

# bed__install_stopped BED [--preseed FILE] PKG...: bed__install with no service started or
# restarted by the packages' maintainer scripts (a policy-rc.d that denies every action, as
# during a debootstrap). The beds share the host's network namespace: a daemon started with
# its packaged defaults would listen on the host's addresses.
bed__install_stopped() {
    local bed=$1 rc=0
    shift
    bed__in "$bed" test ! -e /usr/sbin/policy-rc.d ||
        { bed__err "bed '$bed' already has a /usr/sbin/policy-rc.d"; return 1; }
    printf '#!/bin/sh\n# bed__install_stopped (tests/e2e/lib/bed.sh): no service starts\nexit 101\n' |
        bed__put "$bed" /usr/sbin/policy-rc.d 0755 || return 1
    bed__install "$bed" "$@" || rc=$?
    bed__in "$bed" rm -f /usr/sbin/policy-rc.d || { bed__err "cannot remove /usr/sbin/policy-rc.d in bed '$bed'"; return 1; }
    return "$rc"
}

# bed__wait_passwd BED USER UID GID SECS: wait until getent passwd USER in the bed answers
# with that UID and GID
bed__wait_passwd() {
    local bed=$1 user=$2 uid=$3 gid=$4 deadline=$((SECONDS + $5)) line
    while :; do
        line=$(bed__in "$bed" getent passwd "$user" 2>/dev/null) || line=''
        [[ $line == "$user:"*":$uid:$gid:"* ]] && return 0
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

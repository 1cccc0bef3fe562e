#!/bin/bash
# sssd-demo.sh - demo of lib/sssd.sh: a bed with SSSD serving the local-only user sssuser, then
# hardened units running `getent passwd sssuser` under RestrictAddressFamilies=: without AF_UNIX
# the lookup fails (every time: sss's memory cache is off), with an AF_UNIX drop-in it works.
# Needs root (it boots a test bed). TAP-style output; exit 0 when every check passed.
# Not run by run.sh (it only runs ../t-*.sh).
# SSSD_PROVIDER=proxy runs the same with the proxy provider (see sssd.sh).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TB=$HERE/../testbed
BED=sssddemo-$$
# shellcheck source=tests/e2e/lib/sssd.sh
. "$HERE/sssd.sh"

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
bail() { not_ok "$@"; echo "1..$n"; exit 1; }
in_bed() { "$TB" exec "$BED" "$@"; }

trap '"$TB" stop "$BED"' EXIT

t0=$EPOCHREALTIME
"$TB" start "$BED" || bail "start bed"
ROOT=$("$TB" root "$BED")
ok "bed $BED booted in $(sssd__secs "$t0" "$EPOCHREALTIME") s"

SSSD_EXTRA_PACKAGES=strace sssd_setup "$BED" || bail "sssd_setup"
ok "sssd_setup: id_provider=$SSSD_PROVIDER_USED, packages in $SSSD_INSTALL_SECS s, configured and resolving in $SSSD_SETUP_SECS s"
if line=$(in_bed getent passwd sssuser); then ok "getent passwd sssuser: $line"; else not_ok "getent passwd sssuser"; fi
if line=$(in_bed getent group sssgroup); then ok "getent group sssgroup: $line"; else not_ok "getent group sssgroup"; fi
if in_bed getent -s files passwd sssuser >/dev/null; then not_ok "sssuser not via files"; else ok "getent -s files passwd sssuser: not found"; fi
if in_bed grep -q '^sssuser:' /etc/passwd; then not_ok "sssuser is not in the bed's /etc/passwd"; else ok "sssuser is not in the bed's /etc/passwd"; fi
m=$(in_bed stat -c '%a %U:%G' /etc/sssd/sssd.conf)
if [[ $m == '600 root:root' ]]; then ok "sssd.conf: $m"; else not_ok "sssd.conf: $m"; fi
ns=$(grep -E '^[a-z_]+:' "$ROOT/etc/nsswitch.conf" | grep -w sss | tr -s ' ' | paste -sd ';' -)
if [[ $ns == 'passwd: files sss;group: files sss' ]]; then ok "nsswitch.conf: sss only in $ns"; else not_ok "nsswitch.conf: sss in '$ns'"; fi
st=$(in_bed systemctl is-system-running) || true
if [[ $st == running ]]; then ok "bed: $st (no failed units, sssd-*.socket disabled)"; else not_ok "bed: $st ($(in_bed systemctl --failed --no-legend --plain | tr -s ' ' | paste -sd ';' -))"; fi

# the sockets of sssd's processes: AF_UNIX only (the bed shares the host's network namespace:
# an IP socket of sssd would be the host's)
# shellcheck disable=SC2016
socks=$(in_bed sh -c 'for p in /proc/[0-9]*; do
        case $(tr "\0" " " <"$p/cmdline" 2>/dev/null) in */sssd*) ;; *) continue;; esac
        for f in "$p"/fd/*; do l=$(readlink "$f" 2>/dev/null) || continue
            case $l in socket:*) i=${l#socket:[}; echo "${i%]}";; esac; done
    done' | sort -u)
ip=0 unix=0
for i in $socks; do
    if awk -v i="$i" '$10 == i { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 /proc/net/raw /proc/net/raw6; then
        ip=$((ip + 1))
    elif awk -v i="$i" '$7 == i { f = 1 } END { exit !f }' /proc/net/unix; then
        unix=$((unix + 1))
    fi
done
if ((ip == 0)); then ok "sssd processes: $unix AF_UNIX sockets, no IP socket"; else not_ok "sssd processes hold $ip IP sockets"; fi
mc=$(in_bed ls -A /var/lib/sss/mc | paste -sd ' ' -)
if [[ -z $mc ]]; then ok "memory cache off: /var/lib/sss/mc is empty"; else not_ok "/var/lib/sss/mc: $mc"; fi

# --- hardened units --------------------------------------------------------------------------
unit() {        # unit NAME EXEC DIRECTIVE...
    local name=$1 exec=$2
    shift 2
    {
        printf '[Unit]\nDescription=sssd-demo %s\n[Service]\nType=oneshot\nTimeoutStartSec=20\n' "$name"
        printf '%s\n' "$@"
        printf 'ExecStart=%s\n' "$exec"
    } >"$ROOT/etc/systemd/system/$name.service"
}
GETENT='/usr/bin/timeout -s KILL 8 /usr/bin/getent passwd sssuser'
# expect NAME works|fails: run the unit; "works" also wants sssuser in its output
expect() {
    local name=$1 want=$2 res got t
    t=$EPOCHREALTIME
    if res=$("$TB" run-unit "$BED" "$name.service" 30 2>/dev/null); then got=works; else got=fails; fi
    if [[ $got == works ]] && ! in_bed journalctl -b --no-pager -o cat -u "$name.service" | grep -q '^sssuser:[^:]*:5003:5003:'; then
        got="fails (no sssuser line)"
    fi
    res="$res, $(sssd__secs "$t" "$EPOCHREALTIME") s"
    if [[ $got == "$want" ]]; then ok "$name: $want ($res)"; else not_ok "$name: wanted $want, got $got ($res)"; fi
}
fix() {         # fix on|off: the AF_UNIX drop-in of hc-sss-break
    if [[ $1 == on ]]; then
        mkdir -p "$ROOT/etc/systemd/system/hc-sss-break.service.d"
        printf '[Service]\nRestrictAddressFamilies=AF_UNIX\n' >"$ROOT/etc/systemd/system/hc-sss-break.service.d/af-unix.conf"
    else
        rm -rf "$ROOT/etc/systemd/system/hc-sss-break.service.d"
    fi
}

unit hc-sss-break "$GETENT" 'User=nobody' 'RestrictAddressFamilies=AF_INET AF_INET6'
unit hc-sss-unix "$GETENT" 'User=nobody' 'RestrictAddressFamilies=AF_UNIX' 'IPAddressDeny=any'
unit hc-sss-privnet "$GETENT" 'DynamicUser=yes' 'PrivateNetwork=yes' 'RestrictAddressFamilies=AF_UNIX'
unit hc-sss-nopipe "$GETENT" 'User=nobody' 'RestrictAddressFamilies=AF_UNIX' 'InaccessiblePaths=/var/lib/sss/pipes'

echo "# break/fix (memory cache off)"
expect hc-sss-break fails           # socket(AF_UNIX) -> EAFNOSUPPORT: sss returns UNAVAIL
expect hc-sss-break fails
expect hc-sss-break fails
fix on
expect hc-sss-break works           # drop-in: AF_INET AF_INET6 AF_UNIX
expect hc-sss-break works
fix off
expect hc-sss-break fails           # still fails right after successful lookups: nothing cached
expect hc-sss-unix works            # AF_UNIX alone is enough, no IP at all
expect hc-sss-privnet works         # a path socket is reachable from another network namespace
expect hc-sss-nopipe fails          # the socket's directory hidden

# which sockets: strace the lookup with and without AF_UNIX (stderr goes to the journal)
STRACE="/usr/bin/strace -f -qq -e signal=none -e trace=socket,connect,openat $GETENT"
unit hc-sss-strace-break "$STRACE" 'User=nobody' 'RestrictAddressFamilies=AF_INET AF_INET6'
unit hc-sss-strace-fix "$STRACE" 'User=nobody' 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX'
for u in hc-sss-strace-break hc-sss-strace-fix; do
    "$TB" run-unit "$BED" "$u.service" 30 >/dev/null 2>&1 || true
    tr=$(in_bed journalctl -b --no-pager -o cat -u "$u.service" | grep -E 'AF_UNIX|/var/lib/sss|nscd' || true)
    while IFS= read -r l; do [[ -z $l ]] || echo "# $u: $l"; done <<<"$tr"
    if [[ $u == *break ]]; then
        if grep -q 'socket(AF_UNIX, SOCK_STREAM, 0) *= -1 EAFNOSUPPORT' <<<"$tr" && ! grep -q 'connect(' <<<"$tr"; then
            ok "$u: sss's socket(AF_UNIX) refused with EAFNOSUPPORT, no connect"
        else
            not_ok "$u: expected a refused socket(AF_UNIX)"
        fi
    elif grep -q 'connect([0-9]*, {sa_family=AF_UNIX, sun_path="/var/lib/sss/pipes/nss"}, [0-9]*) = 0' <<<"$tr"; then
        ok "$u: connect to /var/lib/sss/pipes/nss"
    else
        not_ok "$u: no connect to /var/lib/sss/pipes/nss"
    fi
done

echo "# pitfall: with sss's memory cache on, a cached entry needs no socket"
sssd_memcache "$BED" on || bail "sssd_memcache on"
ok "memory cache on and warm: $(in_bed ls -A /var/lib/sss/mc | paste -sd ' ' -)"
expect hc-sss-break works           # answered from /var/lib/sss/mc/passwd (mmap), no socket
sssd_memcache "$BED" off || bail "sssd_memcache off"
ok "memory cache off again: /var/lib/sss/mc has '$(in_bed ls -A /var/lib/sss/mc | paste -sd ' ' -)'"
expect hc-sss-break fails

echo "1..$n"
((failed == 0))

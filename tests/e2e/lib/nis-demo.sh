#!/bin/bash
# nis-demo.sh - demo of lib/nis.sh: a bed with a loopback NIS server + client, then hardened
# units running `getent passwd nisuser` under RestrictAddressFamilies= / IPAddressDeny=.
# Needs root (it boots a test bed). TAP-style output; exit 0 when every check passed.
# Not run by run.sh (it only runs ../t-*.sh).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TB=$HERE/../testbed
BED=nisdemo-$$
# shellcheck source=tests/e2e/lib/nis.sh
. "$HERE/nis.sh"

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
bail() { not_ok "$@"; echo "1..$n"; exit 1; }
in_bed() { "$TB" exec "$BED" "$@"; }

trap '"$TB" stop "$BED"' EXIT

t0=$EPOCHREALTIME
"$TB" start "$BED" || bail "start bed"
ROOT=$("$TB" root "$BED")
"$TB" firewall-check "$BED" >/dev/null || bail "the bed's IP firewall is not enforced"
ok "bed $BED booted in $(nis__secs "$t0" "$EPOCHREALTIME") s, IP firewall enforced"

nis_setup "$BED" || bail "nis_setup"
ok "nis_setup: packages in $NIS_INSTALL_SECS s, configured and bound in $NIS_SETUP_SECS s"
w=$(in_bed ypwhich) || w=''
if [[ $w == 127.0.0.1 || $w == localhost ]]; then ok "ypwhich: $w"; else not_ok "ypwhich: '$w'"; fi
if line=$(in_bed getent passwd nisuser); then ok "getent passwd nisuser: $line"; else not_ok "getent passwd nisuser"; fi
if line=$(in_bed getent group nisgroup); then ok "getent group nisgroup: $line"; else not_ok "getent group nisgroup"; fi
if in_bed grep -q '^nisuser:' /etc/passwd; then not_ok "nisuser is not in the bed's /etc/passwd"; else ok "nisuser is not in the bed's /etc/passwd"; fi
exposed=$(nis__port111_exposed)
if [[ -z $exposed ]]; then ok "port 111: loopback only"; else not_ok "port 111 beyond loopback: $exposed"; fi

# --- hardened units --------------------------------------------------------------------------
# A lookup whose packets the IP firewall drops does not fail: libnsl falls back to ypbind over
# TCP 127.0.0.1:111, whose SYN is dropped, and connect() waits for the TCP timeout (>2 min)
# with all signals blocked (libtirpc), so SIGTERM does nothing: timeout -s KILL bounds it.
unit() {        # unit NAME DIRECTIVE...
    local name=$1
    shift
    {
        printf '[Unit]\nDescription=nis-demo %s\n[Service]\nType=oneshot\nTimeoutStartSec=20\n' "$name"
        printf '%s\n' "$@"
        printf 'ExecStart=/usr/bin/timeout -s KILL 8 /usr/bin/getent passwd nisuser\n'
    } >"$ROOT/etc/systemd/system/$name.service"
}
# expect NAME works|fails: run the unit; "works" also wants nisuser in its output
expect() {
    local name=$1 want=$2 res got
    if res=$("$TB" run-unit "$BED" "$name.service" 30 2>/dev/null); then got=works; else got=fails; fi
    if [[ $got == works ]] && ! in_bed journalctl -b --no-pager -o cat -u "$name.service" | grep -q '^nisuser:x:5002:'; then
        got="fails (no nisuser line)"
    fi
    if [[ $got == "$want" ]]; then ok "$name: $want ($res)"; else not_ok "$name: wanted $want, got $got ($res)"; fi
}

unit hc-nis-unix 'RestrictAddressFamilies=AF_UNIX' 'IPAddressDeny=any'
unit hc-nis-both 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'IPAddressDeny=any' 'IPAddressAllow=127.0.0.1 ::1'
unit hc-nis-v4 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'IPAddressDeny=any' 'IPAddressAllow=127.0.0.1'
unit hc-nis-v6 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'IPAddressDeny=any' 'IPAddressAllow=::1'
unit hc-nis-inet 'RestrictAddressFamilies=AF_INET' 'IPAddressDeny=any' 'IPAddressAllow=127.0.0.1'
unit hc-nis-dyn 'DynamicUser=yes' 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'IPAddressDeny=any' 'IPAddressAllow=127.0.0.1 ::1'

for mode in "files nis" compat; do
    if [[ $mode == compat ]]; then
        nis_compat "$BED" || bail "nis_compat"
        ok "nis_compat: $(grep '^passwd:' "$ROOT/etc/nsswitch.conf" | tr -s ' '), $(tail -n 1 "$ROOT/etc/passwd") in /etc/passwd; getent passwd nisuser works"
        if grep -q '^passwd_compat:' "$ROOT/etc/nsswitch.conf"; then not_ok "no passwd_compat: line"; else ok "no passwd_compat: line"; fi
    fi
    echo "# passwd: $mode"
    expect hc-nis-unix fails            # AF_UNIX only: socket(AF_INET) -> EAFNOSUPPORT, fast
    expect hc-nis-both works
    expect hc-nis-v4 works              # 127.0.0.1 suffices: nothing uses IPv6 here
    expect hc-nis-v6 fails              # ::1 alone does not: the RPC goes to 127.0.0.1
    expect hc-nis-inet works            # AF_UNIX is not needed either (only nscd's socket)
    expect hc-nis-dyn works
done

echo "1..$n"
((failed == 0))

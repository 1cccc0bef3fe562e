#!/bin/bash
# t-smoke.sh - smoke test of the e2e test bed (tests/e2e/testbed).
#
# Boots a bed, proves the BPF/cgroup IP firewall works in it, then shows a hardening breakage and
# its drop-in fix: a User=nobody unit with RestrictAddressFamilies=AF_INET cannot run
# `logger` (it needs AF_UNIX for /dev/log); a drop-in adding AF_UNIX makes it succeed.
# Output: TAP-style `ok N - ...` / `not ok N - ...` lines (with wall-clock seconds per step);
# exit status non-zero if anything failed. Needs root; see testbed's header for the environment.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TB=$HERE/testbed
BED=smoke-$$
UNIT=hc-smoke.service

n=0 failed=0
t0=$EPOCHREALTIME
lap() { # sets LAP to the seconds since the previous lap
    local now=$EPOCHREALTIME d
    d=$(((${now//[.,]/} - ${t0//[.,]/}) / 10000))
    t0=$now
    printf -v LAP '%d.%02d s' $((d / 100)) $((d % 100))
}
ok() { lap; n=$((n + 1)); echo "ok $n - $* ($LAP)"; }
not_ok() { lap; n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $* ($LAP)"; }
bail() { not_ok "$@"; echo "1..$n"; echo "# bailing out" >&2; exit 1; }

trap '"$TB" stop "$BED"' EXIT   # always tear the bed down (idempotent)

# 1. base tarball (built on the first run of an ISO week, cached afterwards)
if base=$("$TB" base); then ok "base tarball: $base"; else bail "base tarball"; fi

# 2. boot
if "$TB" start "$BED"; then ok "start bed $BED"; else bail "start bed $BED"; fi

# 3. the IP firewall must be enforced (else IPAddressDeny= tests are meaningless)
if "$TB" firewall-check "$BED"; then ok "firewall-check"; else not_ok "firewall-check"; fi

# 4. breakage: logger needs AF_UNIX, the unit only allows AF_INET
root=$("$TB" root "$BED") || bail "testbed root $BED"
cat >"$root/etc/systemd/system/$UNIT" <<'EOF'
[Unit]
Description=hardening-compat smoke test
[Service]
Type=oneshot
User=nobody
RestrictAddressFamilies=AF_INET
TimeoutStartSec=10
ExecStart=/usr/bin/logger hello
EOF
rc=0
out=$("$TB" run-unit "$BED" "$UNIT" 2>&1) || rc=$?
line=$(grep -m1 '^result=' <<<"$out" || true)
# shellcheck disable=SC2001
sed 's/^/#   /' <<<"$out"
if ((rc == 1)) && [[ $line == "result=exit-code exit=1 code=1" ]] \
        && grep -q 'Address family not supported by protocol' <<<"$out"; then
    ok "RestrictAddressFamilies=AF_INET breaks logger"
else
    not_ok "RestrictAddressFamilies=AF_INET breaks logger (rc=$rc)"
fi

# 5. fix: a drop-in adds AF_UNIX (RestrictAddressFamilies= lists are merged)
mkdir -p "$root/etc/systemd/system/$UNIT.d"
cat >"$root/etc/systemd/system/$UNIT.d/zz.conf" <<'EOF'
[Service]
RestrictAddressFamilies=AF_UNIX
EOF
rc=0
line=$("$TB" run-unit "$BED" "$UNIT") || rc=$?
echo "# $line"
raf=$("$TB" exec "$BED" systemctl show -p RestrictAddressFamilies --value "$UNIT") || true
echo "# RestrictAddressFamilies=$raf"
said=$("$TB" exec "$BED" journalctl -b --no-pager -o cat _UID=65534) || true
if ((rc == 0)) && [[ $line == "result=success exit=0 code="* ]] && grep -qx hello <<<"$said"; then
    ok "drop-in RestrictAddressFamilies=AF_UNIX fixes it (journal has 'hello' from nobody)"
else
    not_ok "drop-in RestrictAddressFamilies=AF_UNIX fixes it (rc=$rc)"
fi

# 6. tear down (the EXIT trap repeats this harmlessly)
if "$TB" stop "$BED" && [[ ! -e $root ]]; then ok "stop bed $BED"; else not_ok "stop bed $BED"; fi

echo "1..$n"
((failed == 0))

#!/bin/bash
# t-nss-nis.sh - NIS through the NSS slice, on a real systemd: a NIS master and client on
# loopback (lib/nis.sh), "passwd: files nis", and a hardened unit
# (RestrictAddressFamilies=AF_UNIX, IPAddressDeny=any) that looks up a NIS-only user.
#   - without hardening-compat's drop-in the lookup fails;
#   - `hardening-compat --root BED regenerate` grants AF_INET/AF_INET6 and allows exactly
#     the yp.conf server and localhost's rpcbind (127.0.0.1, ::1): the lookup works;
#   - the same sandbox can send to 127.0.0.1 but not to another address (127.0.0.9): the
#     firewall refuses the datagram with EPERM, so the unit reaches the NIS servers and
#     nothing else;
#   - "passwd: compat" with a "+nisuser" entry goes the same way through passwd_compat.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"
# shellcheck source=lib/nis.sh
. "$HERE/lib/nis.sh"

bed_begin nis 25
nis_setup "$BED" || bail "NIS server and client on loopback"
ok "NIS domain hctest on loopback; nisuser resolves outside any sandbox ($(grep '^passwd:' "$ROOT/etc/nsswitch.conf" | tr -s ' '))"

# A lookup blocked by the firewall hangs in the TCP fallback: kill it after 8 s.
write_units() {
        cat >"$ROOT/etc/systemd/system/hc-nis.service" <<'EOF2'
[Service]
Type=oneshot
User=nobody
RestrictAddressFamilies=AF_UNIX
IPAddressDeny=any
TimeoutStartSec=20
ExecStart=/usr/bin/timeout -s KILL 8 /usr/bin/getent passwd nisuser
EOF2
        # The same sandbox, trying an address no NIS module needs.
        cat >"$ROOT/etc/systemd/system/hc-nis-other.service" <<'EOF2'
[Service]
Type=oneshot
User=nobody
RestrictAddressFamilies=AF_UNIX
IPAddressDeny=any
TimeoutStartSec=20
ExecStart=/bin/bash -c 'echo probe >/dev/udp/127.0.0.1/9 && echo reached 127.0.0.1'
ExecStart=/bin/bash -c 'echo probe >/dev/udp/127.0.0.9/9'
EOF2
}
write_units
DROPIN=$ROOT/etc/systemd/system/hc-nis.service.d/zz-hardening-compat.conf

round() { # round LABEL: the break/fix sequence for the current nsswitch.conf
        local label=$1
        rm -rf "$ROOT/etc/systemd/system/hc-nis.service.d" "$ROOT/etc/systemd/system/hc-nis-other.service.d"
        if starts hc-nis.service; then not_ok "$label: without the drop-in, the NIS lookup fails"; else
                ok "$label: without the drop-in, the NIS lookup fails ($(grep -m1 result= "$LOG"))"; fi
        why_failed hc-nis "RestrictAddressFamilies=AF_UNIX" "$label: why-failed hc-nis.service: RestrictAddressFamilies=AF_UNIX"
        check "$label: regenerate" hc regenerate -q
        check "$label: AF_INET and AF_INET6 granted" sh -c "grep -qx 'RestrictAddressFamilies=AF_INET' '$DROPIN' && grep -qx 'RestrictAddressFamilies=AF_INET6' '$DROPIN'"
        check "$label: exactly the yp.conf server and localhost's rpcbind are allowed" \
                sh -c "test \"\$(grep '^IPAddressAllow=' '$DROPIN' | sort | tr '\n' ' ')\" = 'IPAddressAllow=127.0.0.1 IPAddressAllow=::1 '"
        check "$label: the comment names nis, the database and the server's source" grep -q '^# nis for .*passwd.*: server 127.0.0.1 (/etc/yp.conf:1)' "$DROPIN"
        if starts hc-nis.service && journal hc-nis.service | grep -q '^nisuser:'; then
                ok "$label: with the drop-in, the unit resolves nisuser"
        else
                not_ok "$label: with the drop-in, the unit resolves nisuser: $(cat "$LOG")"
        fi
        if ! starts hc-nis-other.service && journal hc-nis-other.service | grep -q 'reached 127.0.0.1' &&
                journal hc-nis-other.service | grep -q 'write error: Operation not permitted'; then
                ok "$label: the same sandbox reaches 127.0.0.1 but not 127.0.0.9 (EPERM from the firewall)"
        else
                not_ok "$label: the same sandbox still cannot reach 127.0.0.9: $(cat "$LOG"; journal hc-nis-other.service)"
        fi
}

round "files nis"
nis_compat "$BED" +nisuser || bail "passwd: compat with +nisuser"
ok "passwd: compat with a +nisuser entry resolves outside any sandbox"
round "compat +nisuser"
check "explain shows the compat chain" sh -c "'$HC_BIN' --root '$ROOT' --rules-dir '$HC_SRCDIR/fragments' explain hc-nis.service | grep -q \"compat entry '+nisuser' (/etc/passwd:[0-9]*) → passwd_compat: nis\""

tap_end

#!/bin/bash
# t-nss-sss.sh - SSSD through the NSS slice, on a real systemd: sssd with bookworm's local
# "files" provider (lib/sssd.sh), "passwd: files sss"; a User=nobody unit with
# RestrictAddressFamilies=AF_INET AF_INET6 cannot reach sssd_nss over AF_UNIX and does not
# find sssuser; hardening-compat's drop-in adds AF_UNIX and it does. sssd's memory cache is
# off, so a cached answer cannot hide the break.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"
# shellcheck source=lib/sssd.sh
. "$HERE/lib/sssd.sh"

bed_begin sss 20
sssd_setup "$BED" || bail "sssd with a local domain"
ok "sssuser resolves through sssd only ($(grep '^passwd:' "$ROOT/etc/nsswitch.conf" | tr -s ' '))"

cat >"$ROOT/etc/systemd/system/hc-sss.service" <<'EOF2'
[Service]
Type=oneshot
User=nobody
RestrictAddressFamilies=AF_INET AF_INET6
TimeoutStartSec=15
ExecStart=/usr/bin/getent passwd sssuser
EOF2
DROPIN=$ROOT/etc/systemd/system/hc-sss.service.d/zz-hardening-compat.conf

if starts hc-sss.service; then not_ok "without the drop-in, the SSSD lookup fails"; else
        ok "without the drop-in, the SSSD lookup fails ($(grep -m1 result= "$LOG"))"; fi
why_failed hc-sss "RestrictAddressFamilies=AF_INET AF_INET6" "why-failed hc-sss.service: RestrictAddressFamilies=AF_INET AF_INET6 (likely)"
check "regenerate" hc regenerate -q
check "the drop-in adds exactly AF_UNIX" sh -c "grep '^[A-Z]' '$DROPIN' | grep -vx 'RestrictAddressFamilies=AF_UNIX' | grep -q . && exit 1 || exit 0"
check "and names sss and sssd_nss as the reason" grep -q '^# sss for passwd.*sssd_nss' "$DROPIN"
if starts hc-sss.service && journal hc-sss.service | grep -q '^sssuser:'; then
        ok "with the drop-in, the unit resolves sssuser"
else
        not_ok "with the drop-in, the unit resolves sssuser: $(cat "$LOG")"
fi

tap_end

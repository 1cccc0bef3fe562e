#!/bin/bash
# t-nss-resolve.sh - "hosts: resolve [!UNAVAIL=return] dns" on a real systemd: what runs
# depends on whether systemd-resolved runs, and so does the drop-in.
#   - resolved enabled: a unit with RestrictAddressFamilies=AF_INET AF_INET6 cannot reach
#     resolved (AF_UNIX), falls through to dns, whose nameserver its IPAddressDeny= blocks:
#     the lookup fails. The drop-in grants AF_UNIX only (dns is not reached once resolved
#     answers) and the lookup works, answered by resolved.
#   - resolved disabled: resolve is UNAVAIL for everyone, so dns runs: the drop-in then
#     also allows the nameserver, and the lookup works through dns.
# resolved is kept off the network: no upstream DNS but a dnsmasq on 127.0.0.77, no
# fallback servers, no LLMNR/mDNS, no stub listener.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"

bed_begin resolve 25

# resolved's configuration before the package starts it: loopback only.
mkdir -p "$ROOT/etc/systemd/resolved.conf.d"
printf '[Resolve]\nDNS=127.0.0.77\nFallbackDNS=\nLLMNR=no\nMulticastDNS=no\nDNSStubListener=no\n' \
        >"$ROOT/etc/systemd/resolved.conf.d/hc-test.conf"
printf '127.0.0.1 localhost\n::1 localhost\n192.0.2.99 hosts-only.example\n' >"$ROOT/etc/hosts"
"$TB" install "$BED" systemd-resolved libnss-resolve dnsmasq-base >/dev/null || bail "install systemd-resolved libnss-resolve"
rm -f "$ROOT/etc/resolv.conf"
printf 'nameserver 127.0.0.77\n' >"$ROOT/etc/resolv.conf"
sed -i 's/^hosts:.*/hosts: resolve [!UNAVAIL=return] dns/' "$ROOT/etc/nsswitch.conf"
in_bed systemctl restart systemd-resolved
in_bed getent hosts hosts-only.example >/dev/null || bail "resolved answers hosts-only.example outside any sandbox"
ok "resolved runs and answers; $(grep '^hosts:' "$ROOT/etc/nsswitch.conf")"

cat >"$ROOT/etc/systemd/system/hc-resolve.service" <<'EOF2'
[Service]
Type=oneshot
User=nobody
RestrictAddressFamilies=AF_INET AF_INET6
IPAddressDeny=any
IPAddressAllow=192.0.2.0/24
TimeoutStartSec=20
ExecStart=/usr/bin/timeout -s KILL 8 /usr/bin/getent hosts hosts-only.example
EOF2
DROPIN=$ROOT/etc/systemd/system/hc-resolve.service.d/zz-hardening-compat.conf

if starts hc-resolve.service; then not_ok "resolved enabled, no drop-in: the lookup fails"; else
        ok "resolved enabled, no drop-in: the lookup fails ($(grep -m1 result= "$LOG"))"; fi
why_failed hc-resolve "RestrictAddressFamilies=AF_INET AF_INET6" "why-failed hc-resolve.service: RestrictAddressFamilies=AF_INET AF_INET6"
check "regenerate" hc regenerate -q
check "the drop-in grants AF_UNIX for resolve" grep -qx 'RestrictAddressFamilies=AF_UNIX' "$DROPIN"
check "and allows no nameserver: dns is not reached while resolved answers" sh -c "! grep -q '^IPAddressAllow=' '$DROPIN'"
if starts hc-resolve.service && journal hc-resolve.service | grep -q '^192.0.2.99 *hosts-only.example'; then
        ok "with the drop-in, resolved answers the unit"
else
        not_ok "with the drop-in, resolved answers the unit: $(cat "$LOG")"
fi

in_bed systemctl disable --now systemd-resolved.service >/dev/null 2>&1
in_bed systemd-run --unit=hc-dnsmasq --quiet /usr/sbin/dnsmasq --keep-in-foreground --no-resolv --no-hosts \
        --listen-address=127.0.0.77 --bind-interfaces --port=53 --address=/hosts-only.example/192.0.2.99 ||
        bail "dnsmasq on 127.0.0.77"
check "regenerate after disabling resolved" hc regenerate -q
check "now the nameserver is allowed too" grep -qx 'IPAddressAllow=127.0.0.77' "$DROPIN"
check "and the comment says dns for hosts" grep -q '^# dns for hosts.*server 127.0.0.77 (/etc/resolv.conf:1)' "$DROPIN"
if starts hc-resolve.service && journal hc-resolve.service | grep -q '^192.0.2.99 *hosts-only.example'; then
        ok "with the new drop-in, dns answers the unit"
else
        not_ok "with the new drop-in, dns answers the unit: $(cat "$LOG")"
fi

tap_end

#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# t-nss.sh - the NSS slice against a real systemd: hardened units fail without
# hardening-compat's drop-in and work with it.
#
#  1. LDAP over nslcd (AF_UNIX): slapd + nslcd + libnss-ldapd on loopback (lib/ldap.sh),
#     "passwd: files ldap"; a DynamicUser= unit with RestrictAddressFamilies=AF_INET AF_INET6 runs
#     `getent passwd ldapuser`. Fails (the module cannot reach /run/nslcd/socket), then
#     `hardening-compat --root BED regenerate` adds AF_UNIX and it works. Removing ldap
#     from nsswitch.conf and regenerating removes the drop-in again.
#  2. DNS under IPAddressDeny=any: a nameserver on 127.0.0.77 (dnsmasq); a unit with
#     RestrictAddressFamilies=AF_UNIX AF_INET, IPAddressDeny=any and IPAddressAllow= for the
#     network it serves (192.0.2.0/24) runs `getent hosts test.example`. Fails (the BPF firewall drops the query), then the drop-in's
#     IPAddressAllow=127.0.0.77 makes it work.
# The tool runs on the host with --root, as it would on an image; the bed only reloads.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"
# shellcheck source=lib/ldap.sh
. "$HERE/lib/ldap.sh"

bed_begin nss 20
ok "bed $BED booted, IP firewall enforced"

ldap_setup "$BED" libnss-ldapd dnsmasq-base || bail "slapd + nslcd + libnss-ldapd"
ok "installed slapd, nslcd, libnss-ldapd, dnsmasq-base"
ldap_wait "$BED" 10 getent passwd ldapuser || bail "getent passwd ldapuser outside any sandbox"
ok "ldapuser resolves through nslcd ($(grep '^passwd:' "$ROOT/etc/nsswitch.conf" | tr -s ' '))"

# --- 1. LDAP over AF_UNIX ------------------------------------------------------------------
cat >"$ROOT/etc/systemd/system/hc-ldap.service" <<'EOF2'
[Service]
Type=oneshot
DynamicUser=yes
RestrictAddressFamilies=AF_INET AF_INET6
TimeoutStartSec=15
ExecStart=/usr/bin/getent passwd ldapuser
EOF2
DROPIN=$ROOT/etc/systemd/system/hc-ldap.service.d/zz-hardening-compat.conf
if ! starts hc-ldap.service && grep -q 'result=exit-code exit=2' "$LOG"; then
        ok "without the drop-in, the LDAP lookup fails ($(grep -m1 result= "$LOG"))"
else
        not_ok "without the drop-in, the LDAP lookup fails: $(cat "$LOG")"
fi
# getent says nothing (NSS answers "not found"): a likely cause, from the needs not in effect
why_failed hc-ldap "RestrictAddressFamilies=AF_INET AF_INET6" "why-failed hc-ldap.service: RestrictAddressFamilies=AF_INET AF_INET6 (likely)"
check "regenerate on the bed's root" hc regenerate -q
check "the drop-in adds exactly AF_UNIX" grep -qx 'RestrictAddressFamilies=AF_UNIX' "$DROPIN"
check "and names ldap and nslcd as the reason" grep -q '^# ldap for passwd.*nslcd' "$DROPIN"
if starts hc-ldap.service && in_bed journalctl -b --no-pager -o cat -u hc-ldap.service | grep -q '^ldapuser:\*:5001:5001'; then
        ok "with the drop-in, the unit resolves ldapuser (systemd shows RestrictAddressFamilies=$(in_bed systemctl show -p RestrictAddressFamilies --value hc-ldap.service))"
else
        not_ok "with the drop-in, the unit resolves ldapuser: $(cat "$LOG")"
fi
sed -i 's/^\(passwd:.*\) ldap/\1/; s/^\(group:.*\) ldap/\1/' "$ROOT/etc/nsswitch.conf"
check "after removing ldap from nsswitch.conf, regenerate" hc regenerate -q
check "the drop-in is gone" test ! -e "$DROPIN"
if starts hc-ldap.service; then not_ok "and the unit cannot resolve ldapuser again"; else ok "and the unit cannot resolve ldapuser again"; fi

# --- 2. DNS under IPAddressDeny=any --------------------------------------------------------
in_bed systemd-run --unit=hc-dnsmasq --quiet /usr/sbin/dnsmasq --keep-in-foreground --no-resolv --no-hosts \
        --listen-address=127.0.0.77 --bind-interfaces --port=53 --address=/test.example/192.0.2.99 ||
        bail "start dnsmasq on 127.0.0.77"
printf 'nameserver 127.0.0.77\n' >"$ROOT/etc/resolv.conf"
for _ in $(seq 50); do in_bed getent hosts test.example >/dev/null && break; sleep 0.2; done
in_bed getent hosts test.example >/dev/null || bail "getent hosts test.example outside any sandbox"
ok "test.example resolves through the nameserver 127.0.0.77"
cat >"$ROOT/etc/systemd/system/hc-dns.service" <<'EOF2'
[Service]
Type=oneshot
User=nobody
RestrictAddressFamilies=AF_UNIX AF_INET
IPAddressDeny=any
IPAddressAllow=192.0.2.0/24
TimeoutStartSec=15
ExecStart=/usr/bin/getent hosts test.example
EOF2
DROPIN=$ROOT/etc/systemd/system/hc-dns.service.d/zz-hardening-compat.conf
if starts hc-dns.service; then not_ok "without the drop-in, the DNS lookup fails"; else ok "without the drop-in, the DNS lookup fails ($(grep -m1 result= "$LOG"))"; fi
why_failed hc-dns "IPAddressDeny=any" "why-failed hc-dns.service: IPAddressDeny=any"
check "regenerate" hc regenerate -q
check "the drop-in allows exactly the nameserver" sh -c "grep -x 'IPAddressAllow=.*' '$DROPIN' | grep -qx 'IPAddressAllow=127.0.0.77'"
check "and adds no address family (AF_INET is already allowed)" sh -c "! grep -q '^RestrictAddressFamilies=' '$DROPIN'"
if starts hc-dns.service && in_bed journalctl -b --no-pager -o cat -u hc-dns.service | grep -q '^192.0.2.99 *test.example'; then
        ok "with the drop-in, the unit resolves test.example"
else
        not_ok "with the drop-in, the unit resolves test.example: $(cat "$LOG")"
fi
check "a second regenerate changes nothing" sh -c "'$HC_BIN' --root '$ROOT' --rules-dir '$HC_SRCDIR/fragments' diff >/dev/null"

tap_end

#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# t-pam.sh - the PAM slice against a real systemd: units whose program calls libpam itself
# (tests/e2e/pam-probe.c: pam_start(SERVICE, USER), pam_authenticate, pam_acct_mgmt) fail under
# their sandbox without hardening-compat's drop-in and work with it. nsswitch.conf is
# "passwd/group/shadow: files" (libnss-ldapd is not installed), so no NSS module needs a socket
# and every relaxation below comes from a PAM module. The tool maps each hc-pam-* unit to the
# PAM service of the same name: pam-probe links libpam.so.0 and /etc/pam.d/UNIT exists.
#
#  a. pam_unix under NoNewPrivileges=yes: User=probeuser cannot read /etc/shadow, and
#     unix_chkpwd (setgid shadow) loses its group under NNP -> PAM_AUTHINFO_UNAVAIL. Drop-in:
#     SupplementaryGroups=shadow. A wrong password still fails with it.
#  b. pam_ldap (libpam-ldapd) under RestrictAddressFamilies=AF_INET AF_INET6: the module asks
#     nslcd over /run/nslcd/socket (AF_UNIX); nslcd binds to slapd as ldapuser. Drop-in:
#     RestrictAddressFamilies=AF_UNIX.
#  c. the same module reached through "@include common-auth" / "@include common-account", as
#     libpam-ldapd's pam-auth-update profile puts it there. The unit runs as root (as sshd
#     does): common-account's pam_unix must find ldapuser in /etc/passwd (the bed has a local,
#     password-locked ldapuser; its password is only in LDAP), and as a non-root user the
#     unix_chkpwd path of (a) would mix in. Drop-in: AF_UNIX, its comment names common-auth.
#  d. PAMName=: systemd runs the stack (pam_unix account + session) as root BEFORE the
#     sandbox, so User=probeuser + NoNewPrivileges=yes need nothing: no drop-in, and
#     `explain` says why.
# The tool runs on the host with --root, as it would on an image; the bed only reloads.
# Needs HC_PAM_PROBE (built by `make check-e2e`), copied into the bed as /usr/local/bin/pam-probe.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"
# shellcheck source=lib/ldap.sh
. "$HERE/lib/ldap.sh"

[[ -x ${HC_PAM_PROBE:-} ]] || bail "HC_PAM_PROBE is the pam-probe binary (make check-e2e builds it)"
PROBE=/usr/local/bin/pam-probe
PROBE_PW=probe-pw-7
SYSDIR=/etc/systemd/system
# comment FILE ERE: a comment line of FILE matches ERE
comment() { grep -Eq "^#.*($2)" "$1"; }
# probe_ok UNIT SERVICE USER: the unit's journal (this boot) has pam-probe's success line
probe_ok() { journal "$1" | grep -qxF "pam-probe: $2 $3: ok"; }
nss_files_only() {
        [[ $(grep -E '^(passwd|group|shadow):' "$ROOT/etc/nsswitch.conf" | tr -s ' \t' ' ') == \
                $'passwd: files\ngroup: files\nshadow: files' ]]
}

bed_begin pam 20
ok "bed $BED booted, IP firewall enforced"

bed__put "$BED" "$PROBE" 0755 <"$HC_PAM_PROBE" || bail "copy pam-probe into the bed"
in_bed "$PROBE" >/dev/null 2>&1 && rc=0 || rc=$?
((rc == 2)) || bail "pam-probe runs in the bed (usage error expected, got exit $rc)"
ldap_setup "$BED" libpam-ldapd || bail "slapd + nslcd + libpam-ldapd"
ok "installed slapd, nslcd, libpam-ldapd; $LDAP_USER binds to slapd with its password"
in_bed sed -i -E 's/^(passwd|group|shadow):.*/\1: files/' /etc/nsswitch.conf || bail "edit nsswitch.conf"
# shellcheck disable=SC2016  # dpkg-query's own ${Field} syntax
if nss_files_only && ! in_bed dpkg-query -W -f '${Status}\n' libnss-ldapd 2>/dev/null | grep -q 'ok installed'; then
        ok "nsswitch.conf: passwd, group, shadow: files (libnss-ldapd not installed)"
else
        bail "nsswitch.conf: passwd, group, shadow: files (libnss-ldapd not installed): $(grep -E '^(passwd|group|shadow):' "$ROOT/etc/nsswitch.conf" | tr '\n' ';')"
fi

in_bed useradd -M -d /nonexistent -s /usr/sbin/nologin probeuser || bail "useradd probeuser"
in_bed chpasswd <<<"probeuser:$PROBE_PW" || bail "chpasswd probeuser"
# (c): the LDAP user is also a local account, password locked ('!'): pam_unix's account check
# needs it in passwd/shadow, its authentication must come from pam_ldap.
in_bed useradd -M -d /nonexistent -s /usr/sbin/nologin -u "$LDAP_UID" "$LDAP_USER" || bail "useradd $LDAP_USER"
in_bed grep -q "^$LDAP_USER:!:" /etc/shadow || bail "$LDAP_USER has a locked local password"

pamd() { printf '%s\n' "${@:2}" | bed__put "$BED" "/etc/pam.d/$1" 0644 || bail "write /etc/pam.d/$1"; }
pamd hc-pam-unix 'auth required pam_unix.so' 'account required pam_unix.so'
pamd hc-pam-ldap 'auth required pam_ldap.so' 'account required pam_ldap.so'
pamd hc-pam-inc '@include common-auth' '@include common-account'
pamd hc-pam-name 'account required pam_unix.so' 'session required pam_unix.so'
unit() { bed__put "$BED" "$SYSDIR/$1" 0644 || bail "write $SYSDIR/$1"; }
unit hc-pam-unix.service <<EOF
[Service]
Type=oneshot
User=probeuser
NoNewPrivileges=yes
Environment=PAM_PROBE_PASSWORD=$PROBE_PW
TimeoutStartSec=15
ExecStart=$PROBE hc-pam-unix probeuser
EOF
unit hc-pam-ldap.service <<EOF
[Service]
Type=oneshot
DynamicUser=yes
RestrictAddressFamilies=AF_INET AF_INET6
Environment=PAM_PROBE_PASSWORD=$LDAP_PASSWORD
TimeoutStartSec=15
ExecStart=$PROBE hc-pam-ldap $LDAP_USER
EOF
unit hc-pam-inc.service <<EOF
[Service]
Type=oneshot
RestrictAddressFamilies=AF_INET AF_INET6
Environment=PAM_PROBE_PASSWORD=$LDAP_PASSWORD
TimeoutStartSec=15
ExecStart=$PROBE hc-pam-inc $LDAP_USER
EOF
unit hc-pam-name.service <<EOF
[Service]
Type=oneshot
PAMName=hc-pam-name
User=probeuser
NoNewPrivileges=yes
TimeoutStartSec=15
ExecStart=/usr/bin/id
EOF

# --- outside the sandboxes: the probe and the stacks work --------------------------------------
# probe_run SERVICE USER PASSWORD PROPERTY...: pam-probe in a transient unit, output to $LOG
probe_run() {
        local svc=$1 user=$2 pw=$3
        shift 3
        in_bed systemd-run --quiet --pipe --wait "$@" -E "PAM_PROBE_PASSWORD=$pw" "$PROBE" "$svc" "$user" \
                </dev/null >"$LOG" 2>&1
}
control() { # control WHAT SERVICE USER PASSWORD PROPERTY...
        local what=$1 svc=$2 user=$3
        if probe_run "${@:2}" && grep -qxF "pam-probe: $svc $user: ok" "$LOG"; then ok "$what"; else
                not_ok "$what: $(tr '\n' ' ' <"$LOG")"; fi
}
control_refused() { # control_refused WHAT SERVICE USER PASSWORD PROPERTY...
        local what=$1 svc=$2 user=$3
        if ! probe_run "${@:2}" && grep -qF "pam-probe: $svc $user: pam_authenticate: Authentication failure" "$LOG"; then
                ok "$what"; else not_ok "$what: $(tr '\n' ' ' <"$LOG")"; fi
}
control "outside the sandbox (User=probeuser, no NoNewPrivileges), pam_unix accepts probeuser's password via unix_chkpwd" \
        hc-pam-unix probeuser "$PROBE_PW" -p User=probeuser
control_refused "and refuses a wrong one" hc-pam-unix probeuser wrong-pw -p User=probeuser
# nslcd may still be connecting to slapd: retry the first LDAP authentication
ldap_wait "$BED" 15 env PAM_PROBE_PASSWORD="$LDAP_PASSWORD" "$PROBE" hc-pam-ldap "$LDAP_USER" ||
        bail "pam_ldap authenticates $LDAP_USER through nslcd (as root, outside any unit)"
control "outside the sandbox (DynamicUser=yes), pam_ldap accepts $LDAP_USER's LDAP password via nslcd" \
        hc-pam-ldap "$LDAP_USER" "$LDAP_PASSWORD" -p DynamicUser=yes
control_refused "and refuses a wrong one" hc-pam-ldap "$LDAP_USER" wrong-pw -p DynamicUser=yes
if ! grep -Eq '^auth[[:space:]].*pam_ldap\.so' "$ROOT/etc/pam.d/common-auth"; then
        in_bed env DEBIAN_FRONTEND=noninteractive pam-auth-update --enable ldap || bail "pam-auth-update --enable ldap"
fi
check "pam-auth-update put pam_ldap.so into common-auth and common-account" sh -c \
        "grep -Eq '^auth[[:space:]].*pam_ldap\.so' '$ROOT/etc/pam.d/common-auth' &&
         grep -Eq '^account[[:space:]].*pam_ldap\.so' '$ROOT/etc/pam.d/common-account'"
control "outside the sandbox (root), common-auth/common-account accept $LDAP_USER's LDAP password" \
        hc-pam-inc "$LDAP_USER" "$LDAP_PASSWORD"

# --- the sandboxes without a drop-in -----------------------------------------------------------
# fails UNIT SERVICE USER: the unit fails, and pam-probe says a PAM call failed
fails() {
        ! starts "$1" && grep -q '^result=exit-code exit=1 ' "$LOG" && grep -qF "pam-probe: $2 $3: pam_" "$LOG"
}
for t in "hc-pam-unix probeuser NoNewPrivileges=yes" "hc-pam-ldap $LDAP_USER RestrictAddressFamilies=AF_INET AF_INET6" \
        "hc-pam-inc $LDAP_USER RestrictAddressFamilies=AF_INET AF_INET6"; do
        read -r svc user why <<<"$t"
        if fails "$svc.service" "$svc" "$user"; then
                ok "without a drop-in, $svc.service ($why) fails: $(grep -m1 -o "pam_[a-z_]*: .*" "$LOG")"
                why_failed "$svc" "$why" "why-failed $svc.service: $why"
        else
                not_ok "without a drop-in, $svc.service ($why) fails: $(tr '\n' ' ' <"$LOG")"
        fi
done
if starts hc-pam-name.service && journal hc-pam-name.service | grep -q '^uid=[0-9]*(probeuser) '; then
        ok "without a drop-in, hc-pam-name.service (PAMName=, User=probeuser, NoNewPrivileges=yes) works"
else
        not_ok "without a drop-in, hc-pam-name.service (PAMName=, User=probeuser, NoNewPrivileges=yes) works: $(cat "$LOG")"
fi
for u in hc-pam-unix hc-pam-ldap hc-pam-inc hc-pam-name; do
        [[ ! -e $(dropin "$u.service") ]] || bail "$u.service has a drop-in before regenerate"
done

# --- regenerate ----------------------------------------------------------------------------------
check "regenerate on the bed's root" hc regenerate -q

# (a) pam_unix + unix_chkpwd
D=$(dropin hc-pam-unix.service)
check "(a) the drop-in has SupplementaryGroups=shadow" grep -qx 'SupplementaryGroups=shadow' "$D"
check "(a) and relaxes nothing else" only_directive "$D" 'SupplementaryGroups=shadow'
check "(a) its comment names pam_unix.so and unix_chkpwd" sh -c "grep -q '^#.*pam_unix\.so' '$D' && grep -q '^#.*unix_chkpwd' '$D'"
if starts hc-pam-unix.service && probe_ok hc-pam-unix.service hc-pam-unix probeuser; then
        ok "(a) with the drop-in, hc-pam-unix.service authenticates probeuser (NoNewPrivileges=$(in_bed systemctl show -p NoNewPrivileges --value hc-pam-unix.service), SupplementaryGroups=$(in_bed systemctl show -p SupplementaryGroups --value hc-pam-unix.service))"
else
        not_ok "(a) with the drop-in, hc-pam-unix.service authenticates probeuser: $(cat "$LOG")"
fi
printf '[Service]\nEnvironment=PAM_PROBE_PASSWORD=wrong-pw\n' |
        bed__put "$BED" "$SYSDIR/hc-pam-unix.service.d/50-hc-e2e-wrong-password.conf" 0644 || bail "write the wrong-password drop-in"
if ! starts hc-pam-unix.service &&
        grep -qF 'pam-probe: hc-pam-unix probeuser: pam_authenticate: Authentication failure' "$LOG"; then
        ok "(a) with the drop-in, a wrong password is still refused"
else
        not_ok "(a) with the drop-in, a wrong password is still refused: $(cat "$LOG")"
fi
in_bed rm -f "$SYSDIR/hc-pam-unix.service.d/50-hc-e2e-wrong-password.conf"

# (b) pam_ldap via nslcd
D=$(dropin hc-pam-ldap.service)
check "(b) the drop-in has RestrictAddressFamilies=AF_UNIX" grep -qx 'RestrictAddressFamilies=AF_UNIX' "$D"
# (its session lines come from /etc/pam.d/other → common-session: pam_unix's session lines need
# no helper, and the password lines never run — the probe does not change passwords)
check "(b) and relaxes nothing else" only_directive "$D" 'RestrictAddressFamilies=AF_UNIX'
check "(b) a comment line starts with '# pam_ldap.so'" grep -q '^# pam_ldap\.so' "$D"
if starts hc-pam-ldap.service && probe_ok hc-pam-ldap.service hc-pam-ldap "$LDAP_USER"; then
        ok "(b) with the drop-in, hc-pam-ldap.service authenticates $LDAP_USER (RestrictAddressFamilies=$(in_bed systemctl show -p RestrictAddressFamilies --value hc-pam-ldap.service))"
else
        not_ok "(b) with the drop-in, hc-pam-ldap.service authenticates $LDAP_USER: $(cat "$LOG")"
fi

# (c) the include chain
D=$(dropin hc-pam-inc.service)
check "(c) the drop-in has RestrictAddressFamilies=AF_UNIX" grep -qx 'RestrictAddressFamilies=AF_UNIX' "$D"
check "(c) and relaxes nothing else" only_directive "$D" 'RestrictAddressFamilies=AF_UNIX'
check "(c) its comment names common-auth" comment "$D" 'common-auth'
if starts hc-pam-inc.service && probe_ok hc-pam-inc.service hc-pam-inc "$LDAP_USER"; then
        ok "(c) with the drop-in, hc-pam-inc.service authenticates $LDAP_USER through common-auth"
else
        not_ok "(c) with the drop-in, hc-pam-inc.service authenticates $LDAP_USER through common-auth: $(cat "$LOG")"
fi

# (d) PAMName=
check "(d) no drop-in for hc-pam-name.service" test ! -e "$(dropin hc-pam-name.service)"
if hc explain hc-pam-name.service >"$SCRATCH/explain" 2>&1; then ok "(d) explain hc-pam-name.service"; else
        not_ok "(d) explain hc-pam-name.service: $(head -c 2000 "$SCRATCH/explain")"; fi
check "(d) explain names pam_unix.so" grep -qwF pam_unix.so "$SCRATCH/explain"
check "(d) explain says the stack runs before the sandbox" grep -qi 'before the sandbox' "$SCRATCH/explain"
if starts hc-pam-name.service; then ok "(d) hc-pam-name.service still works"; else
        not_ok "(d) hc-pam-name.service still works: $(cat "$LOG")"; fi

check "nsswitch.conf is still files-only" nss_files_only
check "a second regenerate changes nothing" sh -c "'$HC_BIN' --root '$ROOT' --rules-dir '$HC_SRCDIR/fragments' diff >/dev/null"
if ((failed)); then # the tool's output, for the log
        for u in hc-pam-unix hc-pam-ldap hc-pam-inc hc-pam-name; do
                D=$(dropin "$u.service")
                if [[ -e $D ]]; then echo "# $D:"; sed 's/^/#   /' "$D"; else echo "# $D: absent"; fi
        done
        echo "# explain hc-pam-name.service:"
        sed 's/^/#   /' "$SCRATCH/explain" 2>/dev/null || true
fi

tap_end

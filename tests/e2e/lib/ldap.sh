# shellcheck shell=bash source-path=SCRIPTDIR disable=SC2016  # (the sh -c scripts below take their arguments as $1...)
# ldap.sh - slapd on loopback and nslcd inside a testbed bed: the LDAP-only user ldapuser, for
# the NSS (libnss-ldapd) and PAM (libpam-ldapd) modules of nss-pam-ldapd, which both talk to
# nslcd over the AF_UNIX socket /run/nslcd/socket; nslcd does the LDAP traffic.
#
# Source it from a test (bash; safe under `set -euo pipefail`):
#     . "$HERE/lib/ldap.sh"
#     testbed start "$BED"; trap 'testbed stop "$BED"' EXIT
#     ldap_setup "$BED" libnss-ldapd || bail "LDAP"
#     ldap_wait "$BED" 10 getent passwd ldapuser || bail "nslcd"
#
#   ldap_setup BED [PKG...]
#                   in a started bed: install slapd, ldap-utils, nslcd and the PKGs (one apt
#                   run, preseeded: slapd domain example.org with admin cn=admin,dc=example,dc=org
#                   password "secret"; nslcd uri ldap://127.0.0.1/ and base dc=example,dc=org;
#                   libnss-ldapd, if a PKG pulls it in, adds ldap to "passwd" and "group" of
#                   nsswitch.conf); no service is started during the installation (policy-rc.d),
#                   then slapd is limited to ldap://127.0.0.1/ and ldapi:/// and started, gets
#                   ou=people and uid=ldapuser (posixAccount, uid/gid 5001, userPassword
#                   $LDAP_PASSWORD as an {SSHA} hash), and nslcd is started. Returns once
#                   ldapuser can bind to slapd with its password. libpam-ldapd's postinst runs
#                   pam-auth-update, which adds pam_ldap.so to /etc/pam.d/common-*.
#   ldap_wait BED SECONDS CMD...
#                   retry CMD in the bed (its output thrown away) until it succeeds; 0 if it
#                   did within SECONDS. For the caller's own proof that nslcd answers (e.g.
#                   getent passwd ldapuser with libnss-ldapd, a PAM call with libpam-ldapd).
#
# Installing with no service started keeps slapd from ever listening on all addresses (the beds
# share the HOST's network namespace: Debian's default SLAPD_SERVICES="ldap:/// ldapi:///"
# would be port 389 of the host), and keeps nslcd out of its reconnect back-off, which it
# enters when it starts before slapd answers (testbed.md §4b).
# The functions print nothing on success and return non-zero with a message (and the failing
# command's output) on stderr; they never exit.

# shellcheck source=bed.sh
. "$(dirname "${BASH_SOURCE[0]}")/bed.sh"

LDAP_BASE=dc=example,dc=org
LDAP_ADMIN_DN=cn=admin,$LDAP_BASE
LDAP_ADMIN_PW=secret
LDAP_URI=ldap://127.0.0.1/
LDAP_USER=ldapuser
LDAP_UID=5001
LDAP_USER_DN=uid=$LDAP_USER,ou=people,$LDAP_BASE
LDAP_PASSWORD=${LDAP_PASSWORD:-ldap-pw-5001}

ldap_wait() {
    local bed=${1:?ldap_wait BED SECONDS CMD...} secs=${2:?} deadline
    shift 2
    deadline=$((SECONDS + secs))
    until bed__in "$bed" "$@" </dev/null >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

ldap_setup() {
    local bed=${1-} hash
    [[ -n $bed ]] || { bed__err "usage: ldap_setup BED [PKG...]"; return 2; }
    shift
    bed__in "$bed" debconf-set-selections <<EOF || { bed__err "debconf-set-selections in bed '$bed'"; return 1; }
slapd slapd/domain string example.org
slapd shared/organization string Example
slapd slapd/password1 password $LDAP_ADMIN_PW
slapd slapd/password2 password $LDAP_ADMIN_PW
slapd slapd/no_configuration boolean false
nslcd nslcd/ldap-uris string $LDAP_URI
nslcd nslcd/ldap-base string $LDAP_BASE
libnss-ldapd libnss-ldapd/nsswitch multiselect passwd, group
EOF
    bed__install_stopped "$bed" slapd ldap-utils nslcd "$@" || return 1

    bed__run "$bed" "limiting slapd to loopback" sh -c '
        sed -i "s|^SLAPD_SERVICES=.*|SLAPD_SERVICES=\"$1 ldapi:///\"|" /etc/default/slapd &&
        grep -qx "SLAPD_SERVICES=\"$1 ldapi:///\"" /etc/default/slapd' sh "$LDAP_URI" || return 1
    bed__run "$bed" "starting slapd" systemctl restart slapd || return 1
    ldap_wait "$bed" 15 ldapsearch -x -LLL -H "$LDAP_URI" -b "$LDAP_BASE" -s base dn ||
        { bed__err "slapd does not answer on $LDAP_URI in bed '$bed'"; return 1; }

    hash=$(bed__in "$bed" slappasswd -s "$LDAP_PASSWORD" </dev/null) || hash=''
    [[ $hash == '{SSHA}'* ]] || { bed__err "slappasswd in bed '$bed': '$hash'"; return 1; }
    bed__run "$bed" "ldapadd of ou=people and $LDAP_USER" sh -c 'printf "%s\n" "$4" |
        ldapadd -x -H "$1" -D "$2" -w "$3"' sh "$LDAP_URI" "$LDAP_ADMIN_DN" "$LDAP_ADMIN_PW" "\
dn: ou=people,$LDAP_BASE
objectClass: organizationalUnit
ou: people

dn: $LDAP_USER_DN
objectClass: account
objectClass: posixAccount
uid: $LDAP_USER
cn: $LDAP_USER
uidNumber: $LDAP_UID
gidNumber: $LDAP_UID
homeDirectory: /nonexistent
loginShell: /usr/sbin/nologin
userPassword: $hash" || return 1
    bed__run "$bed" "simple bind as $LDAP_USER_DN" \
        ldapwhoami -x -H "$LDAP_URI" -D "$LDAP_USER_DN" -w "$LDAP_PASSWORD" || return 1
    bed__run "$bed" "starting nslcd" systemctl restart nslcd || return 1
    bed__in "$bed" test -S /run/nslcd/socket || { bed__err "nslcd runs, but /run/nslcd/socket is no socket"; return 1; }
}

#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# t-pam-status.sh - `status` and `explain` over a realistic PAM configuration: openssh-server
# and ten add-on PAM module packages of bookworm, installed with preseeded debconf answers and
# with every pam-auth-update profile they ship enabled (pam-auth-update --enable), so that
# /etc/pam.d/common-* hold their modules; the three second-factor modules without a profile
# (google-authenticator, u2f, oath) are stacked into /etc/pam.d/sshd by hand, as their
# documentation tells an administrator to. nsswitch.conf stays as the packages leave it.
# Then:
#   - `status` reports "PAM modules without a rule: none" (every module has a rule);
#   - `explain ssh.service` names PAM service sshd, shows /etc/pam.d/sshd and the include
#     of /etc/pam.d/common-auth, and names every module of the sshd stack: the list is computed
#     here, independently of the tool, by following the @include/include/substack lines of
#     the bed's files.
# No daemon is started: the packages are installed under a policy-rc.d that denies it (the
# beds share the host's network namespace, and sshd would listen on the host's port 22).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"
# shellcheck source=lib/bed.sh
. "$HERE/lib/bed.sh"

# the add-on packages, and the pam-auth-update profiles (/usr/share/pam-configs) they ship
ADDONS=(libpam-ldapd libpam-krb5 libpam-google-authenticator libpam-u2f libpam-tmpdir
        libpam-pwquality libpam-oath libpam-radius-auth libpam-sss libpam-cap)
PROFILES=(ldap krb5 tmpdir pwquality radius sss capability)
# sshd's auth stack gets these by hand (no profile)
BY_HAND=('auth [success=ok default=ignore] pam_oath.so usersfile=/etc/users.oath window=20'
         'auth sufficient pam_u2f.so cue'
         'auth required pam_google_authenticator.so nullok')

# stack_modules SERVICE: in the bed, the module names (basename, e.g. pam_unix.so) of every
# line of SERVICE's file and the files it includes (@include, include, substack), sorted;
# Linux-PAM's lookup: /etc/pam.d/NAME, else /usr/lib/pam.d/NAME.
stack_modules() {
        # shellcheck disable=SC2016  # an awk program
        in_bed awk -v top="$1" '
                function path(name,   p, x) {
                        if (name ~ /^\//) return name
                        p = "/etc/pam.d/" name
                        if ((getline x < p) >= 0) { close(p); return p }
                        return "/usr/lib/pam.d/" name
                }
                function stack(file, depth,   line, more, f, n, i, type, mod, r) {
                        if (depth > 16) { print "include depth > 16 at " file > "/dev/stderr"; exit 2 }
                        while ((r = getline line < file) > 0) {
                                while (line ~ /\\$/ && (getline more < file) > 0)
                                        line = substr(line, 1, length(line) - 1) " " more
                                sub(/#.*/, "", line)
                                n = split(line, f)
                                if (n == 0) continue
                                if (f[1] == "@include") { stack(path(f[2]), depth + 1); continue }
                                type = f[1]; sub(/^-/, "", type)
                                if (type !~ /^(auth|account|session|password)$/ || n < 3) continue
                                i = 2
                                if (f[2] ~ /^\[/) while (i < n && index(f[i], "]") == 0) i++
                                mod = f[i + 1]
                                if (f[2] == "include" || f[2] == "substack") { stack(path(mod), depth + 1); continue }
                                sub(/.*\//, "", mod)
                                print mod
                        }
                        if (r < 0) { print "cannot read " file > "/dev/stderr"; exit 2 }
                        close(file)
                }
                BEGIN { stack(path(top), 0) }' | sort -u
}

bed_begin pam-status 20
ok "bed $BED booted"

bed__in "$BED" debconf-set-selections <<'EOF' || bail "debconf-set-selections"
nslcd nslcd/ldap-uris string ldap://127.0.0.1/
nslcd nslcd/ldap-base string dc=example,dc=org
krb5-config krb5-config/default_realm string EXAMPLE.ORG
krb5-config krb5-config/add_servers_realm string EXAMPLE.ORG
krb5-config krb5-config/add_servers boolean true
krb5-config krb5-config/kerberos_servers string 127.0.0.1
krb5-config krb5-config/admin_server string 127.0.0.1
krb5-config krb5-config/read_conf boolean true
openssh-server openssh-server/permit-root-login boolean false
EOF
cp "$ROOT/etc/nsswitch.conf" "$SCRATCH/nsswitch.before"
bed__install_stopped "$BED" openssh-server "${ADDONS[@]}" || bail "install openssh-server ${ADDONS[*]}"
ok "installed openssh-server and ${#ADDONS[@]} PAM module packages: ${ADDONS[*]}"
if in_bed systemctl is-active --quiet ssh.service; then bail "ssh.service is not running in the bed"; fi
for p in "${PROFILES[@]}"; do
        [[ -e $ROOT/usr/share/pam-configs/$p ]] || bail "pam-auth-update profile $p exists"
done
in_bed env DEBIAN_FRONTEND=noninteractive pam-auth-update --enable "${PROFILES[@]}" </dev/null >/dev/null ||
        bail "pam-auth-update --enable ${PROFILES[*]}"
missing=()
for m in pam_ldap pam_krb5 pam_tmpdir pam_pwquality pam_radius_auth pam_sss pam_cap; do
        grep -Eq "^[a-z]+[[:space:]].*[[:space:]]$m\.so([[:space:]]|$)" "$ROOT"/etc/pam.d/common-* || missing+=("$m")
done
if ((${#missing[@]} == 0)); then ok "pam-auth-update --enable ${PROFILES[*]}: their modules are in /etc/pam.d/common-*"
else bail "pam-auth-update: not in /etc/pam.d/common-*: ${missing[*]}"; fi
{
        printf '\n# hc-e2e (t-pam-status.sh): second factors stacked by hand\n'
        printf '%s\n' "${BY_HAND[@]}"
} | in_bed sh -c 'cat >>/etc/pam.d/sshd' || bail "add ${#BY_HAND[@]} auth lines to /etc/pam.d/sshd"
if cmp -s "$SCRATCH/nsswitch.before" "$ROOT/etc/nsswitch.conf"; then
        ok "nsswitch.conf as the packages left it (unchanged: libnss-* are not installed)"
else
        ok "nsswitch.conf as the packages left it: $(grep -E '^[a-z]+:' "$ROOT/etc/nsswitch.conf" | tr -s ' \t' ' ' | tr '\n' ';')"
fi

mapfile -t MODULES < <(stack_modules sshd)
if ((${#MODULES[@]} >= 15)) && printf '%s\n' "${MODULES[@]}" | grep -qx pam_google_authenticator.so &&
        printf '%s\n' "${MODULES[@]}" | grep -qx pam_ldap.so; then
        ok "the sshd stack (with its includes) has ${#MODULES[@]} modules: ${MODULES[*]}"
else
        bail "the sshd stack (with its includes) has ${#MODULES[@]} modules: ${MODULES[*]}"
fi

# --- status -------------------------------------------------------------------------------------
if hc status >"$SCRATCH/status" 2>&1; then ok "status"; else not_ok "status (exit $?)"; fi
check "status: 'PAM modules without a rule: none'" \
        grep -Eq '^[[:space:]]*PAM modules without a rule: none[[:space:]]*$' "$SCRATCH/status"

# --- explain ssh.service --------------------------------------------------------------------------
if hc explain ssh.service >"$SCRATCH/explain" 2>&1; then ok "explain ssh.service"; else not_ok "explain ssh.service (exit $?)"; fi
check "explain: 'PAM service sshd'" grep -qF 'PAM service sshd' "$SCRATCH/explain"
check "explain: a line with '/etc/pam.d/sshd:'" grep -qF '/etc/pam.d/sshd:' "$SCRATCH/explain"
check "explain: a line with '→ /etc/pam.d/common-auth:'" grep -qF '→ /etc/pam.d/common-auth:' "$SCRATCH/explain"
missing=()
for m in "${MODULES[@]}"; do grep -qwF -- "$m" "$SCRATCH/explain" || missing+=("$m"); done
if ((${#missing[@]} == 0)); then ok "explain names all ${#MODULES[@]} modules of the sshd stack"
else not_ok "explain names all ${#MODULES[@]} modules of the sshd stack; missing: ${missing[*]}"; fi

if ((failed)); then # the tool's output, for the log
        echo "# status:"; sed 's/^/#   /' "$SCRATCH/status"
        echo "# explain ssh.service:"; sed 's/^/#   /' "$SCRATCH/explain"
fi
tap_end

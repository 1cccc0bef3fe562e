# shellcheck shell=bash source-path=SCRIPTDIR disable=SC2016  # (the sh -c scripts below take their arguments as $1...)
# sssd.sh - SSSD with a purely local domain inside a testbed bed: a user that resolves through
# the "sss" NSS module (a connection to sssd's AF_UNIX socket) and through nothing else.
#
# Source it from a test (bash; safe under `set -euo pipefail`):
#     . "$HERE/lib/sssd.sh"
#     testbed start "$BED"; trap 'testbed stop "$BED"' EXIT
#     sssd_setup "$BED" || bail "SSSD"
#
#   sssd_setup BED  in a started bed: install Debian's sssd-common + libnss-sss (bookworm: 2.8.2);
#                   SSSD domain "hctest" with the SSSD-only user sssuser (uid 5003, group
#                   sssgroup gid 5003), which is in the domain's own passwd/group files but NOT in
#                   the bed's /etc/passwd or /etc/group; nsswitch.conf "passwd: files sss",
#                   "group: files sss"; sss's memory cache OFF (see below); returns once
#                   `getent passwd sssuser` works in the bed and `getent -s files` does not find it.
#   sssd_memcache BED on|off
#                   switch sss's memory cache (/var/lib/sss/mc) on (memcache_timeout = 300, sssd's
#                   default; the cache is then warmed with getent passwd/group) or off (0, as
#                   sssd_setup leaves it); restarts sssd; returns once getent works again and
#                   /var/lib/sss/mc/passwd exists (on) or is gone (off).
#   sssd_wait_getent BED [SECONDS]
#                   retry `getent passwd sssuser` in the bed (default 30 s); 0 when it resolves.
#
# The functions print nothing on success (set SSSD_VERBOSE=1 for timings on stderr) and return
# non-zero with a message (and the failing command's output) on stderr; they never exit.
# After sssd_setup: SSSD_INSTALL_SECS and SSSD_SETUP_SECS hold the timings (e.g. "9.16"), and
# SSSD_PROVIDER_USED the domain's id_provider ("files" or "proxy").
#
# How a lookup reaches sssd: libnss_sss.so.2 (in the looking-up process) first reads the memory
# cache files /var/lib/sss/mc/{passwd,group,initgroups} (mmap, no socket), and only on a miss
# does socket(AF_UNIX) + connect("/var/lib/sss/pipes/nss") (mode 0666, served by sssd_nss).
# With the cache on, a unit whose RestrictAddressFamilies= refuses AF_UNIX still resolves
# sssuser as long as the entry is cached (up to memcache_timeout seconds after any lookup in the
# bed): a break test would pass or fail by timing. Hence `memcache_timeout = 0` in [nss]: sssd
# then creates no cache files (and deletes existing ones when it starts), and every lookup goes
# through the socket. No other socket is used (glibc first tries nscd's /var/run/nscd/socket,
# also AF_UNIX; nscd is not installed). Nothing listens on any IP address.
#
# The domain:
#   files  (SSSD_PROVIDER=files; the default when the bed's sssd has libsss_files.so, as
#          bookworm's 2.8 does) id_provider = files over /etc/sssd-hctest/{passwd,group}
#          (sssd watches them with inotify). The files provider is deprecated since sssd 2.9 and
#          gone in 2.11.
#   proxy  (SSSD_PROVIDER=proxy, or the fallback when there is no files provider) id_provider =
#          proxy with proxy_lib_name = extrausers: sssd_be calls libnss_extrausers.so.2
#          (package libnss-extrausers, which reads /var/lib/extrausers/{passwd,group}) in-process;
#          "extrausers" is NOT in nsswitch.conf, so the user still resolves only through sss.
#          auth_provider = none (the proxy auth provider wants proxy_pam_target, and without one
#          sssd_be fails: "Unable to create auth context").
# sssd runs its responders itself (services = nss); Debian enables socket-activated responder
# units (sssd-nss.socket, sssd-pam.socket, ...) that conflict with that ("sssd-nss.socket:
# Misconfiguration found for the nss responder", a failed unit, the bed "degraded") or open
# sockets nobody needs: sssd_setup disables them all before sssd first starts.
# libnss-sss's postinst appends "sss" to passwd, group, shadow, netgroup and services and adds
# "automount: sss" to nsswitch.conf; sssd_setup removes sss from every line but passwd/group
# (and an automount: line left empty), so only those two databases use it.
# /etc/hosts gets localhost entries first (a minbase bed has none: anything resolving
# "localhost" or the host name would ask the bed's resolv.conf nameserver, a non-loopback
# address).
#
# Environment (read at call time):
#   SSSD_PROVIDER       auto (default), files or proxy - see above
#   SSSD_EXTRA_PACKAGES more packages for the same apt-get run (e.g. "strace")
#   SSSD_VERBOSE        if set: timings on stderr

# shellcheck source=bed.sh
. "$(dirname "${BASH_SOURCE[0]}")/bed.sh"

SSSD_DOMAIN=hctest
SSSD_USER=sssuser
SSSD_UID=5003
SSSD_GROUP=sssgroup
SSSD_GID=5003
SSSD_SRCDIR=/etc/sssd-hctest          # the files provider's passwd_files / group_files
SSSD_PIPE=/var/lib/sss/pipes/nss      # the socket libnss_sss connects to
SSSD_MCDIR=/var/lib/sss/mc            # the memory cache libnss_sss reads without the socket
SSSD_INSTALL_SECS=''
SSSD_SETUP_SECS=''
SSSD_PROVIDER_USED=''






# sssd__restart BED: (re)start sssd.service; reset-failed first, so that repeated restarts in
# one test never hit the unit's StartLimitBurst=5 in StartLimitIntervalSec=50s
sssd__restart() {
    local bed=$1
    bed__in "$bed" systemctl reset-failed sssd.service >/dev/null 2>&1 || true
    bed__run "$bed" "systemctl restart sssd.service" systemctl restart sssd.service && return 0
    bed__in "$bed" sh -c 'journalctl -b --no-pager -o cat -u sssd.service | tail -n 8
        tail -n 15 /var/log/sssd/sssd_'"$SSSD_DOMAIN"'.log 2>/dev/null' 2>&1 | sed 's/^/  | /' >&2
    return 1
}

sssd_wait_getent() {
    bed__wait_passwd "${1:?sssd_wait_getent BED [SECONDS]}" "${SSSD_USER}" "${SSSD_UID}" "${SSSD_GID}" "${2:-30}"
}

sssd_setup() {
    local bed=${1-} t0 t1 t2 pkgs provider have_files line pwfile grfile
    [[ -n $bed ]] || { bed__err "usage: sssd_setup BED"; return 2; }
    provider=${SSSD_PROVIDER:-auto}
    [[ $provider == auto || $provider == files || $provider == proxy ]] ||
        { bed__err "SSSD_PROVIDER must be auto, files or proxy (not '$provider')"; return 2; }
    bed__tb root "$bed" >/dev/null || { bed__err "no bed '$bed'"; return 1; }
    bed__in "$bed" true || { bed__err "bed '$bed' is not running"; return 1; }
    t0=$EPOCHREALTIME

    # --- before the packages: hosts ----------------------------------------------------------------
    bed__ensure_hosts "$bed" || return 1

    # --- packages --------------------------------------------------------------------------------
    # sssd-common (sssd, sssd_be, sssd_nss, the files provider) pulls libnss-sss, libpam-sss,
    # python3 and python3-sss (~50 packages in a minbase bed). Its postinst does not start sssd
    # yet: sssd.service has ConditionPathExists=|/etc/sssd/sssd.conf, written below.
    pkgs="sssd-common libnss-sss ${SSSD_EXTRA_PACKAGES-}"
    [[ $provider == proxy ]] && pkgs="$pkgs sssd-proxy libnss-extrausers"
    # shellcheck disable=SC2086  # a word list on purpose
    bed__install "$bed" $pkgs || return 1
    have_files=0
    bed__in "$bed" sh -c 'for f in /usr/lib/*/sssd/libsss_files.so /usr/lib/sssd/libsss_files.so; do
        [ -e "$f" ] && exit 0; done; exit 1' && have_files=1
    if [[ $provider == auto ]]; then
        if ((have_files)); then provider=files; else provider=proxy; fi
        [[ $provider == files ]] || bed__install "$bed" sssd-proxy libnss-extrausers || return 1
    elif [[ $provider == files ]] && ((!have_files)); then
        bed__err "this sssd has no files provider (libsss_files.so); use SSSD_PROVIDER=proxy"
        return 1
    fi
    t1=$EPOCHREALTIME

    # --- sssd --------------------------------------------------------------------------------------
    # socket-activated responders off before sssd first starts (they are WantedBy=sssd.service)
    bed__run "$bed" "disabling sssd's socket units" sh -c '
        units=$(systemctl list-unit-files --no-legend "sssd-*.socket" | while read -r u _; do printf "%s " "$u"; done)
        [ -z "$units" ] || systemctl disable --now $units' || return 1
    if [[ $provider == files ]]; then
        pwfile=$SSSD_SRCDIR/passwd grfile=$SSSD_SRCDIR/group
    else
        pwfile=/var/lib/extrausers/passwd grfile=/var/lib/extrausers/group
    fi
    printf '%s:x:%s:%s:SSSD-only test user:/nonexistent:/usr/sbin/nologin\n' "$SSSD_USER" "$SSSD_UID" "$SSSD_GID" |
        bed__put "$bed" "$pwfile" 0644 || return 1
    printf '%s:x:%s:%s\n' "$SSSD_GROUP" "$SSSD_GID" "$SSSD_USER" | bed__put "$bed" "$grfile" 0644 || return 1
    {
        printf '# hc-sssd (tests/e2e/lib/sssd.sh)\n[sssd]\nservices = nss\ndomains = %s\n\n' "$SSSD_DOMAIN"
        printf '[nss]\n# no memory cache in %s: every lookup goes through %s\nmemcache_timeout = 0\n\n' "$SSSD_MCDIR" "$SSSD_PIPE"
        printf '[domain/%s]\n' "$SSSD_DOMAIN"
        if [[ $provider == files ]]; then
            printf 'id_provider = files\npasswd_files = %s\ngroup_files = %s\n' "$pwfile" "$grfile"
        else
            printf 'id_provider = proxy\nproxy_lib_name = extrausers\nauth_provider = none\n'
        fi
    } | bed__put "$bed" /etc/sssd/sssd.conf 0600 || return 1
    line=$(bed__in "$bed" stat -c '%a %U %G' /etc/sssd/sssd.conf) || line=''
    [[ $line == '600 root root' ]] || { bed__err "/etc/sssd/sssd.conf is '$line', not '600 root root'"; return 1; }
    bed__run "$bed" "enabling sssd.service" systemctl enable sssd.service || return 1
    sssd__restart "$bed" || { bed__err "sssd does not start in bed '$bed'"; return 1; }
    bed__in "$bed" test -S "$SSSD_PIPE" || { bed__err "sssd is running but $SSSD_PIPE is no socket"; return 1; }

    # --- nsswitch.conf ---------------------------------------------------------------------------
    bed__run "$bed" "editing /etc/nsswitch.conf" sed -i -E \
        -e 's/^passwd:.*/passwd:         files sss/' -e 's/^group:.*/group:          files sss/' \
        -e '/^(passwd|group):/!{/^[a-z_]+:/{s/[[:space:]]+sss([[:space:]]|$)/\1/g;s/[[:space:]]+$//}}' \
        -e '/^automount:$/d' /etc/nsswitch.conf || return 1
    if ! bed__in "$bed" grep -qx 'passwd:         files sss' /etc/nsswitch.conf ||
            ! bed__in "$bed" grep -qx 'group:          files sss' /etc/nsswitch.conf; then
        bed__err "nsswitch.conf has no 'passwd: files sss' and 'group: files sss'"
        return 1
    fi

    # --- checks ------------------------------------------------------------------------------------
    sssd_wait_getent "$bed" 30 || { bed__err "getent passwd $SSSD_USER does not resolve in bed '$bed'"; return 1; }
    line=$(bed__in "$bed" getent group "$SSSD_GROUP" 2>/dev/null) || line=''
    [[ $line == "$SSSD_GROUP:"*":$SSSD_GID:"* ]] || { bed__err "getent group $SSSD_GROUP: '$line'"; return 1; }
    if bed__in "$bed" getent -s files passwd "$SSSD_USER" >/dev/null 2>&1 ||
            bed__in "$bed" getent -s files group "$SSSD_GROUP" >/dev/null 2>&1; then
        bed__err "$SSSD_USER/$SSSD_GROUP resolve through 'files': they must come from sss only"
        return 1
    fi
    if bed__in "$bed" test -e "$SSSD_MCDIR/passwd"; then
        bed__err "$SSSD_MCDIR/passwd exists: the memory cache is not off"
        return 1
    fi
    t2=$EPOCHREALTIME
    SSSD_PROVIDER_USED=$provider
    SSSD_INSTALL_SECS=$(bed__secs "$t0" "$t1")
    SSSD_SETUP_SECS=$(bed__secs "$t1" "$t2")
    if [[ -n ${SSSD_VERBOSE-} ]]; then
        printf 'sssd_setup %s: packages in %s s, id_provider=%s configured and resolving in %s s\n' \
            "$bed" "$SSSD_INSTALL_SECS" "$SSSD_PROVIDER_USED" "$SSSD_SETUP_SECS" >&2
    fi
    return 0
}

sssd_memcache() {
    local bed=${1-} mode=${2-} tmo t0 d
    [[ -n $bed && ($mode == on || $mode == off) ]] || { bed__err "usage: sssd_memcache BED on|off"; return 2; }
    t0=$EPOCHREALTIME
    if [[ $mode == on ]]; then tmo=300; else tmo=0; fi
    bed__run "$bed" "setting memcache_timeout = $tmo" sh -c '
        sed -i -E "s/^memcache_timeout[[:space:]]*=.*/memcache_timeout = $1/" /etc/sssd/sssd.conf &&
        grep -qx "memcache_timeout = $1" /etc/sssd/sssd.conf' sh "$tmo" || return 1
    sssd__restart "$bed" || { bed__err "sssd does not restart in bed '$bed'"; return 1; }
    sssd_wait_getent "$bed" 30 || { bed__err "getent passwd $SSSD_USER does not resolve in bed '$bed'"; return 1; }
    if [[ $mode == on ]]; then
        # warm it: the lookups above and these put the entries into the cache files
        bed__in "$bed" getent group "$SSSD_GROUP" >/dev/null 2>&1 || true
        bed__in "$bed" id "$SSSD_USER" >/dev/null 2>&1 || true
        bed__in "$bed" test -s "$SSSD_MCDIR/passwd" || { bed__err "no $SSSD_MCDIR/passwd after a lookup"; return 1; }
    else
        bed__in "$bed" test -e "$SSSD_MCDIR/passwd" && { bed__err "$SSSD_MCDIR/passwd still exists"; return 1; }
    fi
    d=$(bed__secs "$t0" "$EPOCHREALTIME")
    [[ -z ${SSSD_VERBOSE-} ]] || printf 'sssd_memcache %s: %s (memcache_timeout = %s) in %s s\n' "$bed" "$mode" "$tmo" "$d" >&2
    return 0
}

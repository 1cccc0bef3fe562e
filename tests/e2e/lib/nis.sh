# shellcheck shell=bash source-path=SCRIPTDIR disable=SC2016  # (the sh -c scripts below take their arguments as $1...)
# nis.sh - a NIS (YP) master server and client on loopback inside a testbed bed.
#
# Source it from a test (bash; safe under `set -euo pipefail`):
#     . "$HERE/lib/nis.sh"
#     testbed start "$BED"; trap 'testbed stop "$BED"' EXIT
#     nis_setup "$BED" || bail "NIS"
#
#   nis_setup BED   in a started bed: install Debian 12's nis (ypserv, ypbind-mt, yp-tools),
#                   rpcbind, libnss-nis and netbase; NIS domain "hctest" with this bed as its
#                   master server and its own client (yp.conf: server 127.0.0.1); the NIS-only
#                   user nisuser (uid 5002, group nisgroup gid 5002), which is in the NIS maps but
#                   NOT in the bed's /etc/passwd; nsswitch.conf "passwd: files nis",
#                   "group: files nis"; returns once `getent passwd nisuser` works in the bed.
#   nis_compat BED [LINE]
#                   switch to "passwd: compat" (no passwd_compat: line, so glibc's default "nis"
#                   applies) with LINE (default "+nisuser"; "+" also works) appended to the bed's
#                   /etc/passwd; returns once `getent passwd nisuser` works.
#   nis_wait_getent BED [SECONDS]
#                   retry `getent passwd nisuser` in the bed (default 30 s); 0 when it resolves.
#
# Both functions print nothing on success (set NIS_VERBOSE=1 for timings on stderr) and return
# non-zero with a message (and the failing command's output) on stderr; they never exit.
# After nis_setup: NIS_INSTALL_SECS and NIS_SETUP_SECS hold the timings (e.g. "5.47").
#
# Loopback only - the beds share the HOST's network namespace, so every port below is a port
# of the host:
#   rpcbind  socket-activated; a drop-in (written BEFORE the package is installed, whose postinst
#            starts rpcbind.socket at once) replaces Debian's 0.0.0.0:111 and [::]:111 by
#            127.0.0.1:111 and [::1]:111 (TCP+UDP) and /run/rpcbind.sock. rpcbind's own -h only
#            concerns UDP sockets rpcbind creates itself, not systemd's.
#   ypserv   has no bind-address option: it listens on 0.0.0.0 and [::] (random ports below
#            1024); /etc/ypserv.securenets answers loopback only, and a drop-in fences the
#            service with IPAddressDeny=any + IPAddressAllow=localhost (the bed's BPF firewall).
#   ypbind   -local-only binds IPv4 to 127.0.0.1, but its IPv6 sockets still go to [::]; the
#            same IP fence as ypserv. yppasswdd/ypxfrd stay disabled.
# NIS_FENCE_DAEMONS=0 leaves out the two service fences (they are IPAddressDeny= units that
# hardening-compat itself will look at). /etc/hosts gets localhost entries: a minbase bed has
# none, and libtirpc/yphelper would otherwise ask the bed's resolv.conf nameserver (a
# non-loopback address) for "localhost" and the host name.
#
# Environment (read at call time):
#   NIS_EXTRA_PACKAGES more packages for the same apt-get run (e.g. "strace")
#   NIS_FENCE_DAEMONS  1 (default) or 0, see above
#   NIS_VERBOSE        if set: timings on stderr

# shellcheck source=bed.sh
. "$(dirname "${BASH_SOURCE[0]}")/bed.sh"

NIS_DOMAIN=hctest
NIS_USER=nisuser
NIS_UID=5002
NIS_GROUP=nisgroup
NIS_GID=5002
NIS_SRCDIR=/etc/yp-hctest             # YPPWDDIR of /var/yp/Makefile: passwd + group of the maps
NIS_INSTALL_SECS=''
NIS_SETUP_SECS=''





# nis__setkv BED FILE KEY VALUE: KEY=VALUE in a shell-style config file (replace or append)
nis__setkv() {
    bed__in "$1" sh -c 'f=$1 k=$2 v=$3
        if grep -q "^$k=" "$f"; then sed -i "s|^$k=.*|$k=$v|" "$f"; else printf "%s=%s\n" "$k" "$v" >>"$f"; fi' \
        sh "$2" "$3" "$4"
}

# sockets on port 111 (listening TCP, any UDP) not bound to 127.0.0.1 or ::1 - in the host's
# network namespace, which the beds share; prints them as hex /proc/net entries
nis__port111_exposed() {
    local f laddr st
    for f in /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6; do
        [[ -r $f ]] || continue
        while read -r _ laddr _ st _; do
            [[ ${laddr##*:} == 006F ]] || continue
            [[ $f == */tcp* && $st != 0A ]] && continue
            case ${laddr%:*} in
                0100007F | 00000000000000000000000001000000) ;;
                *) printf '%s %s\n' "${f##*/}" "$laddr" ;;
            esac
        done < <(tail -n +2 "$f")
    done
}

nis_wait_getent() {
    bed__wait_passwd "${1:?nis_wait_getent BED [SECONDS]}" "${NIS_USER}" "${NIS_UID}" "${NIS_GID}" "${2:-30}"
}

nis_setup() {
    local bed=${1-} root t0 t1 t2 out w deadline exposed pkgs
    [[ -n $bed ]] || { bed__err "usage: nis_setup BED"; return 2; }
    root=$(bed__tb root "$bed") || { bed__err "no bed '$bed'"; return 1; }
    bed__in "$bed" true || { bed__err "bed '$bed' is not running"; return 1; }
    t0=$EPOCHREALTIME

    # --- before the packages: hosts, rpcbind on loopback, fences, debconf ----------------------
    bed__ensure_hosts "$bed" || return 1
    bed__put "$bed" /etc/systemd/system/rpcbind.socket.d/hc-nis-loopback.conf 0644 <<'EOF' || return 1
# hc-nis (tests/e2e/lib/nis.sh): the test beds share the host's network namespace
[Socket]
ListenStream=
ListenDatagram=
ListenStream=/run/rpcbind.sock
ListenStream=127.0.0.1:111
ListenDatagram=127.0.0.1:111
ListenStream=[::1]:111
ListenDatagram=[::1]:111
EOF
    if [[ ${NIS_FENCE_DAEMONS:-1} != 0 ]]; then
        for w in ypserv ypbind; do
            bed__put "$bed" "/etc/systemd/system/$w.service.d/hc-nis-loopback.conf" 0644 <<'EOF' || return 1
# hc-nis (tests/e2e/lib/nis.sh): this daemon binds 0.0.0.0/[::] of the host's network namespace
[Service]
IPAddressDeny=any
IPAddressAllow=localhost
EOF
        done
    fi
    # bookworm's nis 4.5 no longer asks this (the domain is set below); harmless to preseed
    printf 'nis nis/domain string %s\n' "$NIS_DOMAIN" | bed__put "$bed" /root/hc-nis.preseed 0644 || return 1
    bed__in "$bed" systemctl daemon-reload || { bed__err "daemon-reload"; return 1; }

    # --- packages --------------------------------------------------------------------------------
    # netbase: /etc/services and /etc/rpc, without which libtirpc cannot find rpcbind ("RPC:
    # Unknown host"); it is only a Recommends, and testbed installs without recommends
    pkgs="nis rpcbind libnss-nis netbase ${NIS_EXTRA_PACKAGES-}"
    # shellcheck disable=SC2086  # a word list on purpose
    bed__install "$bed" --preseed "$root/root/hc-nis.preseed" $pkgs || return 1
    t1=$EPOCHREALTIME
    # rpcbind.socket started during the install: make sure it honoured the drop-in
    exposed=$(nis__port111_exposed)
    if [[ -n $exposed ]]; then
        bed__in "$bed" systemctl stop rpcbind.socket rpcbind.service >/dev/null 2>&1 || true
        bed__err "something listens on port 111 beyond loopback: $(tr '\n' ' ' <<<"$exposed")"
        return 1
    fi

    # --- server ------------------------------------------------------------------------------------
    printf '%s\n' "$NIS_DOMAIN" | bed__put "$bed" /etc/defaultdomain 0644 || return 1
    bed__run "$bed" "domainname $NIS_DOMAIN" domainname "$NIS_DOMAIN" || return 1
    # bookworm's units ignore NISSERVER/NISCLIENT (they were the sysvinit script's switches):
    # ypserv and ypbind are enabled below; set anyway for anything that reads them
    local kv
    for kv in NISSERVER=master NISCLIENT=true NISMASTER= "YPPWDDIR=$NIS_SRCDIR" YPBINDARGS=-local-only; do
        nis__setkv "$bed" /etc/default/nis "${kv%%=*}" "${kv#*=}" || { bed__err "editing /etc/default/nis"; return 1; }
    done
    printf '255.0.0.0\t127.0.0.0\nhost\t\t::1\n' | bed__put "$bed" /etc/ypserv.securenets 0644 || return 1
    printf '%s:x:%s:%s:NIS-only test user:/nonexistent:/usr/sbin/nologin\n' "$NIS_USER" "$NIS_UID" "$NIS_GID" |
        bed__put "$bed" "$NIS_SRCDIR/passwd" 0644 || return 1
    printf '%s:x:%s:%s\n' "$NIS_GROUP" "$NIS_GID" "$NIS_USER" | bed__put "$bed" "$NIS_SRCDIR/group" 0644 || return 1
    # maps from $NIS_SRCDIR only, and only passwd + group (the default list also wants
    # /etc/hosts, /etc/rpc ... and stops at the first missing one)
    bed__run "$bed" "editing /var/yp/Makefile" sh -c '
        sed -i -e "s|^YPPWDDIR = .*|YPPWDDIR = $1|" -e "s|^ALL = .*|ALL = passwd group|" /var/yp/Makefile &&
        grep -qx "YPPWDDIR = $1" /var/yp/Makefile && grep -qx "ALL = passwd group" /var/yp/Makefile' sh "$NIS_SRCDIR" ||
        return 1
    # ypinit -m asks for more server names until EOF, then "Is this correct? [y/n: y]": EOF again
    # answers the default. It exits 0 even when make fails: check the maps instead.
    out=$(bed__in "$bed" /usr/lib/yp/ypinit -m </dev/null 2>&1) || true
    if ! grep -q 'has been set up as a NIS master server' <<<"$out" ||
            ! bed__in "$bed" /usr/lib/yp/makedbm -u "/var/yp/$NIS_DOMAIN/passwd.byname" 2>/dev/null |
                grep -q "^${NIS_USER}[[:space:]]${NIS_USER}:"; then
        printf '%s\n' "$out" | tail -n 25 | sed 's/^/  | /' >&2
        bed__err "ypinit -m did not build the passwd map"
        return 1
    fi
    bed__run "$bed" "starting ypserv" systemctl enable --now ypserv.service || return 1
    deadline=$((SECONDS + 15))
    until bed__in "$bed" rpcinfo -u 127.0.0.1 ypserv 2 >/dev/null 2>&1; do
        ((SECONDS < deadline)) || { bed__err "ypserv does not answer on 127.0.0.1"; return 1; }
        sleep 0.2
    done

    # --- client ------------------------------------------------------------------------------------
    printf 'domain %s server 127.0.0.1\n' "$NIS_DOMAIN" | bed__put "$bed" /etc/yp.conf 0644 || return 1
    bed__run "$bed" "starting ypbind" systemctl enable --now ypbind.service || return 1
    deadline=$((SECONDS + 30))
    while :; do
        w=$(bed__in "$bed" ypwhich 2>/dev/null) || w=''
        [[ $w == 127.0.0.1 || $w == localhost ]] && break
        ((SECONDS < deadline)) || { bed__err "ypbind not bound to 127.0.0.1 (ypwhich: '${w:-nothing}')"; return 1; }
        sleep 0.2
    done
    bed__run "$bed" "editing /etc/nsswitch.conf" sed -i -E \
        -e 's/^passwd:.*/passwd:         files nis/' -e 's/^group:.*/group:          files nis/' /etc/nsswitch.conf ||
        return 1
    nis_wait_getent "$bed" 30 || { bed__err "getent passwd $NIS_USER does not resolve in bed '$bed'"; return 1; }
    if bed__in "$bed" grep -q "^$NIS_USER:" /etc/passwd; then
        bed__err "$NIS_USER is in the bed's /etc/passwd: it must come from NIS only"
        return 1
    fi
    t2=$EPOCHREALTIME
    NIS_INSTALL_SECS=$(bed__secs "$t0" "$t1")
    NIS_SETUP_SECS=$(bed__secs "$t1" "$t2")
    if [[ -n ${NIS_VERBOSE-} ]]; then
        printf 'nis_setup %s: packages in %s s, configured and bound in %s s (ypwhich: %s)\n' \
            "$bed" "$NIS_INSTALL_SECS" "$NIS_SETUP_SECS" "$w" >&2
    fi
    return 0
}

nis_compat() {
    local bed=${1-} line=${2-+$NIS_USER} t0
    [[ -n $bed ]] || { bed__err "usage: nis_compat BED [+nisuser|+]"; return 2; }
    [[ $line == + || $line == "+$NIS_USER" ]] || { bed__err "nis_compat: LINE must be '+' or '+$NIS_USER'"; return 2; }
    t0=$EPOCHREALTIME
    bed__run "$bed" "editing /etc/nsswitch.conf" sed -i -E \
        -e 's/^passwd:.*/passwd:         compat/' -e '/^passwd_compat:/d' /etc/nsswitch.conf || return 1
    bed__run "$bed" "appending '$line' to /etc/passwd" sh -c \
        'grep -qxF -- "$1" /etc/passwd || printf "%s\n" "$1" >>/etc/passwd' sh "$line" || return 1
    nis_wait_getent "$bed" 15 || { bed__err "passwd: compat: getent passwd $NIS_USER does not resolve in bed '$bed'"; return 1; }
    bed__in "$bed" getent passwd root >/dev/null || { bed__err "passwd: compat: root no longer resolves"; return 1; }
    [[ -z ${NIS_VERBOSE-} ]] || printf 'nis_compat %s: passwd: compat with %s in %s s\n' "$bed" "$line" "$(bed__secs "$t0" "$EPOCHREALTIME")" >&2
    return 0
}

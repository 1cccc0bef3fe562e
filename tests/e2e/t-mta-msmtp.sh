#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# t-mta-msmtp.sh - MTAs, a network submitter (issue 7): units that hand mail to msmtp-mta's
# /usr/sbin/sendmail (-> /usr/bin/msmtp, a plain 0755 binary in bookworm) fail under their
# sandbox without hardening-compat's drop-in and deliver with it. msmtp keeps no queue: on every
# message it connects over TCP to the smarthost of /etc/msmtprc's default account, and it writes
# the message to a tmpfile() in /tmp first.
#
# The bed (Debian 12, systemd 252, msmtp 1.8.23) gets msmtp-mta (debconf msmtp/apparmor
# preseeded false; its msmtpd.service is installed disabled and nothing is started). The
# smarthost is msmtpd from the same package, run as the transient unit hc-smtp-sink.service
# on 127.0.0.1:PORT (the beds share the host's network namespace: PORT is 2525 + PID % 1000,
# or the next port nobody listens on); its --command stores each message as a file in
# /var/lib/hc-sink, so a message is "delivered" once the smarthost has accepted it (msmtpd
# pipes it before it answers 250, so the file is there when sendmail returns).
# /etc/msmtprc (0644: msmtp is not setgid, the users read it themselves):
#   defaults: auth off, tls off, timeout 5, syslog off
#   account default: host 127.0.0.1, port PORT, from hcmail@bed.example
# "syslog off" keeps the test about the network: msmtp's syslog goes over AF_UNIX /dev/log and
# fails silently (observed: with `syslog LOG_MAIL` a unit with RestrictAddressFamilies=AF_INET
# still delivers, only msmtp's log line is lost), so it never decides whether mail goes out.
# The failures below are msmtp's own stderr lines in the unit's journal and its exit status.
# Every unit is Type=oneshot, User=hcmail (a system user made here), TimeoutStartSec=15,
#   ExecStart=/bin/sh -c "printf 'Subject: UNIT\\n\\nbody\\n' | /usr/sbin/sendmail root@bed.example"
# (hc-nomail: ExecStart=/bin/true).
#
#   unit            sandbox                                   drop-in
#   hc-mail-af      RestrictAddressFamilies=AF_UNIX           RestrictAddressFamilies=AF_INET
#                                                             IPAddressDeny=0.0.0.0/0 (the fence)
#                                                             IPAddressAllow=127.0.0.1
#   hc-mail-deny    IPAddressDeny=any                         IPAddressAllow=127.0.0.1
#   hc-mail-strict  ProtectSystem=strict                      ReadWritePaths=-/tmp
#   hc-mail-nnp     NoNewPrivileges=yes,                      none (msmtp needs no privilege)
#                   SystemCallArchitectures=native
#   hc-mail-none    (none)                                    none
#   hc-nomail       RestrictAddressFamilies=AF_UNIX,          none (sends no mail)
#                   IPAddressDeny=any, ProtectSystem=strict
#
# What happens without a drop-in (observed; sh exits with sendmail's status):
#   hc-mail-af      at once, status=71/OSERR (EX_OSERR):
#                     sendmail: cannot create socket: Address family not supported by protocol
#                     sendmail: could not send mail (account default from /etc/msmtprc)
#   hc-mail-deny    after msmtp's `timeout 5`, status=75/TEMPFAIL (EX_TEMPFAIL):
#                     sendmail: cannot connect to 127.0.0.1, port PORT: Connection timed out
#                     sendmail: could not send mail (account default from /etc/msmtprc)
#   hc-mail-strict  at once, status=74/IOERR (EX_IOERR):
#                     sendmail: cannot create temporary file: Read-only file system
#   each: "Job for UNIT failed because the control process exited with error code.",
#   Result=exit-code ExecMainCode=1 (CLD_EXITED); nothing reaches the smarthost.
#
# Hand-written drop-ins, checked in a scratch bed before this test was written: exactly the
# drop-ins of the table make each unit deliver. Also: hc-mail-af with RestrictAddressFamilies=
# AF_INET alone delivers too (the fence is least privilege, not a necessity); with AF_INET6, or
# with only IPAddressAllow=127.0.0.1, it still fails with EX_OSERR; with AF_INET and the fence
# but no IPAddressAllow= it times out (EX_TEMPFAIL). hc-mail-deny with IPAddressAllow=127.0.0.2
# still times out. hc-mail-strict delivers with PrivateTmp=yes as well (ReadWritePaths=-/tmp
# changes less: the unit keeps the host's /tmp). The fence holds: under AF_INET +
# IPAddressDeny=0.0.0.0/0 + IPAddressAllow=127.0.0.1 a connect to 127.0.0.2 times out, without
# the fence it is refused at once.
# The tool decides from the Exec command line (it names /usr/sbin/sendmail), the dpkg database
# (msmtp-mta owns /usr/sbin/sendmail) and /etc/msmtprc. It runs on the host with --root, as it
# would on an image; the bed only reloads.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"
# shellcheck source=lib/bed.sh
. "$HERE/lib/bed.sh"
# shellcheck source=lib/mail.sh
. "$HERE/lib/mail.sh"

SYSDIR=/etc/systemd/system
MAIL_TIMEOUT=15
MAIL_TO=root@bed.example
SINK=hc-smtp-sink
SINKDIR=/var/lib/hc-sink
BROKEN=(hc-mail-af hc-mail-deny hc-mail-strict)
# the drop-in's setting lines for each broken unit, sorted
declare -A WANT=([hc-mail-af]=$(printf '%s\n' RestrictAddressFamilies=AF_INET IPAddressDeny=0.0.0.0/0 \
        IPAddressAllow=127.0.0.1 | sort) [hc-mail-deny]=IPAddressAllow=127.0.0.1
        [hc-mail-strict]=ReadWritePaths=-/tmp)
# each broken unit's exit status without a drop-in (sysexits.h)
declare -A STATUS=([hc-mail-af]=71 [hc-mail-deny]=75 [hc-mail-strict]=74)

# delivered UNIT: how many messages with the unit's subject the smarthost has stored
# shellcheck disable=SC2016  # the sh -c script takes its arguments as $1, $2
delivered() {
        in_bed sh -c 'set -- "$1" "$2"/msg.*; [ -e "$2" ] || { echo 0; exit; }; s=$1; shift
                grep -lxF "Subject: $s" "$@" | wc -l' sh "$1" "$SINKDIR"
}
# delivers UNIT N: wait up to 10 s until the smarthost has N messages of the unit
delivers() {
        local deadline=$((SECONDS + 10))
        until (($(delivered "$1") >= $2)); do
                ((SECONDS < deadline)) || return 1
                sleep 0.2
        done
}
# works UNIT WHAT: the unit succeeds and one more of its messages is delivered
works() {
        local before
        before=$(delivered "$1")
        if starts "$1.service" && delivers "$1" $((before + 1)); then ok "$2 ($(cat "$LOG"))"; else
                not_ok "$2: $(tr '\n' ' ' <"$LOG") delivered=$(delivered "$1")"; fi
}
# listening PORT: something listens on 127.0.0.1:PORT or on any address:PORT (the beds share the
# host's network namespace, so the host's /proc/net/tcp* are the bed's)
listening() {
        local hex
        hex=$(printf '%04X' "$1")
        grep -qE "^ *[0-9]+: [0-9A-F]+:$hex [0-9A-F]+:[0-9A-F]+ 0A " /proc/net/tcp /proc/net/tcp6
}

bed_begin msmtp 20
ok "bed $BED booted, IP firewall enforced"

# --- msmtp-mta -----------------------------------------------------------------------------------
printf 'msmtp msmtp/apparmor boolean false\n' >"$SCRATCH/preseed"
t0=$EPOCHREALTIME
bed__install_stopped "$BED" --preseed "$SCRATCH/preseed" msmtp-mta || bail "apt-get install msmtp-mta in the bed"
ok "apt installed msmtp-mta (nothing started) in $(bed__secs "$t0" "$EPOCHREALTIME") s"
check "dpkg: msmtp-mta owns /usr/sbin/sendmail" \
        test "$(in_bed dpkg-query -S /usr/sbin/sendmail)" = 'msmtp-mta: /usr/sbin/sendmail'
check "/usr/sbin/sendmail is /usr/bin/msmtp, neither setuid nor setgid" \
        test "$(in_bed stat -L -c %A:%U:%G /usr/sbin/sendmail)" = -rwxr-xr-x:root:root
check "msmtpd.service (packaged, disabled) does not run" \
        test "$(in_bed systemctl is-active msmtpd.service)" = inactive

# --- the smarthost -------------------------------------------------------------------------------
PORT=$((2525 + $$ % 1000))
while listening "$PORT"; do PORT=$((PORT + 1)); done
# shellcheck disable=SC2016  # a script for the bed
printf '%s\n' '#!/bin/sh' '# hc-sink: msmtpd --command for t-mta-msmtp.sh; one file per message, the recipients first' \
        'f=$(mktemp /var/lib/hc-sink/msg.XXXXXX) && { printf "X-Sink-Rcpt: %s\n" "$*"; cat; } >"$f"' |
        bed__put "$BED" /usr/local/sbin/hc-sink 0755 || bail "write /usr/local/sbin/hc-sink"
bed__run "$BED" "systemd-run $SINK" systemd-run --unit="$SINK" -p StateDirectory=hc-sink \
        /usr/bin/msmtpd --interface=127.0.0.1 --port="$PORT" --log="$SINKDIR/log" \
        --command=/usr/local/sbin/hc-sink || bail "start msmtpd as $SINK.service"
deadline=$((SECONDS + 5))
until [[ $(in_bed systemctl is-active "$SINK.service") == active ]] && listening "$PORT"; do
        ((SECONDS < deadline)) || bail "msmtpd listens on 127.0.0.1:$PORT: $(journal "$SINK.service" | tail -n 5 | tr '\n' '|')"
        sleep 0.1
done
ok "smarthost: msmtpd ($SINK.service) listens on 127.0.0.1:$PORT"
printf '%s\n' defaults 'auth off' 'tls off' 'timeout 5' 'syslog off' '' 'account default' \
        'host 127.0.0.1' "port $PORT" 'from hcmail@bed.example' |
        bed__put "$BED" /etc/msmtprc 0644 || bail "write /etc/msmtprc"

# --- units ---------------------------------------------------------------------------------------
in_bed useradd --system -M -d /nonexistent -s /usr/sbin/nologin hcmail || bail "useradd hcmail"
mail_unit hc-mail-af RestrictAddressFamilies=AF_UNIX
mail_unit hc-mail-deny IPAddressDeny=any
mail_unit hc-mail-strict ProtectSystem=strict
mail_unit hc-mail-nnp NoNewPrivileges=yes SystemCallArchitectures=native
mail_unit hc-mail-none
unit hc-nomail /bin/true RestrictAddressFamilies=AF_UNIX IPAddressDeny=any ProtectSystem=strict
in_bed systemctl daemon-reload || bail "daemon-reload"
check "no hardening-compat drop-in before regenerate" \
        test -z "$(find "$ROOT$SYSDIR" -name zz-hardening-compat.conf)"

# --- without a drop-in ---------------------------------------------------------------------------
works hc-mail-none "hc-mail-none.service (no sandbox) mails root@bed.example through the smarthost"
works hc-mail-nnp "hc-mail-nnp.service (NoNewPrivileges=yes, SystemCallArchitectures=native) mails too"
if starts hc-nomail.service; then ok "hc-nomail.service works"; else not_ok "hc-nomail.service works: $(cat "$LOG")"; fi
t0=$EPOCHREALTIME
if start_all "${BROKEN[@]}"; then
        not_ok "without drop-ins, starting ${BROKEN[*]} fails: $(tr '\n' ' ' <"$LOG")"
else
        ok "without drop-ins, starting ${BROKEN[*]} (in parallel) fails after $(bed__secs "$t0" "$EPOCHREALTIME") s"
fi
in_bed journalctl --sync 2>/dev/null || true
# the line msmtp writes to stderr (the unit's journal) for each broken unit
declare -A CAUSE=([hc-mail-af]=RestrictAddressFamilies=AF_UNIX [hc-mail-deny]=IPAddressDeny=any
        [hc-mail-strict]=ProtectSystem=strict)
declare -A SAYS=([hc-mail-af]='sendmail: cannot create socket: Address family not supported by protocol'
        [hc-mail-deny]="sendmail: cannot connect to 127.0.0.1, port $PORT: Connection timed out"
        [hc-mail-strict]='sendmail: cannot create temporary file: Read-only file system')
for u in "${BROKEN[@]}"; do
        r=$(result "$u")
        if [[ $r == "result=exit-code code=1 status=${STATUS[$u]}" ]] &&
                grep -qxF "Job for $u.service failed because the control process exited with error code." "$LOG" &&
                journal "$u.service" | grep -qxF "${SAYS[$u]}"; then
                ok "without a drop-in, $u.service fails ($r: ${SAYS[$u]})"
        else
                not_ok "without a drop-in, $u.service fails with status ${STATUS[$u]} and '${SAYS[$u]}': $r; $(journal "$u.service" | tail -n 6 | tr '\n' '|')"
        fi
        check "nothing from $u.service was delivered" test "$(delivered "$u")" = 0
        why_failed "$u" "${CAUSE[$u]}" "why-failed $u.service: ${CAUSE[$u]}"
done

# --- regenerate ----------------------------------------------------------------------------------
check "regenerate on the bed's root" hc regenerate -q
in_bed systemctl daemon-reload || bail "daemon-reload"
for u in "${BROKEN[@]}"; do
        D=$(dropin "$u.service")
        check "$u.service: the drop-in's settings are exactly ${WANT[$u]//$'\n'/ }" \
                sorted_directives "$D" "${WANT[$u]}"
done
for u in hc-mail-nnp hc-mail-none hc-nomail "$SINK"; do
        check "no drop-in for $u.service" test ! -e "$(dropin "$u.service")"
done
check "hc-mail-af.service: AF_INET is added to AF_UNIX, fenced to 127.0.0.1" test \
        "$(show_set hc-mail-af RestrictAddressFamilies)|$(show_set hc-mail-af IPAddressDeny)|$(show_set hc-mail-af IPAddressAllow)" = \
        'AF_INET AF_UNIX|0.0.0.0/0|127.0.0.1/32'
check "hc-mail-deny.service keeps IPAddressDeny=any ($(show_set hc-mail-deny IPAddressDeny)), allows 127.0.0.1 only" test \
        "$(show_set hc-mail-deny IPAddressDeny)|$(show_set hc-mail-deny IPAddressAllow)" = '0.0.0.0/0 ::/0|127.0.0.1/32'
check "hc-mail-strict.service keeps ProtectSystem=strict, with /tmp writable" test \
        "$(show hc-mail-strict ProtectSystem)|$(show hc-mail-strict ReadWritePaths)" = 'strict|-/tmp'
explain_names hc-mail-af.service msmtp 127.0.0.1
idempotent ""

# --- with the drop-ins ---------------------------------------------------------------------------
deliver_all "the smarthost" "${BROKEN[@]}"
works hc-mail-none "hc-mail-none.service still mails"
works hc-mail-nnp "hc-mail-nnp.service still mails"
if starts hc-nomail.service; then ok "hc-nomail.service still works"; else not_ok "hc-nomail.service still works: $(cat "$LOG")"; fi
# shellcheck disable=SC2016  # the sh -c script takes its argument as $1
check "every stored message is from hcmail@bed.example to root@bed.example (7 in all)" test "$(in_bed sh -c \
        'cd "$1" && grep -lx "X-Sink-Rcpt: root@bed.example" msg.* | xargs grep -lx "From: hcmail@bed.example" | wc -l' \
        sh "$SINKDIR"):$(in_bed sh -c 'ls "$1"/msg.* | wc -l' sh "$SINKDIR")" = 7:7

dump_dropins hc-mail-af.service "${BROKEN[@]/%/.service}" hc-mail-nnp.service hc-mail-none.service \
        hc-nomail.service "$SINK.service"

tap_end

#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# t-mta-setuid.sh - MTAs with a setuid submitter (issue 7): exim4 (/usr/sbin/sendmail -> exim4,
# setuid root) and nullmailer (sendmail -> nullmailer-inject -> /usr/sbin/nullmailer-queue,
# setuid mail). Under NoNewPrivileges the setuid bit does nothing, and no narrower setting
# replaces it: hardening-compat switches NoNewPrivileges off where only an explicit
# NoNewPrivileges=yes sets it, writes nothing (and says why) where another setting implies it,
# and opens the spool under ProtectSystem=.
#
# One bed (Debian 12, systemd 252), two phases. Phase 1: exim4-daemon-light with the debconf
# defaults (dc_eximconfig_configtype='local': local delivery only, no network at submission).
# Phase 2: nullmailer, whose installation removes exim4. Both are installed with no service
# started: no exim daemon (it would listen on 127.0.0.1:25 in the host's network namespace, which
# the beds share) and no nullmailer-send (so the queue keeps every message it is given).
# Every unit is Type=oneshot, User=hcmail (a system user made here), TimeoutStartSec=10 (every
# failure below takes well under a second),
#   ExecStart=/bin/sh -c "printf 'Subject: UNIT\\n\\nbody\\n' | /usr/sbin/sendmail ARGS root"
# (hc-nomail: ExecStart=/bin/true).
#
#   unit            sandbox                          drop-in (exim4)                 (nullmailer)
#   hc-mail-nnp     NoNewPrivileges=yes              NoNewPrivileges=no              NoNewPrivileges=no
#   hc-mail-sca     SystemCallArchitectures=native   none: reported, still fails     the same
#   hc-mail-strict  ProtectSystem=strict             ReadWritePaths=-/var/spool/exim4 ReadWritePaths=
#                                                    ReadWritePaths=-/var/log/exim4   -/var/spool/nullmailer
#                                                    ReadWritePaths=-/var/mail
#   hc-mail-odi     ProtectSystem=strict, sendmail -odi (deliver before returning, as anacron
#                   does): as hc-mail-strict
#   hc-mail-none    (none)                           none                            none
#   hc-nomail       NoNewPrivileges=yes, /bin/true   none                            none
#
# exim4, observed. Mail for root goes to /var/mail/mail: /etc/aliases has no root entry, so
# Debian's mail4root router takes it (`exim4 -bt root`: "root@HOST -> /var/mail/mail").
# sendmail (default -odb) returns once the message is in the spool; the delivery child it forks
# stays in the unit's cgroup, and systemd kills it when the oneshot ends, so the message waits in
# the queue for the daemon's queue runner (-q30m). The bed has no daemon: the test runs that
# queue run itself, `exim4 -qf` as root outside any sandbox, and counts the messages in the
# mailbox (the same message count as "accepted"). Without a drop-in, submission fails at once:
#   NoNewPrivileges (explicit, or implied by SystemCallArchitectures= for a non-root user): exim
#   runs as the caller, cannot write its log (the lines go to stderr) nor its spool:
#     sh[N]: 2026-11-23 20:49:04 1xVayG-0000F0-2F Failed to create spool file /var/spool/exim4//input//1xVayG-0000F0-2F-D: Permission denied
#       (three times)
#   ProtectSystem=strict:
#     sh[N]: ... Cannot open main log file "/var/log/exim4/mainlog": Permission denied: euid=101 egid=102
#     sh[N]: ... Failed to create spool file /var/spool/exim4//input//...-D: Read-only file system
#     sh[N]: exim: could not open panic log - aborting: see message(s) above
#   then in every case:
#     hc-mail-nnp.service: Main process exited, code=exited, status=1/FAILURE
#     hc-mail-nnp.service: Failed with result 'exit-code'.
#     systemctl show: Result=exit-code ExecMainCode=1 (CLD_EXITED) ExecMainStatus=1
# and nothing is queued: exim under NNP does not "succeed as the caller". ReadWritePaths= for the
# spool alone is not enough (the log fails: "could not open panic log - aborting", exit 1); spool
# and log are enough to submit; /var/mail is needed only for delivery inside the sandbox:
# hc-mail-odi without it submits (exit 0) but delivery defers, "== /var/mail/mail <root@HOST>
# R=mail4root T=address_file defer (30): Read-only file system: creating lock file hitching post
# /var/mail/mail.lock...", and the message waits in the queue.
#
# nullmailer, observed (nullmailer-queue writes as the user mail into mail:root 0750 directories):
# every failure is the same, at once, with nothing queued:
#     sh[N]: nullmailer-inject: nullmailer-queue failed: 1
#     hc-mail-nnp.service: Main process exited, code=exited, status=1/FAILURE
# (nullmailer-queue's own "nullmailer-queue: Could not open temporary file for writing" does not
# reach the journal). A message accepted is a file in /var/spool/nullmailer/queue.
#
# Hand-written drop-ins, checked in a scratch bed before this test was written: exactly the
# drop-ins of the table make each unit submit; hc-mail-sca with NoNewPrivileges=no still fails the
# same way (`systemctl show` says NoNewPrivileges=no, but SystemCallArchitectures= keeps it on).
# The tool runs on the host with --root, as on an image; the bed only reloads. After the switch to
# nullmailer, `hardening-compat diff` reports the exim4 drop-ins as stale; the test then deletes
# them, as on an image that never had exim4. The whole test takes some 30 s (apt: ~5 s for exim4
# with the bed's first apt-get update, ~2 s for nullmailer; each phase ~6 s).
#
# Seen in the scratch bed, not asserted here (exim4): with CapabilityBoundingSet= limited to the
# rule's CAP_SETUID CAP_SETGID, submission works but delivery inside the sandbox (-odi) defers,
# "Spool error for /var/spool/exim4//input//ID-D: Permission denied"; it needed CAP_DAC_OVERRIDE,
# CAP_CHOWN and CAP_FOWNER as well. A root caller under NoNewPrivileges submits (the queue runner
# delivers later) and a NoNewPrivileges=no drop-in works for it even with SystemCallFilter= set.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"
# shellcheck source=lib/bed.sh
. "$HERE/lib/bed.sh"
# shellcheck source=lib/mail.sh
. "$HERE/lib/mail.sh"

SYSDIR=/etc/systemd/system
MAIL_TIMEOUT=10
MBOX=/var/mail/mail
NQUEUE=/var/spool/nullmailer/queue
HARDENED=(hc-mail-nnp hc-mail-sca hc-mail-strict hc-mail-odi)
FIXED=(hc-mail-nnp hc-mail-strict hc-mail-odi)
MTA=                    # the phase: exim4 or nullmailer
declare -A WANT ERR     # per phase: the drop-in's sorted setting lines; the journal line of a refusal
# what why-failed must blame without a drop-in (both MTAs: the unit file's settings)
declare -A CAUSE=([hc-mail-nnp]='NoNewPrivileges=yes' [hc-mail-sca]='NoNewPrivileges implied by SystemCallArchitectures=native'
        [hc-mail-strict]='ProtectSystem=strict' [hc-mail-odi]='ProtectSystem=strict')

# mails UNIT: how many messages of the unit the MTA has accepted. exim4: after a queue run, in
# $MBOX; nullmailer: in its queue.
# shellcheck disable=SC2016  # the sh -c scripts take their arguments as $1, $2
mails() {
        if [[ $MTA == exim4 ]]; then
                in_bed exim4 -qf </dev/null >/dev/null 2>&1 || true
                inbox "$1"
        else
                in_bed sh -c 'find "$2" -type f -exec grep -lxF "Subject: $1" {} + | wc -l' sh "$1" "$NQUEUE"
        fi
}
# inbox UNIT: how many messages of the unit are in $MBOX now
# shellcheck disable=SC2016
inbox() { in_bed sh -c 'n=$(grep -cxF "Subject: $1" "$2" 2>/dev/null); echo "${n:-0}"' sh "$1" "$MBOX"; }
# settled: nothing is stuck. exim4: its queue is empty (after the queue runs of mails); nullmailer:
# no message is left half-written in its tmp directory
settled() {
        if [[ $MTA == exim4 ]]; then [[ $(in_bed exim4 -bpc) == 0 ]]; else
                [[ -z $(in_bed find /var/spool/nullmailer/tmp -type f) ]]; fi
}
# logged UNIT ERE: the journal of the unit's last start (its lines and systemd's about it since
# it left "inactive") has a line matching ERE. By unit and time, not by invocation ID: journald
# does not always tag a stdout line with the invocation (seen with nullmailer-inject's error
# after the unit had run before). stdout reaches journald through a stream: wait up to 15 s.
logged() {
        local since deadline=$((SECONDS + 15))
        since=$(show "$1" InactiveExitTimestamp)
        [[ -n $since ]] || return 1
        until in_bed journalctl -b --no-pager -o cat -u "$1.service" --since "${since#* }" | grep -qE "$2"; do
                ((SECONDS < deadline)) || return 1
                sleep 0.2
                in_bed journalctl --sync 2>/dev/null || true
        done
}
# runs UNIT WHAT: the unit succeeds and the MTA accepts one more of its messages. exim4: AT_ONCE
# is how many of them were already in $MBOX before the test's queue run
runs() {
        local before after at=
        before=$(mails "$1")
        if starts "$1.service"; then
                if [[ $MTA == exim4 ]]; then
                        AT_ONCE=$(($(inbox "$1") - before))
                        at="; delivered before the queue run: $AT_ONCE"
                fi
                after=$(mails "$1")
                if ((after == before + 1)); then ok "$2 ($(cat "$LOG")$at)"; return 0; fi
                not_ok "$2: the unit succeeded, but $after messages accepted (before: $before)"
        else
                not_ok "$2: $(tr '\n' ' ' <"$LOG")"
        fi
        return 1
}
# refused UNIT WHAT: the unit fails at once with exit status 1, the journal line ${ERR[UNIT]},
# and nothing accepted
refused() {
        local before after r
        before=$(mails "$1")
        if starts "$1.service"; then
                not_ok "$2: the unit succeeded ($(cat "$LOG"))"
                return
        fi
        r=$(result "$1") after=$(mails "$1")
        if [[ $r == 'result=exit-code code=1 status=1' ]] && ((after == before)) && logged "$1" "${ERR[$1]}"; then
                ok "$2 ($r; the journal says /${ERR[$1]}/)"
        else
                not_ok "$2: $r, accepted $before -> $after, journal: $(journal "$1.service" | tail -n 5 | tr '\n' '|')"
        fi
}
ours() { in_bed find "$SYSDIR" -name zz-hardening-compat.conf; }

# explain_unmet WORDS WHY: the saved explain output has an Unmet: line with both
explain_unmet() { grep -F 'Unmet:' "$SCRATCH/explain" | grep -F "$1" | grep -qF "$2"; }
# status_unmet WHY: status (in $LOG) lists hc-mail-sca.service without a drop-in, with WHY
status_unmet() {
        grep -qE '^  hc-mail-sca\.service +none' "$LOG" && grep -E '^ +unmet +' "$LOG" | grep -qF "$1"
}

# break_fix HELPER OWNER: the units without drop-ins, regenerate, the units with them
break_fix() {
        local helper=$1 owner=$2 u before d
        check "$MTA: no hardening-compat drop-in" test -z "$(ours)"
        runs hc-mail-none "$MTA: hc-mail-none.service (no sandbox) mails root"
        if starts hc-nomail.service; then ok "$MTA: hc-nomail.service works"; else
                not_ok "$MTA: hc-nomail.service works: $(cat "$LOG")"; fi
        for u in "${HARDENED[@]}"; do
                refused "$u" "$MTA, no drop-in: $u.service fails"
                why_failed "$u" "${CAUSE[$u]}" "$MTA: why-failed $u.service: ${CAUSE[$u]}"
        done
        check "$MTA: no message stuck in the queue" settled
        check "$MTA: hc-mail-sca.service: systemctl show says NoNewPrivileges=no (NNP is implied, not shown)" \
                test "$(show hc-mail-sca NoNewPrivileges)" = no

        check "$MTA: regenerate on the bed's root" hc regenerate -q
        in_bed systemctl daemon-reload || bail "daemon-reload"
        for u in "${FIXED[@]}"; do
                check "$MTA: $u.service: the drop-in's settings are exactly ${WANT[$u]//$'\n'/ }" \
                        sorted_directives "$(dropin "$u.service")" "${WANT[$u]}"
        done
        for u in hc-mail-sca hc-mail-none hc-nomail; do
                check "$MTA: no drop-in for $u.service" test ! -e "$(dropin "$u.service")"
        done
        if hc explain hc-mail-sca.service >"$SCRATCH/explain" 2>&1; then ok "$MTA: explain hc-mail-sca.service"; else
                not_ok "$MTA: explain hc-mail-sca.service: $(head -c 2000 "$SCRATCH/explain")"; fi
        # the unmet line, in explain and in status
        local why="cannot be made to work without removing SystemCallArchitectures= ($SYSDIR/hc-mail-sca.service:5)"
        check "$MTA: explain hc-mail-sca.service: $helper is setuid $owner, and it $why" \
                explain_unmet "$helper is setuid $owner" "$why"
        hc status >"$LOG" 2>&1 || not_ok "$MTA: status: $(head -c 2000 "$LOG")"
        check "$MTA: status: hc-mail-sca.service has no drop-in, and the same unmet line" status_unmet "$why"
        check "$MTA: status names the MTA" grep -q "^MTA: $MTA" "$LOG"
        hc explain hc-mail-nnp.service >"$SCRATCH/explain-nnp" 2>&1 || true
        check "$MTA: explain hc-mail-nnp.service: $helper, setuid $owner, NoNewPrivileges switched off" \
                grep -qF "runs $helper, setuid $owner, which NoNewPrivileges=yes keeps from gaining privilege" \
                "$SCRATCH/explain-nnp"
        idempotent "$MTA"

        for u in "${FIXED[@]}"; do
                d=$(directives "$(dropin "$u.service")" | paste -sd ' ')
                runs "$u" "$MTA, with the drop-in ($d): $u.service mails root" || continue
                if [[ $MTA == exim4 && $u == hc-mail-odi ]]; then
                        check "$MTA: hc-mail-odi.service's message was delivered inside the sandbox, to $MBOX" \
                                test "$AT_ONCE" = 1
                fi
        done
        refused hc-mail-sca "$MTA, after regenerate: hc-mail-sca.service still fails (the documented limit)"
        runs hc-mail-none "$MTA: hc-mail-none.service still mails root"
        if starts hc-nomail.service; then ok "$MTA: hc-nomail.service still works"; else
                not_ok "$MTA: hc-nomail.service still works: $(cat "$LOG")"; fi
        check "$MTA: no message stuck in the queue" settled
        check "$MTA: hc-mail-nnp.service: NoNewPrivileges=no, hc-mail-strict.service: ProtectSystem=strict" \
                test "$(show hc-mail-nnp NoNewPrivileges):$(show hc-mail-strict ProtectSystem)" = no:strict
        dump_dropins hc-mail-sca.service "${HARDENED[@]/%/.service}" hc-mail-none.service hc-nomail.service
}

bed_begin mta-setuid 15
ok "bed $BED booted, IP firewall enforced"

# --- phase 1: exim4-daemon-light, "local delivery only" -------------------------------------------
MTA=exim4
t0=$EPOCHREALTIME
bed__install_stopped "$BED" exim4-daemon-light || bail "apt-get install exim4-daemon-light in the bed"
ok "apt installed exim4-daemon-light (nothing started) in $(bed__secs "$t0" "$EPOCHREALTIME") s"
check "exim4: debconf default dc_eximconfig_configtype='local'" \
        in_bed grep -qx "dc_eximconfig_configtype='local'" /etc/exim4/update-exim4.conf.conf
check "exim4: no daemon runs" test "$(in_bed systemctl is-active exim4.service)" = inactive
check "dpkg: exim4-daemon-light owns /usr/sbin/sendmail, a link to exim4" test \
        "$(in_bed dpkg-query -S /usr/sbin/sendmail):$(in_bed readlink /usr/sbin/sendmail)" = \
        'exim4-daemon-light: /usr/sbin/sendmail:exim4'
check "/usr/sbin/exim4 is setuid root" test "$(in_bed stat -c %A:%U /usr/sbin/exim4)" = -rwsr-xr-x:root
route=$(in_bed exim4 -bt root 2>/dev/null | head -n 1) || true
check "exim routes root's mail to $MBOX (no root alias: mail4root): '$route'" grep -qE " -> $MBOX\$" <<<"$route"

in_bed useradd --system -M -d /nonexistent -s /usr/sbin/nologin hcmail || bail "useradd hcmail"
# mail_unit NAME ARGS SETTING...: a unit that mails root a message with the subject NAME, with
# sendmail ARGS before the recipient. In the unit file "\\n" is systemd's escape for "\n", which
# printf turns into a newline.
mail_unit() {
        unit "$1" "/bin/sh -c \"printf 'Subject: $1\\\\n\\\\nbody\\\\n' | /usr/sbin/sendmail ${2:+$2 }root\"" "${@:3}"
}
mail_unit hc-mail-nnp '' NoNewPrivileges=yes
mail_unit hc-mail-sca '' SystemCallArchitectures=native
mail_unit hc-mail-strict '' ProtectSystem=strict
mail_unit hc-mail-odi -odi ProtectSystem=strict
mail_unit hc-mail-none ''
unit hc-nomail /bin/true NoNewPrivileges=yes
in_bed systemctl daemon-reload || bail "daemon-reload"

RWP=$(printf 'ReadWritePaths=-%s\n' /var/spool/exim4 /var/log/exim4 /var/mail | sort)
WANT=([hc-mail-nnp]=NoNewPrivileges=no [hc-mail-strict]=$RWP [hc-mail-odi]=$RWP)
SPOOL='Failed to create spool file /var/spool/exim4//input//[0-9A-Za-z-]+-D'
ERR=([hc-mail-nnp]="$SPOOL: Permission denied\$" [hc-mail-sca]="$SPOOL: Permission denied\$"
        [hc-mail-strict]="$SPOOL: Read-only file system\$" [hc-mail-odi]="$SPOOL: Read-only file system\$")
t0=$EPOCHREALTIME
break_fix /usr/sbin/exim4 root
echo "# exim4 phase: $(bed__secs "$t0" "$EPOCHREALTIME") s"

# --- phase 1b: exim4's daemon listens on loopback, msmtp is installed: the stand-in -----------------
# Least privilege first: msmtp (the package, not msmtp-mta) is bound over /usr/sbin/sendmail in
# the unit only, and hands the mail to exim's own listener; NoNewPrivileges= stays on, even where
# it is implied. The listener is on a random port of 127.0.0.1 (the beds share the host's network
# namespace), written the way exim's local_interfaces takes it: dc_local_interfaces='127.0.0.1.PORT'.
#   unit          sandbox                                                    drop-in
#   hc-mail-nnp   NoNewPrivileges=yes                                        the bind (not NoNewPrivileges=no)
#   hc-mail-sca   SystemCallArchitectures=native                             the bind
#   hc-mail-lo    SystemCallArchitectures=native, RestrictAddressFamilies=AF_UNIX,
#                 IPAddressDeny=any, ProtectSystem=strict                     + AF_INET, IPAddressAllow=127.0.0.1,
#                                                                              ReadWritePaths=-/tmp
#   hc-mail-t     SystemCallArchitectures=native, sendmail -oi -t with "To: root" in the header
#                 (unattended-upgrades' way) and "From: root (Cron Daemon)" (cron's): the aliases
#                 qualify the recipient; exim refuses bare names in headers over SMTP ("550 header
#                 syntax", acl_check_data's verify = header_syntax), so the stand-in writes From:
#                 from the envelope and replaces To: by "undisclosed-recipients:;"
t0=$EPOCHREALTIME
PORT=$((20000 + RANDOM % 20000))
in_bed find "$SYSDIR" -name 'zz-hardening-compat.*' -delete || bail "remove the phase 1 drop-ins"
bed__install_stopped "$BED" msmtp || bail "apt-get install msmtp in the bed"
in_bed sed -i "s/^dc_local_interfaces=.*/dc_local_interfaces='127.0.0.1.$PORT'/" /etc/exim4/update-exim4.conf.conf ||
        bail "set dc_local_interfaces"
in_bed update-exim4.conf || bail "update-exim4.conf"
in_bed systemctl start exim4.service || bail "start exim4"
hexport=$(printf '%04X' "$PORT")
listening() { in_bed grep -q "^ *[0-9]*: 0100007F:$hexport 00000000:0000 0A" /proc/net/tcp; }
for _ in $(seq 50); do listening && break; sleep 0.1; done
check "exim4's daemon listens on 127.0.0.1:$PORT" listening
check "exim4 is enabled by its System V links" in_bed sh -c 'ls /etc/rc2.d/S*exim4'
unit hc-mail-lo "/bin/sh -c \"printf 'Subject: hc-mail-lo\\\\n\\\\nbody\\\\n' | /usr/sbin/sendmail root\"" \
        SystemCallArchitectures=native RestrictAddressFamilies=AF_UNIX IPAddressDeny=any ProtectSystem=strict
unit hc-mail-t "/bin/sh -c \"printf 'From: root (Cron Daemon)\\\\nTo: root\\\\nSubject: hc-mail-t\\\\n\\\\nbody\\\\n' | /usr/sbin/sendmail -oi -t\"" \
        SystemCallArchitectures=native
in_bed systemctl daemon-reload || bail "daemon-reload"
for u in hc-mail-nnp hc-mail-sca hc-mail-lo hc-mail-t; do
        if starts "$u.service"; then not_ok "exim4 listening, no drop-in: $u.service fails: it succeeded"; else
                ok "exim4 listening, no drop-in: $u.service fails ($(result "$u"))"; fi
done
check "exim4 listening: regenerate" hc regenerate -q
in_bed systemctl daemon-reload || bail "daemon-reload"
BIND="BindReadOnlyPaths=$SYSDIR/%s.service.d/zz-hardening-compat.sendmail:/usr/sbin/sendmail"
for u in hc-mail-nnp hc-mail-sca hc-mail-t; do
        # shellcheck disable=SC2059  # BIND is the format
        check "exim4 listening: $u.service: the drop-in is exactly the bind" \
                sorted_directives "$(dropin "$u.service")" "$(printf "$BIND" "$u")"
done
# shellcheck disable=SC2059
check "exim4 listening: hc-mail-lo.service: the bind, AF_INET, 127.0.0.1 only, /tmp" \
        sorted_directives "$(dropin hc-mail-lo.service)" "$(printf '%s\n' "$(printf "$BIND" hc-mail-lo)" \
                IPAddressAllow=127.0.0.1 ReadWritePaths=-/tmp RestrictAddressFamilies=AF_INET | sort)"
standin=$ROOT$SYSDIR/hc-mail-lo.service.d/zz-hardening-compat.sendmail
check "the stand-in script is executable and runs msmtp against 127.0.0.1:$PORT" \
        grep -q "^exec /usr/bin/msmtp --host=127.0.0.1 --port=$PORT " "$standin"
check "the stand-in script's mode is 0755" test "$(stat -c %a "$standin")" = 755
check "the aliases qualify root and hcmail" grep -qxF 'hcmail: hcmail@localhost' \
        "$ROOT$SYSDIR/hc-mail-lo.service.d/zz-hardening-compat.aliases"
check "hc-mail-strict.service keeps the spool strategy (NoNewPrivileges is not in effect there)" \
        sorted_directives "$(dropin hc-mail-strict.service)" "$RWP"
hc status >"$LOG" 2>&1 || true
check "status: the loopback listener and the stand-in" grep -qF \
        "  loopback    127.0.0.1 port $PORT (/etc/exim4/update-exim4.conf.conf:" "$LOG"
explain_names hc-mail-sca.service "msmtp stands in for /usr/sbin/sendmail" "listens on 127.0.0.1 port $PORT"
idempotent "exim4 listening"
for u in hc-mail-nnp hc-mail-sca hc-mail-lo hc-mail-t; do
        runs "$u" "exim4 listening, with the drop-in: $u.service mails root through msmtp"
done
check "hc-mail-nnp.service still has NoNewPrivileges=yes" test "$(show hc-mail-nnp NoNewPrivileges)" = yes
# (systemd prints the prefixes of these sets in hash order)
check "hc-mail-lo.service: IPAddressDeny=any still in force, 127.0.0.1 allowed" \
        test "$(show hc-mail-lo IPAddressDeny | tr ' ' '\n' | LC_ALL=C sort | paste -sd ' '):$(show hc-mail-lo IPAddressAllow)" = \
        "0.0.0.0/0 ::/0:127.0.0.1/32"
check "exim4 received them over SMTP from 127.0.0.1" in_bed grep -qE "<= hcmail@localhost H=.*\[127\.0\.0\.1\] P=e?smtp" \
        /var/log/exim4/mainlog
dump_dropins hc-mail-lo.service hc-mail-t.service
in_bed systemctl stop exim4.service || true
echo "# exim4 listening phase: $(bed__secs "$t0" "$EPOCHREALTIME") s"

# --- phase 2: nullmailer (removes exim4) ---------------------------------------------------------
MTA=nullmailer
t0=$EPOCHREALTIME
bed__install_stopped "$BED" nullmailer || bail "apt-get install nullmailer in the bed"
ok "apt installed nullmailer, which removed exim4 (nothing started) in $(bed__secs "$t0" "$EPOCHREALTIME") s"
check "dpkg: nullmailer owns /usr/sbin/sendmail; exim4 is gone" test \
        "$(in_bed dpkg-query -S /usr/sbin/sendmail):$(in_bed sh -c 'test -e /usr/sbin/exim4 || echo gone')" = \
        'nullmailer: /usr/sbin/sendmail:gone'
check "/usr/sbin/nullmailer-queue is setuid mail" \
        test "$(in_bed stat -c %A:%U /usr/sbin/nullmailer-queue)" = -rwsr-xr-x:mail
check "nullmailer-send does not run (the queue keeps every message)" \
        test "$(in_bed systemctl is-active nullmailer.service)" = inactive
# the exim4 drop-ins are stale now: hc-mail-strict's opens exim's directories, not nullmailer's
rc=0
hc diff >"$LOG" 2>&1 || rc=$?
stale() {
        ((rc == 3)) && grep -qxF -- -ReadWritePaths=-/var/spool/exim4 "$LOG" &&
                grep -qxF -- +ReadWritePaths=-/var/spool/nullmailer "$LOG"
}
check "after the switch, diff reports the exim4 drop-ins as stale (exit $rc)" stale
# start over without drop-ins, as on an image that never had exim4
in_bed find "$SYSDIR" -name 'zz-hardening-compat.*' -delete || bail "remove the exim4 drop-ins"
in_bed systemctl daemon-reload || bail "daemon-reload"

WANT=([hc-mail-nnp]=NoNewPrivileges=no [hc-mail-strict]=ReadWritePaths=-/var/spool/nullmailer
        [hc-mail-odi]=ReadWritePaths=-/var/spool/nullmailer)
ERR=([hc-mail-nnp]='^nullmailer-inject: nullmailer-queue failed: 1$' [hc-mail-sca]='^nullmailer-inject: nullmailer-queue failed: 1$'
        [hc-mail-strict]='^nullmailer-inject: nullmailer-queue failed: 1$' [hc-mail-odi]='^nullmailer-inject: nullmailer-queue failed: 1$')
t0=$EPOCHREALTIME
break_fix /usr/sbin/nullmailer-queue mail
echo "# nullmailer phase: $(bed__secs "$t0" "$EPOCHREALTIME") s"

tap_end

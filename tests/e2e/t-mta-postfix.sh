#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# t-mta-postfix.sh - MTAs, first slice (issue 7): units that hand mail to postfix's
# /usr/sbin/sendmail hang under their sandbox without hardening-compat's drop-in and deliver
# with it. sendmail runs /usr/sbin/postdrop (setgid postdrop), which creates the queue file in
# /var/spool/postfix/maildrop (drwx-wx--T postfix:postdrop); the pickup daemon takes it from
# there and local(8) appends it to /var/mail/root.
#
# The bed (Debian 12, systemd 252, postfix 3.7) gets postfix preseeded "Local only", installed
# with no service started, then master_service_disable=inet: the beds share the host's network
# namespace and nothing here needs the smtpd on 127.0.0.1:25 ("Local only" still listens there).
# Every unit is Type=oneshot, User=hcmail (a system user made here), TimeoutStartSec=12,
#   ExecStart=/bin/sh -c "printf 'Subject: UNIT\\n\\nbody\\n' | /usr/sbin/sendmail root"
# (hc-nomail: ExecStart=/bin/true).
#
#   unit            sandbox                                        drop-in
#   hc-mail-nnp     NoNewPrivileges=yes                            SupplementaryGroups=postdrop
#   hc-mail-sca     SystemCallArchitectures=native                 SupplementaryGroups=postdrop
#   hc-mail-strict  ProtectSystem=strict                           ReadWritePaths=-/var/spool/postfix/maildrop
#   hc-mail-all     the three above                                both lines
#   hc-mail-none    (none)                                         none
#   hc-nomail       NoNewPrivileges=yes, ProtectSystem=strict      none (sends no mail)
#
# What happens without a drop-in (observed): postdrop never fails, it logs a warning and retries
# every 10 s, so the unit hangs until TimeoutStartSec= and nothing is delivered:
#   postfix/postdrop[N]: warning: mail_queue_enter: create file maildrop/77165.1004: Permission denied
#   sh[N]: postdrop: warning: mail_queue_enter: create file maildrop/77165.1004: Permission denied
#     (the same on stderr; 10 s later again, with a new file name)
#   hc-mail-nnp.service: start operation timed out. Terminating.
#   hc-mail-nnp.service: Main process exited, code=killed, status=15/TERM
#   hc-mail-nnp.service: Failed with result 'timeout'.
#   systemctl start: "Job for hc-mail-nnp.service failed because a timeout was exceeded."
#   systemctl show:  Result=timeout ExecMainCode=2 (CLD_KILLED) ExecMainStatus=15
# NoNewPrivileges (explicit, or implied by SystemCallArchitectures= for a non-root user) drops
# postdrop's setgid: "Permission denied". ProtectSystem=strict alone: "Read-only file system".
# hc-mail-all says "Permission denied" (the permission check comes first). For hc-mail-sca,
# `systemctl show -p NoNewPrivileges` says "no" although NNP is in effect.
#
# Hand-written drop-ins, checked in a scratch bed before this test was written: exactly the
# drop-ins of the table make each unit deliver (NNP stays "yes", ProtectSystem stays "strict");
# hc-mail-all with only SupplementaryGroups=postdrop, or only ReadWritePaths=, still times out.
# (§4a of the research notes: a drop-in NoNewPrivileges=no cannot undo an implied NNP.)
# The tool decides from the Exec command line (it names /usr/sbin/sendmail) and the dpkg
# database (postfix owns /usr/sbin/sendmail). It runs on the host with --root, as it would on an
# image; the bed only reloads. Delivery takes some 20 ms after the unit ends; the test polls.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"
# shellcheck source=lib/bed.sh
. "$HERE/lib/bed.sh"
# shellcheck source=lib/mail.sh
. "$HERE/lib/mail.sh"

SYSDIR=/etc/systemd/system
MAIL_TIMEOUT=12
MBOX=/var/mail/root
MAILDROP=/var/spool/postfix/maildrop
RWP=ReadWritePaths=-$MAILDROP
SG=SupplementaryGroups=postdrop
HARDENED=(hc-mail-nnp hc-mail-sca hc-mail-strict hc-mail-all)
# the drop-in's setting lines for each hardened unit, sorted
declare -A WANT=([hc-mail-nnp]=$SG [hc-mail-sca]=$SG [hc-mail-strict]=$RWP
        [hc-mail-all]=$(printf '%s\n' "$RWP" "$SG" | sort))
# the postdrop error each hardened unit hits first without a drop-in
declare -A ERRNO=([hc-mail-nnp]='Permission denied' [hc-mail-sca]='Permission denied'
        [hc-mail-strict]='Read-only file system' [hc-mail-all]='Permission denied')
# what why-failed must blame (the unit file's line is part of the answer)
declare -A CAUSE=([hc-mail-nnp]='NoNewPrivileges=yes' [hc-mail-sca]='NoNewPrivileges implied by SystemCallArchitectures=native'
        [hc-mail-strict]='ProtectSystem=strict' [hc-mail-all]='NoNewPrivileges=yes')

# delivered UNIT: how many messages with the unit's subject /var/mail/root holds
# shellcheck disable=SC2016  # the sh -c script takes its arguments as $1, $2
delivered() { in_bed sh -c 'n=$(grep -cxF "Subject: $1" "$2" 2>/dev/null); echo "${n:-0}"' sh "$1" "$MBOX"; }
# delivers UNIT N: wait up to 10 s until N messages of the unit are in /var/mail/root
delivers() {
        local deadline=$((SECONDS + 10))
        until (($(delivered "$1") >= $2)); do
                ((SECONDS < deadline)) || return 1
                sleep 0.2
        done
}
# queued: the files waiting in the maildrop queue (none: pickup has taken everything)
queued() { in_bed find "$MAILDROP" -type f; }
# warned UNIT ERRNO: how often postdrop logged a warning with that error for the unit this boot
warned() {
        in_bed journalctl -b --no-pager -o cat -u "$1.service" SYSLOG_IDENTIFIER=postfix/postdrop |
                grep -cE "^warning: mail_queue_enter: create file maildrop/[0-9]+\.[0-9]+: $2\$" || true
}
# works UNIT WHAT: the unit succeeds and one more of its messages is delivered
works() {
        local before
        before=$(delivered "$1")
        if starts "$1.service" && delivers "$1" $((before + 1)); then ok "$2 ($(cat "$LOG"))"; else
                not_ok "$2: $(tr '\n' ' ' <"$LOG") delivered=$(delivered "$1")"; fi
}

bed_begin mta 20
ok "bed $BED booted, IP firewall enforced"

# --- postfix, "Local only" -----------------------------------------------------------------------
cat >"$SCRATCH/preseed" <<'EOF'
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string testbed.example.org
EOF
t0=$EPOCHREALTIME
bed__install_stopped "$BED" --preseed "$SCRATCH/preseed" postfix || bail "apt-get install postfix in the bed"
ok "apt installed postfix (Local only, nothing started) in $(bed__secs "$t0" "$EPOCHREALTIME") s"
bed__run "$BED" "postconf -e master_service_disable=inet" postconf -e master_service_disable=inet ||
        bail "disable postfix's inet services"
bed__run "$BED" "systemctl start postfix" systemctl start postfix.service || bail "start postfix"
check "postfix@- runs, with inet_interfaces=$(in_bed postconf -h inet_interfaces) and no inet service" \
        test "$(in_bed systemctl is-active postfix@-.service):$(in_bed postconf -h master_service_disable)" = active:inet
check "dpkg: postfix owns /usr/sbin/sendmail" test "$(in_bed dpkg-query -S /usr/sbin/sendmail)" = 'postfix: /usr/sbin/sendmail'
check "/usr/sbin/postdrop is setgid postdrop" test "$(in_bed stat -c %A:%G /usr/sbin/postdrop)" = -r-xr-sr-x:postdrop

# --- units ---------------------------------------------------------------------------------------
in_bed useradd --system -M -d /nonexistent -s /usr/sbin/nologin hcmail || bail "useradd hcmail"
mail_unit hc-mail-nnp NoNewPrivileges=yes
mail_unit hc-mail-sca SystemCallArchitectures=native
mail_unit hc-mail-strict ProtectSystem=strict
mail_unit hc-mail-all NoNewPrivileges=yes SystemCallArchitectures=native ProtectSystem=strict
mail_unit hc-mail-none
unit hc-nomail /bin/true NoNewPrivileges=yes ProtectSystem=strict
in_bed systemctl daemon-reload || bail "daemon-reload"
check "no hardening-compat drop-in before regenerate" \
        test -z "$(find "$ROOT$SYSDIR" -name zz-hardening-compat.conf)"

# --- without a drop-in ---------------------------------------------------------------------------
works hc-mail-none "hc-mail-none.service (no sandbox) mails root: its message is in $MBOX"
if starts hc-nomail.service; then ok "hc-nomail.service works"; else not_ok "hc-nomail.service works: $(cat "$LOG")"; fi
t0=$EPOCHREALTIME
if start_all "${HARDENED[@]}"; then
        not_ok "without drop-ins, starting ${HARDENED[*]} fails: $(tr '\n' ' ' <"$LOG")"
else
        ok "without drop-ins, starting ${HARDENED[*]} (in parallel) fails after $(bed__secs "$t0" "$EPOCHREALTIME") s"
fi
in_bed journalctl --sync 2>/dev/null || true
for u in "${HARDENED[@]}"; do
        r=$(result "$u") warnings=$(warned "$u" "${ERRNO[$u]}")
        if [[ $r == 'result=timeout code=2 status=15' ]] &&
                grep -qxF "Job for $u.service failed because a timeout was exceeded." "$LOG" &&
                journal "$u.service" | grep -qxF "$u.service: start operation timed out. Terminating." &&
                ((warnings > 0)); then
                ok "without a drop-in, $u.service times out ($r; postdrop warned $warnings times: ${ERRNO[$u]})"
        else
                not_ok "without a drop-in, $u.service times out with postdrop saying '${ERRNO[$u]}': $r, $warnings warnings; $(journal "$u.service" | tail -n 6 | tr '\n' '|')"
        fi
        check "nothing from $u.service was delivered" test "$(delivered "$u")" = 0
        why_failed "$u" "${CAUSE[$u]}" "why-failed $u.service: ${CAUSE[$u]}"
done
check "the maildrop queue is empty" test -z "$(queued)"
check "hc-mail-sca.service: systemctl show says NoNewPrivileges=no (NNP is implied, not shown)" \
        test "$(show hc-mail-sca NoNewPrivileges)" = no

# --- regenerate ----------------------------------------------------------------------------------
check "regenerate on the bed's root" hc regenerate -q
in_bed systemctl daemon-reload || bail "daemon-reload"
for u in "${HARDENED[@]}"; do
        D=$(dropin "$u.service")
        check "$u.service: the drop-in's settings are exactly ${WANT[$u]//$'\n'/ }" \
                sorted_directives "$D" "${WANT[$u]}"
done
for u in hc-mail-none hc-nomail; do
        check "no drop-in for $u.service" test ! -e "$(dropin "$u.service")"
done
explain_names hc-mail-nnp.service postfix postdrop
idempotent ""

# --- with the drop-ins ---------------------------------------------------------------------------
deliver_all "$MBOX" "${HARDENED[@]}"
check "the maildrop queue is empty again" test -z "$(queued)"
check "hc-mail-nnp.service keeps NoNewPrivileges=yes" test "$(show hc-mail-nnp NoNewPrivileges)" = yes
check "hc-mail-all.service keeps NoNewPrivileges=yes, ProtectSystem=strict, SystemCallArchitectures=native" \
        test "$(show hc-mail-all NoNewPrivileges):$(show hc-mail-all ProtectSystem):$(show hc-mail-all SystemCallArchitectures)" = \
        yes:strict:native
works hc-mail-none "hc-mail-none.service still mails root"
if starts hc-nomail.service; then ok "hc-nomail.service still works"; else not_ok "hc-nomail.service still works: $(cat "$LOG")"; fi

dump_dropins hc-mail-nnp.service "${HARDENED[@]/%/.service}" hc-mail-none.service hc-nomail.service

tap_end

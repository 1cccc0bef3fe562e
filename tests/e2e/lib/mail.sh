# mail.sh - shared by the MTA break/fix tests (t-mta-*.sh): their units and the systemd state
# they compare. Source it after tap.sh and bed.sh; set MAIL_TIMEOUT (TimeoutStartSec= of the
# units) and SYSDIR first.
# shellcheck shell=bash

# unit NAME EXEC SETTING...: a oneshot unit of the user hcmail
unit() {
        {
                printf '[Service]\nType=oneshot\nUser=hcmail\nTimeoutStartSec=%s\n' "${MAIL_TIMEOUT:?}"
                printf '%s\n' "${@:3}"
                printf 'ExecStart=%s\n' "$2"
        } | bed__put "$BED" "$SYSDIR/$1.service" 0644 || bail "write $SYSDIR/$1.service"
}
# mail_unit NAME SETTING...: a unit that mails a message whose subject is its name to
# ${MAIL_TO:-root} through /usr/sbin/sendmail
mail_unit() {
        unit "$1" "/bin/sh -c \"printf 'Subject: $1\\\\n\\\\nbody\\\\n' | /usr/sbin/sendmail ${MAIL_TO:-root}\"" "${@:2}"
}
show() { in_bed systemctl show -p "$2" --value "$1.service"; }
# show_set UNIT PROPERTY: the property's words, sorted (systemd prints some sets in any order)
show_set() { show "$1" "$2" | tr ' ' '\n' | LC_ALL=C sort | paste -sd ' '; }
# sorted_directives FILE LINES: FILE exists and its setting lines, sorted, are LINES
sorted_directives() { [[ -f $1 && $(directives "$1" | sort) == "$2" ]]; }
# result UNIT: "result=R code=C status=S" of the unit's last start
result() {
        printf 'result=%s code=%s status=%s' "$(show "$1" Result)" "$(show "$1" ExecMainCode)" \
                "$(show "$1" ExecMainStatus)"
}
# start_all UNIT...: start the units at once (failures may be timeouts: in parallel they cost
# one timeout, not one each); the output of systemctl goes to $LOG
start_all() {
        local u
        for u; do in_bed systemctl reset-failed "$u.service" 2>/dev/null || true; done
        timeout -k 3 40 "$TB" exec "$BED" systemctl start "${@/%/.service}" </dev/null >"$LOG" 2>&1
}
# snapshot: the drop-ins' paths, modification times and contents
snapshot() {
        find "$ROOT$SYSDIR" -name 'zz-hardening-compat.*' -printf '%p %T@ %m\n' | sort
        find "$ROOT$SYSDIR" -name 'zz-hardening-compat.*' -exec sha256sum {} + | sort
}
# idempotent [PREFIX]: diff finds nothing to change, and a second regenerate leaves every
# drop-in as it was (content and modification time)
idempotent() {
        local before p=${1:+$1: }
        before=$(snapshot)
        if hc diff >"$LOG" 2>&1; then ok "${p}diff: a second regenerate would change nothing"; else
                not_ok "${p}diff: a second regenerate would change nothing: $(head -c 2000 "$LOG" | tr '\n' '|')"; fi
        check "${p}a second regenerate" hc regenerate -q
        check "${p}and leaves every drop-in untouched" test "$(snapshot)" = "$before"
}
# explain_names UNIT WORD...: explain UNIT (kept in $SCRATCH/explain) succeeds and names every WORD
explain_names() {
        local u=$1 w
        shift
        if hc explain "$u" >"$SCRATCH/explain" 2>&1; then ok "explain $u"; else
                not_ok "explain $u: $(head -c 2000 "$SCRATCH/explain")"; fi
        for w; do check "explain $u names $w" grep -qF -- "$w" "$SCRATCH/explain"; done
}
# deliver_all WHERE UNIT...: the units, started together, succeed and each one's message
# arrives (delivers UNIT 1, the test's own); WHERE says where, for the log
deliver_all() {
        local where=$1 t0 u
        shift
        t0=$EPOCHREALTIME
        if start_all "$@"; then ok "with the drop-ins, $* succeed ($(bed__secs "$t0" "$EPOCHREALTIME") s)"; else
                not_ok "with the drop-ins, $* succeed: $(tr '\n' ' ' <"$LOG")"; fi
        for u; do
                if delivers "$u" 1; then ok "$u.service's message reached $where ($(result "$u"))"; else
                        not_ok "$u.service's message reached $where: $(result "$u"), $(delivered "$u") delivered"; fi
        done
}

#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# t-why-failed.sh - `hardening-compat why-failed UNIT` (issue 9) on failures whose cause is known,
# read offline from the bed's persistent journal (--root; /var/log/journal exists in the base).
# The break/fix tests call it on their own breakages too (t-arch, t-mta-postfix, t-mta-setuid);
# these are the causes they do not cover, and the unrelated failure that must not be blamed on
# the sandbox. Every unit is Type=oneshot, User=hcwf (a system user made here):
#
#   unit           sandbox                        what fails                           cause
#   hc-wf-af       RestrictAddressFamilies=AF_INET logger: socket /dev/log: Address family RestrictAddressFamilies=
#                                                 not supported by protocol
#   hc-wf-ro       ProtectSystem=strict           sh: cannot create /var/tmp/x: Read-only  ProtectSystem=strict
#                                                 file system
#   hc-wf-scf      SystemCallFilter=~uname        uname: killed, status=31/SYS             SystemCallFilter=
#   hc-wf-ns       ReadOnlyPaths=/nonexistent     systemd: 226/NAMESPACE                   ReadOnlyPaths=
#   hc-wf-other    NoNewPrivileges=yes            cat /etc/hc-wf-missing.conf: No such     none
#                                                 file or directory
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"
# shellcheck source=lib/bed.sh
. "$HERE/lib/bed.sh"

SYSDIR=/etc/systemd/system
# wf_unit NAME EXEC SETTING...: a oneshot unit in the bed
wf_unit() {
        {
                printf '[Service]\nType=oneshot\nUser=hcwf\nTimeoutStartSec=10\n'
                printf '%s\n' "${@:3}"
                printf 'ExecStart=%s\n' "$2"
        } | bed__put "$BED" "$SYSDIR/$1.service" 0644 || bail "write $1.service"
}

bed_begin why-failed 15
ok "bed $BED booted"
check "the bed's journal is persistent (/var/log/journal)" test -d "$ROOT/var/log/journal"
in_bed useradd --system -M -d /nonexistent -s /usr/sbin/nologin hcwf || bail "useradd hcwf"
wf_unit hc-wf-af "/usr/bin/logger -s hello" RestrictAddressFamilies=AF_INET
wf_unit hc-wf-ro "/bin/sh -c \"echo x >/var/tmp/hc-wf\"" ProtectSystem=strict
wf_unit hc-wf-scf /bin/uname SystemCallFilter=~uname
wf_unit hc-wf-ns /bin/true ReadOnlyPaths=/nonexistent
wf_unit hc-wf-other "/bin/cat /etc/hc-wf-missing.conf" NoNewPrivileges=yes
wf_unit hc-wf-ok /bin/true NoNewPrivileges=yes
in_bed systemctl daemon-reload || bail "daemon-reload"
for u in hc-wf-af hc-wf-ro hc-wf-scf hc-wf-ns hc-wf-other; do
        if starts "$u.service"; then not_ok "$u.service fails: it succeeded"; else ok "$u.service fails ($(grep -m1 '^result=' "$LOG"))"; fi
done
check "hc-wf-ok.service succeeds" starts hc-wf-ok.service

why_failed hc-wf-af "RestrictAddressFamilies=AF_INET" "why-failed hc-wf-af.service: RestrictAddressFamilies=AF_INET"
check "... with logger's message as the evidence" grep -qF \
        "Evidence:         logger: socket /dev/log: Address family not supported by protocol" "$SCRATCH/why-failed"
why_failed hc-wf-ro "ProtectSystem=strict" "why-failed hc-wf-ro.service: ProtectSystem=strict"
why_failed hc-wf-scf "SystemCallFilter=~uname" "why-failed hc-wf-scf.service: SystemCallFilter=~uname (status=31/SYS)"
check "... says status=31/SYS" grep -qF "status=31/SYS" "$SCRATCH/why-failed"
why_failed hc-wf-ns "ReadOnlyPaths=/nonexistent" "why-failed hc-wf-ns.service: ReadOnlyPaths=/nonexistent (226/NAMESPACE)"
why_failed hc-wf-other none "why-failed hc-wf-other.service: no sandbox cause (a missing configuration file)"
check "... and shows cat's message" grep -qF "/etc/hc-wf-missing.conf: No such file or directory" "$SCRATCH/why-failed"
hc why-failed hc-wf-ok.service >"$LOG" 2>&1 || true
check "why-failed hc-wf-ok.service: the journal has no failure" grep -qF "the journal has no failure of this unit" "$LOG"
if hc --json=short why-failed hc-wf-af.service >"$LOG" 2>&1 &&
        python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["sandbox_causes"][0]; sys.exit(not (d["unit"]=="hc-wf-af.service" and d["result"]=="exit-code" and d["exit_status"]==1 and c["setting"].startswith("RestrictAddressFamilies=AF_INET") and c["likely"] is False))' "$LOG"; then
        ok "why-failed --json: unit, result, exit status and the cause"
else
        not_ok "why-failed --json: $(head -c 1000 "$LOG")"
fi
check "why-failed --json of a real failure validates against tests/schema/why-failed.schema.json" \
        sh -c "/usr/bin/python3 '$HC_SRCDIR/tests/schema/validate.py' why-failed <'$LOG'"
rc=0
hc why-failed no-such.service >"$LOG" 2>&1 || rc=$?
check "why-failed on a unit that does not exist: exit 4" test "$rc" = 4
tap_end

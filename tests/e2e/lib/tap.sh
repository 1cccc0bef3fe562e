# tap.sh - shared by the break/fix tests: TAP output and one booted bed per test.
# Source it, then call bed_begin NAME TIMEOUT; it sets BED, ROOT, SCRATCH, LOG and tears
# the bed down on exit. The test ends with tap_end.
# shellcheck shell=bash

TB=$HERE/testbed
: "${HC_BIN:?}" "${HC_SRCDIR:?}"

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
bail() { not_ok "$@"; echo "1..$n"; exit 1; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
hc() { "$HC_BIN" --root "$ROOT" --rules-dir "$HC_SRCDIR/fragments" "$@"; }
in_bed() { "$TB" exec "$BED" "$@"; }
# starts UNIT: run the unit to completion in the bed; its result goes to $LOG.
starts() { "$TB" run-unit "$BED" "$1" "$UNIT_TIMEOUT" >"$LOG" 2>&1; }
journal() { in_bed journalctl -b --no-pager -o cat -u "$1"; }
# why_failed UNIT CAUSE WHAT: `hardening-compat why-failed UNIT`, run offline on the bed's root
# (its persistent journal), names CAUSE ("SystemCallArchitectures=native", or "none" for
# no sandbox cause); the output stays in $SCRATCH/why-failed
why_failed() {
        local out=$SCRATCH/why-failed
        in_bed journalctl --sync 2>/dev/null || true
        hc why-failed "$1.service" >"$out" 2>&1 || true
        # "Sandbox cause: X" or "Likely sandbox cause: X"
        if { [[ $2 == none ]] && grep -q '^No sandbox cause found' "$out"; } ||
                { [[ $2 != none ]] && grep -E '^(Likely s|S)andbox cause: ' "$out" | grep -qF ": $2"; }; then
                ok "$3"
        else
                not_ok "$3"
                sed 's/^/#   /' "$out"
        fi
}
# dropin UNIT: the path of hardening-compat's drop-in for UNIT in the bed
dropin() { echo "$ROOT/etc/systemd/system/$1.d/zz-hardening-compat.conf"; }
# directives FILE: the drop-in's setting lines, without comments and section headers
directives() { grep -Ev '^[[:space:]]*([#;[]|$)' "$1"; }
# only_directive FILE LINES: FILE exists and its setting lines are exactly LINES
only_directive() { [[ -f $1 && $(directives "$1") == "$2" ]]; }

# bed_begin NAME [UNIT_TIMEOUT]: boot a fresh bed with an enforced IP firewall.
bed_begin() {
        BED=$1-$$
        UNIT_TIMEOUT=${2:-20}
        SCRATCH=$(mktemp -d /var/tmp/hc-e2e-XXXXXX)
        LOG=$SCRATCH/log
        # shellcheck disable=SC2064  # expand now: the values are fixed
        trap "\"$TB\" stop \"$BED\"; rm -rf \"$SCRATCH\"" EXIT
        "$TB" base >/dev/null || bail "base tarball"
        "$TB" start "$BED" || bail "start bed"
        ROOT=$("$TB" root "$BED")
        "$TB" firewall-check "$BED" >/dev/null ||
                bail "the bed's IP firewall is not enforced: IPAddressDeny= results would be meaningless"
}

# dump_dropins EXPLAINED UNIT...: after a failure, for the log: each UNIT's drop-in (or its
# absence) and the explain output of EXPLAINED the test saved in $SCRATCH/explain.
dump_dropins() {
        local x=$1 u d
        shift
        ((failed)) || return 0
        for u in "$@"; do
                d=$(dropin "$u")
                if [[ -e $d ]]; then echo "# $d:"; sed 's/^/#   /' "$d"; else echo "# $d: absent"; fi
        done
        echo "# explain $x:"
        sed 's/^/#   /' "$SCRATCH/explain" 2>/dev/null || true
}

tap_end() {
        echo "1..$n"
        [ "$failed" -eq 0 ]
}

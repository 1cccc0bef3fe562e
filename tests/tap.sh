# tests/tap.sh - the TAP-style helpers of the shell test suites (tests/cli, tests/hooks).
# Source it; end the suite with tap_summary.
# shellcheck shell=sh

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'; }
check() { # check NAME COMMAND...: passes when the command succeeds
        name=$1; shift
        if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "$out"; fi
}
tap_summary() {
        echo "$pass passed, $fail failed"
        [ "$fail" -eq 0 ]
}

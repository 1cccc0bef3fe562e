#!/bin/sh
# fuzz/run.sh DIR TARGET... - make fuzz: for each target, replay fuzz/regressions/TARGET/
# (every past finding, which must now pass), then fuzz for FUZZ_SECONDS from the seeds
# (fuzz/seeds.sh) and the corpus kept in DIR/corpus/TARGET. One target at a time, niced.
# A finding is saved as DIR/artifacts/TARGET/crash-* (or leak-*, timeout-*, oom-*); copy
# it to fuzz/regressions/TARGET/ once fixed. Exit 1 on any finding.
set -u
DIR=$1; shift
: "${FUZZ_SECONDS:=60}"
SRC=$(cd "$(dirname "$0")/.." && pwd)
HC_FUZZ_TMP=$(mktemp -d /dev/shm/hc-fuzz-run-XXXXXX 2>/dev/null || mktemp -d)
export HC_FUZZ_TMP
trap 'rm -rf "$HC_FUZZ_TMP"' EXIT
# Leaks count as findings; every UBSan report aborts. A 16 MiB quarantine, not 256: one
# input frees far less, so a use after free within it is still caught, while recycling
# 256 MiB of fresh pages halved the speed of the tree targets (page faults).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1:quarantine_size_mb=16
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

rm -rf "$DIR/seeds"
sh "$SRC/fuzz/seeds.sh" "$DIR/seeds" "$SRC"
failed=0
printf '%-16s %12s %10s %s\n' target executions exec/s result
for t in "$@"; do
        bin=$DIR/$t log=$DIR/$t.log
        mkdir -p "$DIR/corpus/$t" "$DIR/artifacts/$t"
        result=ok
        if [ -d "$SRC/fuzz/regressions/$t" ] && [ -n "$(ls -A "$SRC/fuzz/regressions/$t")" ]; then
                if ! nice -n 10 "$bin" -rss_limit_mb=2048 -timeout=25 "$SRC/fuzz/regressions/$t"/* >"$DIR/$t.replay.log" 2>&1; then
                        result="REGRESSION (see $DIR/$t.replay.log)"
                        failed=1
                fi
        fi
        nice -n 10 "$bin" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -timeout=25 \
                -max_len=65536 -print_final_stats=1 -artifact_prefix="$DIR/artifacts/$t/" \
                "$DIR/corpus/$t" "$DIR/seeds/$t" >"$log" 2>&1
        rc=$?
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
        if [ "$rc" -ne 0 ]; then
                result="FINDING (see $log, $DIR/artifacts/$t/)"
                failed=1
        fi
        printf '%-16s %12s %10s %s\n' "$t" "${runs:-?}" "${speed:-?}" "$result"
done
exit "$failed"

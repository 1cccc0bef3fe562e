#!/bin/bash
# Crash consistency of regenerate (README "Reliability"). A scratch root with dozens of
# units moves from an "old" configuration (drop-ins already written) to a "new" one that
# updates, creates and removes drop-ins. regenerate is then killed (SIGKILL, strace
# fault injection) at every write, sync_file_range, fsync, rename, unlink, mkdir, fchmod and close it
# makes, one point per run, and made to fail (ENOSPC, EIO, EROFS) at each write-class
# call. After each run:
#   - every drop-in is the old or the new version, byte for byte (never partial or empty),
#     and a removed one is either gone or the old version;
#   - nothing but our drop-ins and hidden temp files (".#…", not "*.conf": systemd reads
#     only *.conf from a .d directory) is in the output directory;
#   - the next run exits 0 and leaves the same drop-ins as an uninterrupted run.
# Failing runs (error injection) must also exit 1 with one-line errors.
# Needs HC_BIN, HC_SRCDIR; strace (skipped without). HC_CRASH_UNITS sizes the root (32 u*,
# 8 r*, 8 n* units), HC_CRASH_SAMPLE bounds the close/openat points (400 each).
set -u

: "${HC_BIN:?}" "${HC_SRCDIR:?}"
. "$HC_SRCDIR/tests/tap.sh"
command -v strace >/dev/null 2>&1 || { echo "ok - # SKIP strace is not installed"; exit 0; }
strace -f -qq -o /dev/null -e trace=getpid -e inject=getpid:retval=1 true 2>/dev/null ||
        { echo "ok - # SKIP strace cannot trace here (no ptrace)"; exit 0; }

T=$(mktemp -d "${TMPDIR:-/tmp}/hc-crash-XXXXXX")
trap 'rm -rf "$T"' EXIT
UNITS=${HC_CRASH_UNITS:-32}
SYSCALLS="write sync_file_range fsync renameat rename unlinkat unlink mkdirat mkdir fchmod close"
COUNTED="$SYSCALLS openat"

# shellcheck source=tests/reliability/lib.sh
. "$HC_SRCDIR/tests/reliability/lib.sh"
hc() { hc_regen "$@"; }
consistent_run() { consistent "$1" "$T/old.m" "$T/new.m"; }

# --- the states and the reference -----------------------------------------------------------
make_old "$T/base"
hc "$T/base" || { not_ok "old state: regenerate"; tap_summary; exit 1; }
manifest "$T/base" >"$T/old.m"
make_new "$T/base"
cp -a "$T/base" "$T/ref"
hc "$T/ref" || { not_ok "new state: regenerate"; tap_summary; exit 1; }
manifest "$T/ref" >"$T/new.m"
check "the scenario updates, creates and removes drop-ins" sh -c \
        "[ \$(comm -12 '$T/old.m' '$T/new.m' | wc -l) = 0 ] && [ \$(wc -l <'$T/old.m') -ge $UNITS ] && [ \$(wc -l <'$T/new.m') -ge $UNITS ]"
check "old and new drop-ins never empty" sh -c "! find '$T/base/etc/systemd/system' '$T/ref/etc/systemd/system' -type f -empty | grep -q ."

# How often the transition run makes each system call (strace -c, every thread).
strace -f -qq -c -o "$T/count" -e trace="$(echo "$COUNTED" | tr ' ' ,)" \
        "$HC_BIN" --root "$(cp -a "$T/base" "$T/count-root" && echo "$T/count-root")" \
        --rules-dir "$HC_SRCDIR/fragments" regenerate -q >/dev/null 2>&1
calls() { awk -v s="$1" '$NF == s { print ($4 ~ /^[0-9]+$/ ? $4 : $5) } ' "$T/count"; }

points=0 bad_state=0 bad_repair=0 not_hit=0 temps_left=0 temps_kept=0 ignored=""
# One injection: $1 system call, $2 occurrence, $3 strace action, $4 expected exit ("kill"
# or a status). Checks consistency, then that a plain run repairs.
inject() {
        local r=$T/run rc
        rm -rf "$r"
        cp -a "$T/base" "$r"
                # (in a subshell that outlives strace, so that bash's "Killed" notice goes nowhere)
        (strace -f -qq -o /dev/null -e trace="$1" -e inject="$1:$3:when=$2" \
                "$HC_BIN" --root "$r" --rules-dir "$HC_SRCDIR/fragments" regenerate -q >"$T/out" 2>"$T/err"
         echo $? >"$T/rc") 2>/dev/null
        rc=$(cat "$T/rc")
        points=$((points + 1))
        if [ "$4" = kill ]; then
                [ "$rc" != 0 ] || not_hit=$((not_hit + 1))
        elif [ "$rc" = 0 ] && [ "$4" = 1 ]; then
                ignored="$ignored $1#$2"
        elif ! echo "|$4|" | grep -q "|$rc|" || grep -qv '^hardening-compat: ' "$T/err"; then
                bad_state=$((bad_state + 1))
                echo "# $1 #$2 $3: exit $rc (want $4): $(head -c 300 "$T/err")"
        fi
        if ! consistent_run "$r" >"$T/why"; then
                bad_state=$((bad_state + 1))
                echo "# $1 #$2 $3: $(head -3 "$T/why" | paste -sd ';')"
        fi
        temps_left=$((temps_left + $(find "$r/etc/systemd/system" -name '.#*' | wc -l)))
        if ! hc "$r" >/dev/null 2>&1 || ! manifest "$r" | grep -v '/\.#[^/]*$' | cmp -s - "$T/new.m"; then
                bad_repair=$((bad_repair + 1))
                echo "# $1 #$2 $3: the next run did not repair"
        fi
        temps_kept=$((temps_kept + $(find "$r/etc/systemd/system" -name '.#*' | wc -l)))
}

# Every occurrence, except of close and openat (mostly reading the inputs): at most
# HC_CRASH_SAMPLE of those, evenly spread.
points_of() {
        local n
        n=$(calls "$1")
        case $1 in
        close|openat) seq 1 $(( (${n:-0} + SAMPLE - 1) / SAMPLE )) "${n:-0}" ;;
        *) seq 1 "${n:-0}" ;;
        esac
}
SAMPLE=${HC_CRASH_SAMPLE:-400}
# strace counts a system call per thread: the writer's fsyncs on one thread, so that
# "the Nth fsync" is one call (the threads get their own pass below).
export HARDENING_COMPAT_FSYNC_THREADS=1
for sc in $SYSCALLS; do
        for i in $(points_of "$sc"); do inject "$sc" "$i" signal=KILL kill; done
done
echo "# SIGKILL: $points injection points ($(awk 'NR > 2 && $NF != "total" && $NF != "openat" && $NF !~ /^-/ { printf "%s%s %s", sep, $NF, ($4 ~ /^[0-9]+$/ ? $4 : $5); sep = ", " }' "$T/count"))"
check "SIGKILL at every point: each drop-in old or new, no stray file" test "$bad_state" = 0
check "SIGKILL at every point: the next run repairs everything" test "$bad_repair" = 0
check "SIGKILL at every point: every point was reached" test "$not_hit" = 0
# The fsyncs on their threads (the default): killed at each thread's Nth fsync, N up to
# 8 (40 temp files on at most 5 threads, this one and 4 started: one makes at least 8).
unset HARDENING_COMPAT_FSYNC_THREADS
bad_state=0 bad_repair=0 not_hit=0 threaded=$points
for i in 1 2 3 4 5 6 7 8; do inject fsync "$i" signal=KILL kill; done
check "SIGKILL at a threaded fsync: each drop-in old or new, the next run repairs, every point reached" \
        test "$bad_state$bad_repair$not_hit" = 000
echo "# threaded fsync: $((points - threaded)) injection points"
export HARDENING_COMPAT_FSYNC_THREADS=1
kills=$points
echo "# temp files left behind by killed runs (hidden, never read by systemd): $temps_left"
check "the next run removes the temp files of killed runs ($temps_kept kept)" test "$temps_kept" = 0

bad_state=0 bad_repair=0 points=0
# Expected exit: 1, or "0|1" where the writer ignores a failure on purpose (the rmdir of a
# .d directory "only if empty" is unlinkat(AT_REMOVEDIR)), or 0 where the call is only a
# hint (sync_file_range starts writeback; the fsync after it reports any error). Writes
# to stdout are none: -q.
ignored=""
for spec in "write error=ENOSPC 1" "write error=EIO 1" "sync_file_range error=EIO 0" "fsync error=EIO 1" "renameat error=EROFS 1" \
            "fchmod error=EPERM 1" "mkdirat error=EACCES 1" "mkdir error=EACCES 1" \
            "openat error=EMFILE 0|1" "unlinkat error=EROFS 0|1"; do
        # shellcheck disable=SC2086 # split on purpose: SYSCALL ACTION EXIT
        set -- $spec
        for i in $(points_of "$1"); do inject "$1" "$i" "$2" "$3"; done
done
echo "# error injection: $points points"
check "injected errors: exit 1 with one-line errors, each drop-in old or new" test "$bad_state" = 0
check "injected errors: the next run repairs everything" test "$bad_repair" = 0
check "injected errors: none ignored (exit 0 at:${ignored:- none})" test -z "$ignored"
echo "# total injection points: $((kills + points))"
check "at least 1,000 injection points" test $((kills + points)) -ge 1000
tap_summary

#!/bin/sh
# make check-reliability: hostile trees, then the write-failure cases (ENOSPC, EROFS,
# EACCES; root only, else TAP "# SKIP"), then crash consistency under strace fault
# injection (the longest: about 1,100 runs of regenerate). See README "Reliability".
# Needs HC_BIN and HC_SRCDIR.
set -u

: "${HC_BIN:?}" "${HC_SRCDIR:?}"
failed=0
for t in hostile storage crash; do
        echo "# tests/reliability/$t.sh"
        bash "$HC_SRCDIR/tests/reliability/$t.sh" || failed=1
done
exit "$failed"

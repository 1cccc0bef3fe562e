#!/bin/sh
# Generate the system call groups of SystemCallFilter= (@system-service, @setuid, …) from
# the systemd this is built against (`systemd-analyze syscall-filter`), so "@setuid" means
# to us what it means to that systemd.
#   gen-syscall-groups.sh OUTDIR
set -eu
out=${1:?}
command -v systemd-analyze >/dev/null || { echo "gen-syscall-groups.sh: systemd-analyze is needed (package systemd)" >&2; exit 1; }
SYSTEMD_LOG_LEVEL=err systemd-analyze syscall-filter --no-pager 2>/dev/null | awk '
        /^#/ { exit }
        /^@/ { if (g != "") printf "\" },\n"; g = $1; printf "        { \"%s\", \"", g; next }
        /^    #/ { next }
        /^    / { sub(/^ +/, ""); printf "%s\\0", $0; next }
        END { if (g != "") printf "\" },\n" }
' >"$out/syscall-groups.inc.tmp"
test -s "$out/syscall-groups.inc.tmp" || { echo "gen-syscall-groups.sh: no groups from systemd-analyze" >&2; exit 1; }
mv "$out/syscall-groups.inc.tmp" "$out/syscall-groups.inc"

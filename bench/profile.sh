#!/bin/bash
# profile.sh BIN RULES_DIR [ROOT] - callgrind instruction counts of a fresh regenerate on
# the 1,000-unit generated root (or ROOT); prints the top functions, self and inclusive.
set -euo pipefail
BIN=$(realpath "$1")
RULES=$(realpath "$2")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W=${HC_BENCH_DIR:-/var/tmp/hc-bench}
ROOT=${3:-$W/cg-1000}
mkdir -p "$W"
[[ -n ${3:-} || -f $ROOT/etc/nsswitch.conf ]] || bash "$HERE/gen-root.sh" "$ROOT" 1000 500 1000
cc -O2 -shared -fPIC -o "$W/openat2-shim.so" "$HERE/openat2-shim.c" -ldl
find "$ROOT/etc/systemd/system" -name 'zz-hardening-compat.*' -delete
find "$ROOT/etc/systemd/system" -mindepth 1 -type d -name '*.d' -empty -delete
LD_PRELOAD=$W/openat2-shim.so nice -n 5 valgrind --tool=callgrind --callgrind-out-file="$W/callgrind.out" \
        "$BIN" --root "$ROOT" --rules-dir "$RULES" regenerate -q 2>&1 | grep 'refs'
echo "== self"
callgrind_annotate "$W/callgrind.out" | sed -n '/file:function/,$p' | sed -n '3,22p'
echo "== inclusive"
callgrind_annotate --inclusive=yes "$W/callgrind.out" | sed -n '/file:function/,$p' | sed -n '3,32p'

#!/bin/sh
# Generate the address-family and capability name tables the way systemd 252 does
# (src/basic/generate-af-list.sh, generate-cap-list.sh): from the headers the compiler
# sees, so the names we accept are exactly the names systemd built on the same system
# accepts.
#   gen-name-lists.sh CC OUTDIR
set -eu
cc=${1:?} out=${2:?}

$cc -E -dM -include sys/socket.h - </dev/null |
        grep -Ev 'AF_UNSPEC|AF_MAX' |
        awk '/^#define[ \t]+AF_[^ \t]+[ \t]+[AP]F_[^ \t]/ { printf "        { \"%s\", %s },\n", $2, $2 }' |
        sort -u >"$out/af-list.inc.tmp"
mv "$out/af-list.inc.tmp" "$out/af-list.inc"

$cc -E -dM -include linux/capability.h - </dev/null |
        awk '/^#define[ \t]+CAP_[A-Z_]+[ \t]+[0-9]+/ { printf "        { \"%s\", %s },\n", tolower($2), $3 }' |
        grep -v 'cap_last_cap' | sort -t, -k2 -n >"$out/cap-list.inc.tmp"
mv "$out/cap-list.inc.tmp" "$out/cap-list.inc"

#!/bin/bash
# make-package-list.sh - regenerate tests/fidelity/packages.txt, the package list of the
# fidelity corpus (see build-corpus.sh).
#
# Usage: make-package-list.sh [-n COUNT] [-o FILE] [-t TSV]
#   -n COUNT  number of packages to list (default 300)
#   -o FILE   output file (default: packages.txt next to this script; "-" = stdout)
#   -t TSV    popcon-ranked unit table (default: $HC_UNITS_TSV, else
#             <repo>/../shared/data/units-by-popcon.tsv)
#
# Selection: the binary packages of TSV (columns State, Popularity rank, Binary package, Unit
# path) that ship at least one `.service` unit directly in /lib/systemd/system/ or
# /usr/lib/systemd/system/ (unit files copied elsewhere, e.g. under /usr/share/rear/skel/, do
# not count), ordered by rank (lowest first; rank "None" last, by name), keeping only those
# whose apt candidate version comes from a Debian 12 archive (bookworm, bookworm-updates or
# bookworm-security), until COUNT are found. Uses the local apt lists only (`apt-cache
# policy`); runs `apt-get update` first if the lists are missing (needs root then).

set -euo pipefail
PROG=make-package-list.sh
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
count=300
out=$here/packages.txt
tsv=${HC_UNITS_TSV:-$here/../../../shared/data/units-by-popcon.tsv}

while getopts n:o:t:h opt; do
    case $opt in
        n) count=$OPTARG ;;
        o) out=$OPTARG ;;
        t) tsv=$OPTARG ;;
        h) sed -n '/^# Usage:/,/^# Selection:/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "bad option (see -h)" ;;
    esac
done
shift $((OPTIND - 1))
(($# == 0)) || die "unexpected argument '$1' (see -h)"
[[ $count =~ ^[1-9][0-9]*$ ]] || die "bad count '$count'"
[[ -r $tsv ]] || die "cannot read '$tsv' (set HC_UNITS_TSV or use -t)"
command -v apt-cache >/dev/null || die "apt-cache not found"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Apt lists present? (apt-cache policy on an empty cache finds nothing)
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    [[ $(id -u) == 0 ]] || die "apt lists are empty and we are not root: run 'apt-get update' first"
    printf '%s: apt lists are empty, running apt-get update\n' "$PROG" >&2
    apt-get update -qq >/dev/null || die "apt-get update failed"
fi

# 1. candidates in rank order: "rank<TAB>package", distinct packages, numeric rank first.
awk -F'\t' 'NR > 1 && $4 ~ /^\/(usr\/)?lib\/systemd\/system\/[^\/]+\.service$/ {
        r = ($2 ~ /^[0-9]+$/) ? $2 : 999999999
        if (!($3 in best) || r + 0 < best[$3] + 0) best[$3] = r
    }
    END { for (p in best) printf "%s\t%s\n", best[p], p }' "$tsv" \
    | LC_ALL=C sort -t$'\t' -k1,1n -k2,2 >"$tmp/candidates"
ncand=$(wc -l <"$tmp/candidates")
((ncand > 0)) || die "no package with a .service unit found in '$tsv'"

# 2. which of them have a candidate version from a Debian 12 archive?  One apt-cache call.
cut -f2 "$tmp/candidates" | xargs -r apt-cache policy 2>/dev/null | awk '
    function flush() { if (pkg != "" && ok) print pkg; pkg = ""; ok = 0 }
    /^[^ ]/              { flush(); pkg = $0; sub(/:$/, "", pkg); sub(/:[a-z0-9]+$/, "", pkg); cand = ""; cur = ""; next }
    /^  Candidate: /     { cand = $2; next }
    /^ (\*\*\*|   ) [^ ]+ -?[0-9]+$/ { cur = ($1 == "***") ? $2 : $1; next }
    /^        -?[0-9]+ / {
        if (cur == cand && cand != "(none)" &&
            $0 ~ / bookworm(-updates|-security)?\/[a-z-]+ [a-z0-9]+ Packages$/) ok = 1
        next
    }
    END { flush() }' | LC_ALL=C sort -u >"$tmp/available"

# 3. walk the ranking
: >"$tmp/list"
: >"$tmp/skipped"
n=0 last_rank=
while IFS=$'\t' read -r rank pkg; do
    ((n < count)) || break
    if LC_ALL=C grep -qxF -- "$pkg" "$tmp/available"; then
        printf '%s\n' "$pkg" >>"$tmp/list"
        n=$((n + 1)) last_rank=$rank
    else
        printf '%s(%s)\n' "$pkg" "$rank" >>"$tmp/skipped"
    fi
done <"$tmp/candidates"
((n == count)) || printf '%s: warning: only %d of %d packages found\n' "$PROG" "$n" "$count" >&2
[[ $last_rank == 999999999 ]] && last_rank=None

lists_date=$(sed -n 's/^Date: //p' /var/lib/apt/lists/*_dists_bookworm_InRelease 2>/dev/null | head -n1)
{
    printf '# Fidelity corpus: %d binary packages shipping .service units, Debian 12 (bookworm).\n' "$n"
    printf '# Generated %s by tests/fidelity/make-package-list.sh -n %d (do not edit by hand).\n' \
        "$(date -u +%Y-%m-%d)" "$count"
    printf '# Source: shared/data/units-by-popcon.tsv (popcon ranks of 2023-07, prisonpc-systemd-lockdown a4358e29):\n'
    printf '#   packages with a .service unit directly in /lib/systemd/system or /usr/lib/systemd/system,\n'
    printf '#   best popcon rank first (last rank taken: %s), kept only if apt-cache policy shows a\n' "$last_rank"
    printf '#   candidate from bookworm, bookworm-updates or bookworm-security (apt lists dated %s).\n' "${lists_date:-unknown}"
    if [[ -s $tmp/skipped ]]; then
        printf '# Skipped (no candidate in the configured bookworm archives), package(rank):\n'
        { tr '\n' ' ' <"$tmp/skipped"; echo; } | fold -s -w 94 | sed 's/^/#   /; s/ *$//'
    fi
    printf '# One package per line; lines starting with # are comments.\n'
    cat "$tmp/list"
} >"$tmp/out"

if [[ $out == - ]]; then
    cat "$tmp/out"
else
    mv "$tmp/out" "$out.new.$$" && chmod 644 "$out.new.$$" && mv "$out.new.$$" "$out"
    printf '%s: wrote %s (%d packages, %d skipped)\n' "$PROG" "$out" "$n" "$(wc -l <"$tmp/skipped")" >&2
fi

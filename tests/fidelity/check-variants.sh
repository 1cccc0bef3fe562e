#!/bin/bash
# check-variants.sh - offline syntax/load check of the output of make-variants.sh (no systemd booted).
#
# Usage: check-variants.sh ROOT
#   ROOT  a directory written by make-variants.sh (possibly on top of build-corpus.sh's corpus)
#
# 1. files: every unit file and drop-in that make-variants.sh wrote is parsed on its own
#    (`systemd-analyze verify` in a scratch root, each fragment as its own unit, each drop-in
#    attached to a minimal unit). Warnings are printed (many variants use invalid values on
#    purpose); a file that makes its unit unloadable is an error.
# 2. units: every name in ROOT/VARIANTS.txt is verified in ROOT itself (`systemd-analyze verify
#    --root=ROOT`). Units whose fragment lies in /run/systemd/transient or /run/systemd/generator*
#    are skipped there: systemd-analyze (test mode) replaces those directories by empty temporary
#    ones, so they can only be checked file by file (step 1) or in a live systemd. So are linked
#    unit files with an absolute symlink target (offline, the target is opened without the ROOT
#    prefix).
# Variants that are invalid on purpose (.hcv-variants.bad, "[bad-setting]" in VARIANTS.txt) must
# be refused, in both steps.
# Noise that a bare root always produces ("Command /bin/true is not executable", "Unit
# sysinit.target not found", "Special user nobody configured") is filtered out.
# Exit status: 0 if everything loads, 1 otherwise.

set -euo pipefail
PROG=check-variants.sh
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }

(($# == 1)) || die "usage: $PROG ROOT"
ROOT=$(cd -- "$1" && pwd -P) || die "no directory '$1'"
[[ -f $ROOT/.hcv-variants.files && -f $ROOT/VARIANTS.txt ]] || die "'$ROOT' was not written by make-variants.sh"
command -v systemd-analyze >/dev/null || die "systemd-analyze not found"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
noise='is not executable|sysinit\.target not found|Special user nobody configured|Failed to create .*/start:'
fatal='fatal error|bad unit file setting|Refusing|not found|is masked|Failed to open|Failed to load'
status=0
declare -A bad=() refused=()
if [[ -f $ROOT/.hcv-variants.bad ]]; then
    while IFS= read -r rel; do
        [[ -n $rel ]] && bad[$rel]=1
    done <"$ROOT/.hcv-variants.bad"
fi

# --- 1. file by file -------------------------------------------------------------------------
S=$tmp/scratch
mkdir -p "$S/etc/systemd/system"
declare -A origin=()        # scratch unit name -> source file
names=()
i=0
while IFS= read -r rel; do
    f=$ROOT/$rel
    [[ -e $f ]] || continue                         # dangling symlink (deliberate)
    [[ -L $f && $(readlink -- "$f") == /dev/null ]] && continue
    case $rel in
        */system-generators/*|etc/hcv-fidelity/generator*) continue ;;  # replay copies / generator
    esac
    base=${rel##*/}
    parent=${rel%/*}
    parent=${parent##*/}
    i=$((i + 1))
    if [[ $parent == *.d ]]; then
        [[ $base == *.conf && $base != .* ]] || continue           # ignored by systemd anyway
        if [[ $parent == *.slice.d ]]; then
            u=chk-$i.slice
            printf '[Slice]\n' >"$S/etc/systemd/system/$u"
        else
            u=chk-$i.service
            printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' >"$S/etc/systemd/system/$u"
        fi
        mkdir -p "$S/etc/systemd/system/$u.d"
        cp -L -- "$f" "$S/etc/systemd/system/$u.d/x.conf"
        origin[$u]=$rel
        names+=("$u")
    else
        [[ -L $f ]] && continue                                     # alias or linked unit
        case $base in
            *@.service) u=chk-$i@.service; n=chk-$i@x.service ;;
            *.service) u=chk-$i.service; n=$u ;;
            *.slice) u=chk-$i.slice; n=$u ;;
            *) continue ;;
        esac
        [[ -s $f ]] || continue                                     # empty file = mask
        cp -L -- "$f" "$S/etc/systemd/system/$u"
        origin[$n]=$rel
        names+=("$n")
    fi
done <"$ROOT/.hcv-variants.files"

systemd-analyze verify --root="$S" "${names[@]}" >"$tmp/files.log" 2>&1 || true
nwarn=0 nbad=0
while IFS= read -r line; do
    [[ $line =~ $noise ]] && continue
    src=
    # map scratch names back to the source files
    if [[ $line =~ (chk-[0-9]+(@x)?\.(service|slice)) ]]; then
        key=${BASH_REMATCH[1]}
        [[ -n ${origin[$key]-} ]] || key=${key/@x/@}
        [[ -n ${origin[$key]-} ]] || key=${key/@./@x.}
        src=${origin[$key]-?}
        line=${line#"$S/etc/systemd/system/"}
        line=$src${line#*"${BASH_REMATCH[1]}"}
        line=${line/.d\/x.conf/}
    fi
    if [[ $line =~ $fatal && -n ${src-} && -n ${bad[$src]-} ]]; then
        refused[$src]=1                                             # invalid on purpose
    elif [[ $line =~ $fatal ]]; then
        printf '%s: ERROR: %s\n' "$PROG" "$line"
        nbad=$((nbad + 1))
    else
        printf '%s: warning: %s\n' "$PROG" "$line"
        nwarn=$((nwarn + 1))
    fi
done <"$tmp/files.log"
for rel in "${!bad[@]}"; do
    if [[ -z ${refused[$rel]-} ]]; then
        printf '%s: ERROR: %s: invalid on purpose, but systemd-analyze accepts it\n' "$PROG" "$rel"
        nbad=$((nbad + 1))
    fi
done
printf '%s: files: %d parsed, %d warning(s), %d error(s), %d refused on purpose\n' "$PROG" "${#names[@]}" "$nwarn" "$nbad" "${#refused[@]}"
((nbad == 0)) || status=1

# --- 2. unit by unit in ROOT -----------------------------------------------------------------
offline_blind() {   # can systemd-analyze --root not see unit $1 as a live systemd would?
    local u=$1 t d l
    t=$u
    [[ $u == *@*.service ]] && t=${u%%@*}@.service
    # fragment in a directory that test mode replaces
    for d in transient generator.early generator generator.late; do
        [[ -e $ROOT/run/systemd/$d/$u || -L $ROOT/run/systemd/$d/$u || -e $ROOT/run/systemd/$d/$t ]] && return 0
    done
    # linked unit file with an absolute target: opened without the --root prefix
    for d in etc/systemd/system.control run/systemd/system.control etc/systemd/system run/systemd/system \
             usr/local/lib/systemd/system lib/systemd/system usr/lib/systemd/system; do
        [[ -L $ROOT/$d/$u ]] || continue
        l=$(readlink -- "$ROOT/$d/$u")
        [[ $l == /* && $l != /dev/null && ! $l =~ ^/(etc|run|lib|usr/lib|usr/local/lib)/systemd/ ]] && return 0
        return 1
    done
    return 1
}
nunit=0 nskip=0 nfail=0
while IFS=$'\t' read -r u desc; do
    [[ -z $u || $u == \#* ]] && continue
    if offline_blind "$u"; then
        nskip=$((nskip + 1))
        continue
    fi
    nunit=$((nunit + 1))
    out=$(systemd-analyze verify --root="$ROOT" "$u" 2>&1) || true
    errs=$(grep -Ev "$noise" <<<"$out" | grep -E "$fatal" || true)
    if [[ $desc == *"[bad-setting]" ]]; then
        if [[ -z $errs ]]; then
            printf '%s: ERROR: %s: invalid on purpose, but it loads\n' "$PROG" "$u"
            nfail=$((nfail + 1))
        fi
    elif [[ -n $errs ]]; then
        printf '%s: ERROR: %s: %s\n' "$PROG" "$u" "${errs//$'\n'/ | }"
        nfail=$((nfail + 1))
    fi
done <"$ROOT/VARIANTS.txt"
printf '%s: units: %d verified in %s, %d failed, %d skipped (fragment in transient/generator dirs or behind an absolute link)\n' \
    "$PROG" "$nunit" "$ROOT" "$nfail" "$nskip"
((nfail == 0)) || status=1
exit "$status"

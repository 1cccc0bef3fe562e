#!/bin/bash
# build-corpus.sh - unit-file corpus of real Debian 12 packages for the fidelity oracle.
#
# Usage: build-corpus.sh [OUTDIR]
#
# For every package of packages.txt (next to this script, or $HC_FIDELITY_PACKAGES):
#   1. `apt-get download` its candidate .deb into $HC_FIDELITY_CACHE
#      (default /var/cache/hardening-compat-fidelity/debs), unless that exact
#      PKG_VERSION_ARCH.deb is already there; a package that cannot be downloaded is reported
#      and skipped (an older cached .deb of it is used instead, if there is one);
#   2. `dpkg-deb -x` it into a scratch directory and keep only lib/systemd/system/ and
#      usr/lib/systemd/system/ (cached per .deb in $HC_FIDELITY_CACHE/.extract/, so a re-run
#      does not unpack again);
#   3. copy every file, symlink and directory found there into OUTDIR (default
#      $HC_FIDELITY_CACHE/corpus) at the same path (OUTDIR/lib/systemd/system/...,
#      OUTDIR/usr/lib/systemd/system/...), symlinks kept as symlinks. If two packages ship
#      the same path, the first one in packages.txt (best popcon rank) wins, with a warning
#      if the contents differ.
# and writes OUTDIR/MANIFEST.tsv, one row per non-directory entry:
#   package  version  path-in-package  kind
# kind: unit   = regular file directly in the unit directory with a unit-type suffix
#       alias  = symlink directly in the unit directory to another unit name (not /dev/null)
#       dropin = anything inside a *.d/ directory
#       other  = the rest (.wants/.requires/.upholds links, /dev/null masks, non-unit files)
#
# OUTDIR is rebuilt from scratch on every run (built beside it, then swapped in); an existing
# OUTDIR is only replaced if it is empty or holds a MANIFEST.tsv from an earlier run.
#
# Environment: HC_FIDELITY_CACHE (see above), HC_FIDELITY_PACKAGES (package list),
#   HC_FIDELITY_JOBS (parallel unpack jobs, default: number of CPUs).
# Needs: apt-get, apt-cache, dpkg-deb, coreutils, findutils. Run as root on Debian 12 (the
# default cache is under /var/cache; `apt-get update` is run if the apt lists are empty).

set -euo pipefail
umask 022
PROG=build-corpus.sh
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }
warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }
info() { printf '%s: %s\n' "$PROG" "$*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${HC_FIDELITY_CACHE:-/var/cache/hardening-compat-fidelity/debs}
LIST=${HC_FIDELITY_PACKAGES:-$here/packages.txt}
JOBS=${HC_FIDELITY_JOBS:-$(nproc 2>/dev/null || echo 2)}
(($# <= 1)) || die "usage: $PROG [OUTDIR]"
OUT=${1:-$CACHE/corpus}

[[ $CACHE == /* ]] || die "HC_FIDELITY_CACHE must be an absolute path (got '$CACHE')"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "bad HC_FIDELITY_JOBS '$JOBS'"
[[ -r $LIST ]] || die "cannot read package list '$LIST'"
for c in apt-get apt-cache dpkg-deb find cmp; do
    command -v "$c" >/dev/null || die "'$c' not found"
done
OUT=$(realpath -m -- "$OUT")
[[ $OUT != / ]] || die "refusing OUTDIR /"
if [[ -e $OUT ]]; then
    [[ -d $OUT && ! -L $OUT ]] || die "'$OUT' exists and is not a directory"
    if [[ ! -f $OUT/MANIFEST.tsv ]] && [[ -n $(find "$OUT" -mindepth 1 -maxdepth 1 -print -quit) ]]; then
        die "'$OUT' is not empty and has no MANIFEST.tsv: not overwriting it"
    fi
fi

t0=$EPOCHREALTIME
elapsed() { awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

mkdir -p "$CACHE" "$CACHE/.extract" || die "cannot create '$CACHE'"
tmp=$(mktemp -d "$CACHE/.tmp.XXXXXX")
chmod 755 "$tmp"    # apt's sandbox user must reach $tmp/dl
newout=
cleanup() {
    rm -rf "$tmp"
    [[ -z $newout ]] || rm -rf "$newout"
}
trap cleanup EXIT

mapfile -t pkgs < <(sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$LIST" | awk '!seen[$0]++')
((${#pkgs[@]} > 0)) || die "'$LIST' lists no package"
for p in "${pkgs[@]}"; do
    [[ $p =~ ^[a-z0-9][a-z0-9+.-]+$ ]] || die "bad package name '$p' in '$LIST'"
done

if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    [[ $(id -u) == 0 ]] || die "apt lists are empty and we are not root: run 'apt-get update' first"
    info "apt lists are empty, running apt-get update"
    apt-get update -qq >/dev/null || die "apt-get update failed"
fi

# --- 1. candidate versions -> expected .deb names (one apt-cache call) ------------------------
declare -A want=()          # pkg -> PKG_VERSION_ARCH.deb of the candidate
while IFS=$'\t' read -r p v a; do
    [[ -n $p && -n $v && -n $a ]] || continue
    want[$p]=${p}_${v//:/%3a}_${a}.deb
done < <(apt-cache show --no-all-versions -- "${pkgs[@]}" 2>/dev/null | awk '
    /^Package: /      { p = $2 }
    /^Version: /      { v = $2 }
    /^Architecture: / { a = $2 }
    /^$/              { if (p != "") print p "\t" v "\t" a; p = v = a = "" }
    END               { if (p != "") print p "\t" v "\t" a }')

missing=()
ncached=0
for p in "${pkgs[@]}"; do
    if [[ -z ${want[$p]-} ]]; then
        warn "$p: no candidate version in the apt lists"
    elif [[ -s $CACHE/${want[$p]} ]]; then
        ncached=$((ncached + 1))
    else
        missing+=("$p")
    fi
done

# --- 2. download what is missing: one batch, then one by one for what is still missing -------
ndownloaded=0
if ((${#missing[@]} > 0)); then
    info "downloading ${#missing[@]} package(s) into $CACHE"
    dl=$tmp/dl
    mkdir "$dl"
    # let apt's sandbox user write there (avoids the "unsandboxed as root" warning)
    if [[ $(id -u) == 0 ]] && getent passwd _apt >/dev/null; then chown _apt "$dl"; fi
    (cd "$dl" && apt-get -q download -- "${missing[@]}" >"$tmp/dl.log" 2>&1) || true
    for p in "${missing[@]}"; do
        if [[ ! -s $dl/${want[$p]} ]]; then
            (cd "$dl" && apt-get -q download -- "$p" >>"$tmp/dl.log" 2>&1) || true
        fi
        if [[ -s $dl/${want[$p]} ]]; then
            mv -f -- "$dl/${want[$p]}" "$CACHE/${want[$p]}"
            ndownloaded=$((ndownloaded + 1))
        fi
    done
fi

# --- 3. the .deb used for each package -------------------------------------------------------
debs=()                     # parallel to used_pkgs
used_pkgs=()
failed=()
for p in "${pkgs[@]}"; do
    d=
    if [[ -n ${want[$p]-} && -s $CACHE/${want[$p]} ]]; then
        d=$CACHE/${want[$p]}
    else
        # fall back to the newest cached .deb of this package, if any
        d=$(find "$CACHE" -maxdepth 1 -name "${p}_*.deb" -printf '%T@ %p\n' | sort -rn | sed -n '1s/^[^ ]* //p')
        if [[ -n $d ]]; then
            warn "$p: download failed, using cached ${d##*/}"
        else
            warn "$p: download failed, skipped"
            failed+=("$p")
            continue
        fi
    fi
    debs+=("$d")
    used_pkgs+=("$p")
done
if ((${#failed[@]} > 0)) && [[ -s $tmp/dl.log ]]; then
    grep -E '^(E|W):' "$tmp/dl.log" | grep -v 'unsandboxed' | sed "s/^/$PROG: apt: /" >&2 || true
fi

# --- 4. unpack (cached per .deb) -------------------------------------------------------------
# $CACHE/.extract/<deb-basename>/ holds the package's lib/systemd/system and
# usr/lib/systemd/system trees; .done marks a complete extraction.
unpack_one() {
    local deb=$1 cache=$2 b x s d
    b=${deb##*/}
    x=$cache/.extract/$b
    [[ -e $x/.done ]] && return 0
    rm -rf "$x" "$x.tmp"
    s=$(mktemp -d "$cache/.extract/.scratch.XXXXXX")
    if ! dpkg-deb -x "$deb" "$s"; then
        rm -rf "$s"
        printf '%s: %s: dpkg-deb -x failed\n' "$PROG" "$b" >&2
        return 1
    fi
    mkdir -p "$x.tmp"
    for d in lib/systemd/system usr/lib/systemd/system; do
        if [[ -d $s/$d && ! -L $s/$d ]]; then
            mkdir -p "$x.tmp/${d%/*}"
            mv "$s/$d" "$x.tmp/$d"
        fi
    done
    rm -rf "$s"
    : >"$x.tmp/.done"
    mv "$x.tmp" "$x"
}
export -f unpack_one
export PROG CACHE
todo=()
for d in "${debs[@]}"; do
    [[ -e $CACHE/.extract/${d##*/}/.done ]] || todo+=("$d")
done
if ((${#todo[@]} > 0)); then
    info "unpacking ${#todo[@]} package(s) ($JOBS jobs)"
    # shellcheck disable=SC2016  # expanded by the inner bash
    printf '%s\0' "${todo[@]}" | xargs -0 -r -n 1 -P "$JOBS" bash -c 'unpack_one "$1" "$CACHE"' _ \
        || die "unpacking failed"
fi
# drop scratch leftovers of interrupted runs and extractions of .debs no longer in the cache
for x in "$CACHE"/.extract/* "$CACHE"/.extract/.scratch.*; do
    [[ -e $x ]] || continue
    if [[ ${x##*/} == .scratch.* || ! -e $CACHE/${x##*/} ]]; then rm -rf -- "$x"; fi
done

# --- 5. assemble OUTDIR ----------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
newout=$(mktemp -d "$(dirname "$OUT")/.${OUT##*/}.new.XXXXXX")
chmod 755 "$newout"
manifest=$tmp/manifest
printf 'package\tversion\tpath\tkind\n' >"$manifest"
declare -A owner=()
unit_re='\.(service|socket|target|timer|path|mount|automount|swap|slice|scope|device)$'
ncollide=0
for i in "${!debs[@]}"; do
    deb=${debs[$i]} p=${used_pkgs[$i]}
    b=${deb##*/}
    v=${b#"${p}"_}
    v=${v%_*}
    v=${v//%3a/:}
    x=$CACHE/.extract/$b
    for d in lib/systemd/system usr/lib/systemd/system; do
        [[ -d $x/$d ]] || continue
        # entries of this package: type<TAB>relative path<TAB>link target
        while IFS=$'\t' read -r -d '' t rel lnk; do
            [[ $t == d ]] && continue
            path=$d/$rel
            if [[ $rel == */* ]]; then
                top=${rel%%/*}
                if [[ $top == *.d ]]; then kind='dropin'; else kind='other'; fi
            elif [[ $t == l ]]; then
                if [[ $rel =~ $unit_re && $lnk != /dev/null ]]; then kind='alias'; else kind='other'; fi
            elif [[ $t == f && $rel =~ $unit_re ]]; then
                kind='unit'
            else
                kind='other'
            fi
            printf '%s\t%s\t/%s\t%s\n' "$p" "$v" "$path" "$kind" >>"$manifest"
            if [[ -n ${owner[$path]-} ]]; then
                same=0
                if [[ $t == l && -L $newout/$path ]]; then
                    [[ $(readlink -- "$newout/$path") == "$lnk" ]] && same=1
                elif [[ $t != l && ! -L $newout/$path ]]; then
                    cmp -s -- "$x/$path" "$newout/$path" && same=1
                fi
                if ((same == 0)); then
                    warn "/$path: shipped by ${owner[$path]} and $p with different contents; keeping ${owner[$path]}'s"
                    ncollide=$((ncollide + 1))
                fi
            else
                owner[$path]=$p
            fi
        done < <(cd "$x/$d" && find . -mindepth 1 -printf '%y\t%P\t%l\0' | LC_ALL=C sort -z)
        mkdir -p "$newout/$d"
        cp -a -n -- "$x/$d/." "$newout/$d/"
    done
done
cp -- "$manifest" "$newout/MANIFEST.tsv"

if [[ -e $OUT ]]; then
    old=$(mktemp -d "$(dirname "$OUT")/.${OUT##*/}.old.XXXXXX")
    mv -- "$OUT" "$old/x"
    mv -- "$newout" "$OUT"
    newout=
    rm -rf "$old"
else
    mv -- "$newout" "$OUT"
    newout=
fi

# --- 6. summary ------------------------------------------------------------------------------
# count what is on disk in OUTDIR (first owner wins), classified as in the manifest
read -r svc_files svc_aliases svc_masks dropins units_all < <(
    cd "$OUT" && for d in lib/systemd/system usr/lib/systemd/system; do
        if [[ -d $d ]]; then find "$d" -mindepth 1 \( -type f -o -type l \) -printf '%y\t%P\t%l\n'; fi
    done | awk -F'\t' '
        $2 ~ /^[^\/]+\.d\// { dropins++; next }
        $2 ~ /\// { next }
        $1 == "f" && $2 ~ /\.service$/ { sf++ }
        $1 == "l" && $2 ~ /\.service$/ { if ($3 == "/dev/null") sm++; else sa++ }
        $1 == "f" && $2 ~ /\.(service|socket|target|timer|path|mount|automount|swap|slice|scope|device)$/ { ua++ }
        END { printf "%d %d %d %d %d\n", sf, sa, sm, dropins, ua }')
printf '%s: packages: %d listed, %d cached, %d downloaded, %d failed%s\n' "$PROG" \
    "${#pkgs[@]}" "$ncached" "$ndownloaded" "${#failed[@]}" \
    "$( ((${#failed[@]} == 0)) || printf ' (%s)' "${failed[*]}")"
printf '%s: corpus %s: %d .service files, %d .service aliases, %d .service masks (-> /dev/null), %d drop-ins, %d unit files of all types\n' \
    "$PROG" "$OUT" "$svc_files" "$svc_aliases" "$svc_masks" "$dropins" "$units_all"
((ncollide == 0)) || printf '%s: %d path collision(s) between packages (see warnings)\n' "$PROG" "$ncollide"
printf '%s: done in %ss\n' "$PROG" "$(elapsed)"

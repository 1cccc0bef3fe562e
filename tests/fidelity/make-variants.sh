#!/bin/bash
# make-variants.sh - synthetic units and drop-ins that exercise systemd 252's unit loading and
# drop-in merging rules, for the fidelity oracle (model vs. a real systemd in a test bed).
#
# Usage: make-variants.sh [--no-global] OUTDIR
#
# Writes a root fragment into OUTDIR:
#   OUTDIR/etc/systemd/system{,.control,.attached}/...   OUTDIR/run/systemd/{system,system.control,transient}/...
#   OUTDIR/run/systemd/generator{,.early,.late}/...      OUTDIR/{lib,usr/lib,usr/local/lib}/systemd/system/...
#   OUTDIR/etc/hcv-fidelity/...          linked unit files (targets outside the unit search path) and a copy
#                                        of the generator directories, replayed in a live systemd by
#   OUTDIR/etc/systemd/system-generators/hcv-fidelity-generator
#                                        (PID 1 empties /run/systemd/generator* on every daemon-reload, so
#                                        files copied there by hand vanish; this generator puts them back)
#   OUTDIR/VARIANTS.txt                  the units to compare: "NAME<TAB># rule: description", one a line;
#                                        '#' lines are comments (the deliberately masked units are listed
#                                        in comments at the end: they do not load)
#   OUTDIR/.hcv-variants.bad             the unit files that are invalid on purpose (systemd refuses them:
#                                        LoadState=bad-setting); their VARIANTS.txt lines end in "[bad-setting]"
#   OUTDIR/.hcv-variants.files           what this script created (removed again on the next run, so
#                                        OUTDIR may also hold other files, e.g. the corpus of build-corpus.sh)
#
# --no-global  leave out the drop-ins that apply to EVERY service of the root (top-level service.d/,
#              system.slice.d/); their variants are then not listed either. Use it when OUTDIR is shared
#              with a corpus whose own values must stay as packaged.
#
# All variant units are Type=oneshot, ExecStart=/bin/true services named hcv-<rule>-<n>.service
# (templates hcv-<rule>-<n>@.service, aliases hcv-<rule>-<n><letter>.service, slices hcvslice*.slice).
# Addresses are from the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
# 2001:db8::/32), so even the global drop-ins block nothing real. Paths in ReadWritePaths= either exist
# on any Debian system (/var/lib, /run, /var/tmp, ...) or carry the '-' (ignore if missing) prefix.
# User= is only ever root or nobody. Expected values are not written here: the oracle takes them from
# the real systemd. Semantics: shared/research/mechanics.md section 4, systemd v252 src/shared/dropin.c,
# src/basic/unit-file.c, src/core/load-fragment.c, src/shared/conf-parser.c.
#
# Notes for whoever loads this into a live bed:
#   * Debian 12 beds are merged-/usr (/lib -> usr/lib): copy with
#     `tar -C OUTDIR -cf - . | tar -C ROOT --keep-directory-symlink -xf -` (plain `cp -a` refuses to
#     replace the /lib symlink by a directory). No file name here exists in both lib/ and usr/lib/.
#   * /run is a fresh tmpfs at boot and /run/systemd/transient is emptied when PID 1 starts: copy
#     OUTDIR/run/. after boot, then `systemctl daemon-reload`.
#   * systemctl show prints IPAddressAllow=/IPAddressDeny= in hash order: compare them as sets.

set -euo pipefail
shopt -s lastpipe   # "... | raw" must run raw in this shell (it records what it creates)
umask 022
PROG=make-variants.sh
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }

global=1
while (($# > 0)); do
    case $1 in
        --no-global) global=0; shift ;;
        -h|--help) sed -n '/^# Usage:/,/^# All variant/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        --) shift; break ;;
        -*) die "unknown option '$1' (see --help)" ;;
        *) break ;;
    esac
done
(($# == 1)) || die "usage: $PROG [--no-global] OUTDIR"
[[ -n $1 ]] || die "empty OUTDIR"
mkdir -p -- "$1" || die "cannot create '$1'"
OUT=$(cd -- "$1" && pwd -P)
[[ $OUT != / ]] || die "refusing to write into /"

# --- remove what an earlier run created --------------------------------------------------------
if [[ -f $OUT/.hcv-variants.files ]]; then
    while IFS= read -r f; do
        [[ $f == /* || $f == *..* || -z $f ]] && die "bad entry '$f' in $OUT/.hcv-variants.files"
        rm -f -- "${OUT:?}/$f"
    done <"$OUT/.hcv-variants.files"
    # now-empty directories that we made
    while IFS= read -r f; do
        d=${f%/*}
        while [[ $d == */* ]]; do
            rmdir -- "$OUT/$d" 2>/dev/null || break
            d=${d%/*}
        done
    done <"$OUT/.hcv-variants.files"
    rm -f -- "$OUT/.hcv-variants.files" "$OUT/.hcv-variants.bad" "$OUT/VARIANTS.txt"
fi

# --- directories of the unit search path (system mode), highest priority first -----------------
declare -A D=(
    [EC]=etc/systemd/system.control   [RC]=run/systemd/system.control  [T]=run/systemd/transient
    [GE]=run/systemd/generator.early  [E]=etc/systemd/system           [EA]=etc/systemd/system.attached
    [R]=run/systemd/system            [RA]=run/systemd/system.attached [G]=run/systemd/generator
    [UL]=usr/local/lib/systemd/system [L]=lib/systemd/system           [U]=usr/lib/systemd/system
    [GL]=run/systemd/generator.late
    [X]=etc/hcv-fidelity
)

created=()      # paths relative to OUT
variants=()     # "name<TAB># rule: description"
masked=()       # "name<TAB>why"
declare -A seen_path=() seen_variant=()

_target() {     # DIRKEY RELPATH -> path relative to OUT
    [[ -n ${D[$1]-} ]] || die "internal: unknown directory key '$1'"
    printf '%s/%s' "${D[$1]}" "$2"
}
_new() {        # relpath: check, mkdir, record
    local rel=$1
    [[ -z ${seen_path[$rel]-} ]] || die "internal: $rel written twice"
    [[ ! -e $OUT/$rel && ! -L $OUT/$rel ]] || die "'$OUT/$rel' already exists (not created by this script)"
    seen_path[$rel]=1
    mkdir -p -- "$OUT/${rel%/*}"
    created+=("$rel")
}
# raw DIRKEY RELPATH  (content on stdin, written byte for byte)
raw() {
    local rel
    rel=$(_target "$1" "$2")
    _new "$rel"
    cat >"$OUT/$rel"
}
hdr() { printf '[Unit]\nDescription=hardening-compat fidelity variant %s\n\n[Service]\nType=oneshot\nExecStart=/bin/true\n' "$1"; }
# unit DIRKEY NAME [SETTING...]: a loadable oneshot service with the settings in [Service]
unit() {
    local dk=$1 name=$2
    shift 2
    {
        hdr "$name"
        (($# == 0)) || printf '%s\n' "$@"
    } | raw "$dk" "$name"
}
# slice DIRKEY NAME [SETTING...]
slice() {
    local dk=$1 name=$2
    shift 2
    {
        printf '[Unit]\nDescription=hardening-compat fidelity slice %s\n\n[Slice]\n' "$name"
        (($# == 0)) || printf '%s\n' "$@"
    } | raw "$dk" "$name"
}
# dropin DIRKEY UNIT FILE [SETTING...]: UNIT.d/FILE with a [Service] section
dropin() {
    local dk=$1 u=$2 f=$3
    shift 3
    { printf '[Service]\n'; (($# == 0)) || printf '%s\n' "$@"; } | raw "$dk" "$u.d/$f"
}
# sdropin DIRKEY SLICE FILE [SETTING...]: the same for a slice ([Slice] section)
sdropin() {
    local dk=$1 u=$2 f=$3
    shift 3
    { printf '[Slice]\n'; (($# == 0)) || printf '%s\n' "$@"; } | raw "$dk" "$u.d/$f"
}
# link DIRKEY RELPATH TARGET
link() {
    local rel
    rel=$(_target "$1" "$2")
    _new "$rel"
    ln -s -- "$3" "$OUT/$rel"
}
nullmask() { link "$1" "$2" /dev/null; }
empty() { raw "$1" "$2" </dev/null; }
# v NAME RULE DESCRIPTION: a unit name the oracle compares; va: the same for an extra
# (alias) name of a unit that is already listed
nunits=0 ninst=0 nalias=0
v() {
    [[ -z ${seen_variant[$1]-} ]] || die "internal: variant $1 listed twice"
    [[ $1 =~ ^hcv-[a-z]+-[0-9a-z-]+(@[a-z0-9-]*)?\.service$ ]] || die "internal: bad variant name $1"
    seen_variant[$1]=1
    variants+=("$1"$'\t'"# $2: $3")
    if [[ $1 == *@* ]]; then ninst=$((ninst + 1)); else nunits=$((nunits + 1)); fi
}
va() {
    v "$@"
    if [[ $1 == *@* ]]; then ninst=$((ninst - 1)); else nunits=$((nunits - 1)); fi
    nalias=$((nalias + 1))
}
mask_note() { masked+=("$1"$'\t'"$2"); }
# vbad NAME RULE DESCRIPTION: a variant whose unit file (in /lib) systemd refuses
bad_files=()
vbad() {
    v "$1" "$2" "$3 [bad-setting]"
    bad_files+=("$(_target L "$1")")
}

# Distinct setting pairs for "which one wins" tests: sv K hi|lo N
sv() {
    local k=$1 side=$2 n=$3
    case $k:$side in
        0:hi) echo "RestrictAddressFamilies=AF_UNIX" ;;
        0:lo) echo "RestrictAddressFamilies=AF_INET6 AF_NETLINK" ;;
        1:hi) echo "SystemCallArchitectures=x86" ;;
        1:lo) echo "SystemCallArchitectures=x32 arm64" ;;
        2:hi) echo "IPAddressAllow=192.0.2.$n" ;;
        2:lo) echo "IPAddressAllow=203.0.113.$n" ;;
        3:hi) echo "IPAddressDeny=198.51.100.$n" ;;
        3:lo) echo "IPAddressDeny=2001:db8:$n::/48" ;;
        4:hi) echo "CapabilityBoundingSet=CAP_CHOWN CAP_SETUID" ;;
        4:lo) echo "CapabilityBoundingSet=CAP_NET_RAW" ;;
        5:hi) echo "ReadWritePaths=-/run/hcv/$n-hi" ;;
        5:lo) echo "ReadWritePaths=-/run/hcv/$n-lo /var/tmp" ;;
        6:hi) echo "ProtectSystem=strict" ;;
        6:lo) echo "ProtectSystem=full" ;;
        7:hi) echo "PrivateNetwork=yes" ;;
        7:lo) echo "PrivateNetwork=no" ;;
        *) die "internal: sv $*" ;;
    esac
}
dname() {   # printable directory name of a key
    printf '/%s' "${D[$1]}"
}

# =================================================================================================
# dsame: a drop-in file name present in two (or more) directories - only the highest-priority one
# is used. Pairs of directories, each with two settings so that applying the wrong file (or both)
# shows. The base unit lives in the lower directory's level or in /lib.
# =================================================================================================
n=0
for spec in "E L" "R L" "E R" "EC E" "RC E" "EC RC" "T E" "RC T" "GE E" "E G" "G L" \
            "L GL" "UL L" "GE GL" "R G" "U GL" "EA R" "T GE"; do
    read -r hi lo <<<"$spec"
    n=$((n + 1))
    name=hcv-dsame-$n.service
    k1=$(((n - 1) % 8)) k2=$(((n + 2) % 8))
    unit L "$name" "SystemCallArchitectures=native"
    dropin "$hi" "$name" 50-same.conf "$(sv "$k1" hi "$n")" "$(sv "$k2" hi "$n")"
    dropin "$lo" "$name" 50-same.conf "$(sv "$k1" lo "$n")" "$(sv "$k2" lo "$n")"
    v "$name" dsame "50-same.conf in $(dname "$hi") and $(dname "$lo"): the first wins"
done
# three and four directories with the same name
n=$((n + 1)); name=hcv-dsame-$n.service
unit L "$name" "RestrictAddressFamilies=AF_UNIX AF_INET"
dropin E "$name" 40-same.conf "RestrictAddressFamilies=~AF_INET" "PrivateNetwork=yes"
dropin R "$name" 40-same.conf "RestrictAddressFamilies=AF_PACKET" "PrivateNetwork=no"
dropin L "$name" 40-same.conf "RestrictAddressFamilies=" "IPAddressDeny=any"
v "$name" dsame "40-same.conf in /etc, /run and /lib: /etc wins"
n=$((n + 1)); name=hcv-dsame-$n.service
unit L "$name" "CapabilityBoundingSet=CAP_NET_BIND_SERVICE"
dropin T "$name" 40-same.conf "CapabilityBoundingSet=CAP_KILL" "ProtectSystem=yes"
dropin G "$name" 40-same.conf "CapabilityBoundingSet=~CAP_NET_BIND_SERVICE" "ProtectSystem=strict"
dropin L "$name" 40-same.conf "CapabilityBoundingSet=" "ProtectSystem=full"
dropin GL "$name" 40-same.conf "CapabilityBoundingSet=CAP_SYS_TIME" "ProtectSystem=no"
v "$name" dsame "40-same.conf in transient, generator, /lib, generator.late: transient wins"

# =================================================================================================
# dorder: drop-ins with different names from all directories are applied in file-name order,
# regardless of the directory.
# =================================================================================================
name=hcv-dorder-1.service
unit L "$name" "RestrictAddressFamilies=AF_UNIX"
dropin GL "$name" 10-a.conf "RestrictAddressFamilies=AF_INET"
dropin E "$name" 20-b.conf "RestrictAddressFamilies="
dropin L "$name" 30-c.conf "RestrictAddressFamilies=AF_NETLINK"
v "$name" dorder "10 (generator.late) adds, 20 (/etc) resets, 30 (/lib) adds"
name=hcv-dorder-2.service
unit L "$name" "ProtectSystem=full"
dropin E "$name" 10-x.conf "ProtectSystem=strict"
dropin L "$name" 20-x.conf "ProtectSystem=yes"
dropin GL "$name" 30-x.conf "ProtectSystem=no"
v "$name" dorder "last by name (generator.late 30-x) wins over /etc 10-x"
name=hcv-dorder-3.service
unit L "$name" "IPAddressDeny=any"
n=0
for dk in EC RC T GE E EA R RA G UL L U GL; do
    n=$((n + 1))
    # names sort in the reverse of the directory priority
    dropin "$dk" "$name" "$(printf '%02d' $((70 - n)))-d.conf" "IPAddressAllow=192.0.2.$n" "ReadWritePaths=-/run/hcv/dorder3-$n"
done
dropin R "$name" 63-reset.conf "ReadWritePaths=" "IPAddressAllow="
v "$name" dorder "one drop-in in each of the 13 search directories, plus a reset in the middle of the name order"
name=hcv-dorder-4.service
unit L "$name" "CapabilityBoundingSet=CAP_CHOWN"
dropin E "$name" a.conf "CapabilityBoundingSet=CAP_KILL"
dropin L "$name" B.conf "CapabilityBoundingSet=~CAP_CHOWN"
dropin R "$name" 9.conf "CapabilityBoundingSet=CAP_SYS_TIME"
v "$name" dorder "file names 9, B, a: byte order (strcmp), not locale order"
name=hcv-dorder-5.service
unit E "$name" "SystemCallArchitectures=native"
dropin L "$name" 10-a.conf "SystemCallArchitectures="
dropin E "$name" 20-a.conf "SystemCallArchitectures=x86"
dropin GE "$name" 05-a.conf "SystemCallArchitectures=arm64"
v "$name" dorder "05 generator.early adds, 10 /lib resets, 20 /etc adds"
name=hcv-dorder-6.service
unit L "$name" "PrivateNetwork=yes"
dropin T "$name" 90-z.conf "PrivateNetwork=no"
dropin EC "$name" 95-z.conf "PrivateNetwork=yes" "IPAddressDeny=203.0.113.6"
dropin RC "$name" 99-z.conf "IPAddressDeny=" "IPAddressDeny=203.0.113.66"
v "$name" dorder "transient 90, /etc control 95, /run control 99 in name order"
name=hcv-dorder-7.service
unit R "$name" "ReadWritePaths=/var/lib"
dropin G "$name" 10-rw.conf "ReadWritePaths=-/run/hcv/dorder7-g"
dropin UL "$name" 20-rw.conf "ReadWritePaths=-/run/hcv/dorder7-ul"
dropin U "$name" 30-rw.conf "ReadWritePaths=-/run/hcv/dorder7-u"
dropin L "$name" 40-rw.conf "ReadWritePaths=-/run/hcv/dorder7-l"
v "$name" dorder "ReadWritePaths= appended in name order from generator, /usr/local/lib, /usr/lib, /lib"
name=hcv-dorder-8.service
unit L "$name" "RestrictAddressFamilies=~AF_PACKET"
dropin E "$name" 10-z.conf "RestrictAddressFamilies=~AF_NETLINK"
dropin E "$name" 10-z.conf.d "RestrictAddressFamilies=none"
dropin L "$name" 10-y.conf "RestrictAddressFamilies=AF_PACKET"
v "$name" dorder "10-y (/lib) sorts before 10-z (/etc); 10-z.conf.d is not a .conf file"

# =================================================================================================
# dmask: a same-name drop-in that is a symlink to /dev/null or an empty file masks the lower one
# =================================================================================================
name=hcv-dmask-1.service
unit L "$name" "ProtectSystem=full"
dropin L "$name" 50-x.conf "ProtectSystem=strict" "RestrictAddressFamilies=AF_UNIX"
nullmask E "$name.d/50-x.conf"
v "$name" dmask "/etc 50-x.conf -> /dev/null masks /lib 50-x.conf"
name=hcv-dmask-2.service
unit L "$name" "PrivateNetwork=yes"
dropin L "$name" 50-x.conf "PrivateNetwork=no" "IPAddressAllow=192.0.2.2"
empty E "$name.d/50-x.conf"
v "$name" dmask "empty /etc 50-x.conf masks /lib 50-x.conf"
name=hcv-dmask-3.service
unit L "$name" "CapabilityBoundingSet=CAP_CHOWN CAP_KILL"
dropin E "$name" 50-x.conf "CapabilityBoundingSet=~CAP_KILL"
nullmask L "$name.d/50-x.conf"
v "$name" dmask "/dev/null in /lib is lower than the real /etc file: the /etc file applies"
name=hcv-dmask-4.service
unit L "$name" "SystemCallArchitectures=native"
dropin GL "$name" 50-x.conf "SystemCallArchitectures=x86"
nullmask R "$name.d/50-x.conf"
dropin L "$name" 60-y.conf "SystemCallArchitectures=arm64"
v "$name" dmask "/run mask of a generator.late drop-in; another name still applies"
name=hcv-dmask-5.service
unit L "$name" "ReadWritePaths=/var/lib"
dropin L "$name" 50-x.conf "ReadWritePaths="
empty T "$name.d/50-x.conf"
v "$name" dmask "empty file in transient masks a reset in /lib"
name=hcv-dmask-6.service
unit L "$name" "IPAddressDeny=any"
dropin L "$name" 50-x.conf "IPAddressAllow=localhost"
printf '# only a comment\n\n' | raw E "$name.d/50-x.conf"
v "$name" dmask "a comment-only /etc file also masks (not empty, but sets nothing)"
name=hcv-dmask-7.service
unit L "$name" "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6"
dropin L "$name" 50-x.conf "RestrictAddressFamilies=~AF_INET6"
nullmask GE "$name.d/50-x.conf"
dropin E "$name" 50-x.conf "RestrictAddressFamilies=~AF_INET"
v "$name" dmask "generator.early /dev/null beats /etc and /lib 50-x.conf"

# =================================================================================================
# uprec: the same unit file name in several directories - the first directory wins entirely; the
# drop-ins of all directories still apply. Masks (not compared) at the end.
# =================================================================================================
uprec() {   # N HI LO DESC HI-SETTING LO-SETTING [dropin-next-to-LO]
    local name=hcv-uprec-$1.service
    unit "$2" "$name" "$5"
    unit "$3" "$name" "$6" "PrivateNetwork=yes"
    [[ -z ${7-} ]] || dropin "$3" "$name" 50-lo.conf "$7"
    v "$name" uprec "$4"
}
uprec 1 E L "/etc beats /lib" "RestrictAddressFamilies=AF_UNIX" "RestrictAddressFamilies=AF_INET" "IPAddressDeny=192.0.2.1"
uprec 2 R L "/run beats /lib" "SystemCallArchitectures=x86" "SystemCallArchitectures=arm64" "ReadWritePaths=-/run/hcv/uprec2"
uprec 3 E R "/etc beats /run" "CapabilityBoundingSet=CAP_CHOWN" "CapabilityBoundingSet=CAP_KILL"
uprec 4 GE E "generator.early beats /etc" "ProtectSystem=strict" "ProtectSystem=full" "IPAddressAllow=192.0.2.4"
uprec 5 E G "/etc beats generator" "IPAddressDeny=any" "IPAddressDeny=localhost" "IPAddressAllow=192.0.2.5"
uprec 6 L GL "/lib beats generator.late" "ReadWritePaths=/var/lib" "ReadWritePaths=/var/tmp" "ReadWritePaths=-/run/hcv/uprec6"
uprec 7 EC E "/etc/systemd/system.control beats /etc" "IPAddressAllow=192.0.2.7" "IPAddressAllow=203.0.113.7"
uprec 8 RC L "/run/systemd/system.control beats /lib" "RestrictAddressFamilies=none" "RestrictAddressFamilies=~AF_INET"
uprec 9 T E "transient beats /etc" "SystemCallArchitectures=native x32" "SystemCallArchitectures=native"
uprec 10 UL L "/usr/local/lib beats /lib" "CapabilityBoundingSet=~CAP_SYS_ADMIN" "CapabilityBoundingSet=CAP_SYS_ADMIN"
uprec 11 R G "/run beats generator" "ProtectSystem=no" "ProtectSystem=strict" "ProtectSystem=full"
uprec 12 G UL "generator beats /usr/local/lib" "PrivateNetwork=yes" "IPAddressDeny=any"
uprec 13 U GL "/usr/lib beats generator.late" "ReadWritePaths=-/run/hcv/uprec13" "ReadWritePaths="
uprec 14 EA R "/etc/systemd/system.attached beats /run" "RestrictAddressFamilies=AF_INET6" "RestrictAddressFamilies=AF_UNIX"
name=hcv-uprec-15.service
unit L "$name" "ReadWritePaths=-%y -%Y"
unit E "$name" "ReadWritePaths=-%y -%Y"
dropin L "$name" 50-y.conf "ReadWritePaths=-%y/dropin"
v "$name" uprec "%y/%Y (path of the fragment used) in the /etc copy; %y in a /lib drop-in is still the fragment"
# an /etc mask does not hide a generator.early unit (higher directory), nor does a mask in
# generator.late hide a /lib unit: both load
name=hcv-uprec-16.service
unit GE "$name" "RestrictAddressFamilies=AF_UNIX AF_NETLINK"
nullmask E "$name"
v "$name" uprec "mask in /etc is below generator.early: the generator.early unit loads"
name=hcv-uprec-17.service
unit L "$name" "IPAddressAllow=link-local"
nullmask GL "$name"
v "$name" uprec "mask in generator.late is below /lib: the /lib unit loads"
# deliberately masked units (not compared)
unit L hcv-umask-1.service "PrivateNetwork=yes"
nullmask E hcv-umask-1.service
mask_note hcv-umask-1.service "/etc symlink to /dev/null masks the /lib unit"
unit L hcv-umask-2.service "PrivateNetwork=yes"
empty E hcv-umask-2.service
mask_note hcv-umask-2.service "empty /etc file masks the /lib unit"
unit E hcv-umask-3.service "PrivateNetwork=yes"
nullmask RC hcv-umask-3.service
mask_note hcv-umask-3.service "/run/systemd/system.control mask beats the /etc unit"
unit L hcv-umask-4.service "PrivateNetwork=yes"
dropin L hcv-umask-4.service 50-x.conf "PrivateNetwork=no"
nullmask R hcv-umask-4.service
mask_note hcv-umask-4.service "/run mask; drop-ins do not matter"

# =================================================================================================
# tpl: templates and instances. For an instance, systemd searches (per directory, highest first)
# NAME@INST.service.d then NAME@.service.d, so a same-name file in the instance directory overrides
# the template's in the same directory - but a template drop-in in a HIGHER directory wins.
# =================================================================================================
t=hcv-tpl-1
unit L "$t@.service" "RestrictAddressFamilies=AF_UNIX AF_INET"
dropin L "$t@.service" 10-a.conf "PrivateNetwork=yes" "IPAddressAllow=192.0.2.10"
dropin L "$t@x.service" 10-a.conf "PrivateNetwork=no"
dropin L "$t@x.service" 20-b.conf "RestrictAddressFamilies=~AF_INET"
v "$t@x.service" tpl "instance dir 10-a.conf overrides template dir 10-a.conf; 20-b instance-only"
v "$t@y.service" tpl "no instance dir: template drop-ins only"
t=hcv-tpl-2
unit L "$t@.service" "CapabilityBoundingSet=CAP_CHOWN"
dropin E "$t@.service" 10-a.conf "CapabilityBoundingSet=CAP_KILL" "ProtectSystem=strict"
dropin L "$t@x.service" 10-a.conf "CapabilityBoundingSet=CAP_NET_RAW" "ProtectSystem=full"
dropin E "$t@y.service" 20-b.conf "ProtectSystem=no"
dropin L "$t@.service" 20-b.conf "ProtectSystem=yes"
v "$t@x.service" tpl "/etc template 10-a.conf vs /lib instance 10-a.conf (directory first)"
v "$t@y.service" tpl "/etc instance 20-b.conf vs /lib template 20-b.conf"
v "$t@z.service" tpl "template drop-ins only"
t=hcv-tpl-3
unit L "$t@.service" "SystemCallArchitectures=native" "IPAddressDeny=any"
unit E "$t@special.service" "SystemCallArchitectures=x86" "PrivateNetwork=yes"
dropin L "$t@.service" 30-t.conf "IPAddressAllow=localhost"
v "$t@special.service" tpl "an instance unit file in /etc replaces the template; template drop-ins still apply"
v "$t@other.service" tpl "the template itself"
t=hcv-tpl-4
unit L "$t@.service" "ReadWritePaths=-/run/hcv/%i -/run/hcv/%n -/run/hcv/%N -/run/hcv/%p" "ProtectSystem=strict"
dropin L "$t@.service" 10-spec.conf "ReadWritePaths=-/%I -/run/hcv/%j/%J -/run/hcv/%P"
v "$t@var-lib-hcv.service" tpl "specifiers %i %n %N %p %I %j %J %P in ReadWritePaths (instance var-lib-hcv)"
v "$t@plain.service" tpl "the same specifiers, instance without dashes"
t=hcv-tpl-5
unit L "$t@.service" "User=nobody" "RestrictAddressFamilies=AF_UNIX"
dropin L "$t@.service" 10-a.conf "DynamicUser=yes" "ReadWritePaths=-%S/hcv-%i"
dropin L "$t@root.service" 10-a.conf "User=root" "ReadWritePaths=%t"
v "$t@dyn.service" tpl "template drop-in adds DynamicUser=yes (ProtectSystem becomes strict)"
v "$t@root.service" tpl "instance drop-in replaces it: User=root, no DynamicUser"
t=hcv-tpl-6
unit L "$t@.service" "IPAddressAllow=192.0.2.60"
link L "${t}a@.service" "$t@.service"
dropin L "${t}a@.service" 10-al.conf "IPAddressAllow=192.0.2.61" "PrivateNetwork=yes"
dropin E "${t}a@x.service" 20-al.conf "IPAddressAllow=192.0.2.62"
dropin L "$t@x.service" 15-in.conf "IPAddressAllow="
v "$t@x.service" tpl "template alias ${t}a@.service: drop-ins of the alias template and alias instance apply"
va "${t}a@x.service" tpl "the same unit by its alias-instance name"
v "$t@y.service" tpl "template alias drop-ins, no instance drop-ins"
t=hcv-tpl-7
unit L "$t@.service" "ProtectSystem=full"
dropin L "$t@.service" 10-a.conf "ProtectSystem=strict" "ReadWritePaths=/var/lib"
nullmask L "$t@x.service.d/10-a.conf"
v "$t@x.service" tpl "instance /dev/null masks the template drop-in of the same name"
v "$t@y.service" tpl "template drop-in applies"
t=hcv-tpl-8
unit E "$t@.service" "RestrictAddressFamilies=~AF_INET6" "ReadWritePaths=-/run/hcv/x%i"
dropin GE "$t@a.service" 10-a.conf "RestrictAddressFamilies=AF_INET6"
dropin E "$t@.service" 10-a.conf "RestrictAddressFamilies=~AF_PACKET"
v "$t@a.service" tpl "generator.early instance drop-in beats the /etc template drop-in"
v "$t@b.service" tpl "/etc template drop-in only"

# =================================================================================================
# alias: symlink aliases in /etc and /lib; drop-ins of the alias name apply to the unit and are
# ordered by file name together with the unit's own. For the same file name, the unit's own name
# is searched first (in every directory), then the aliases.
# =================================================================================================
name=hcv-alias-1.service
unit L "$name" "RestrictAddressFamilies=AF_UNIX AF_INET"
link E hcv-alias-1b.service /lib/systemd/system/hcv-alias-1.service
dropin E hcv-alias-1b.service 10-al.conf "RestrictAddressFamilies=AF_NETLINK"
dropin L "$name" 20-un.conf "RestrictAddressFamilies=~AF_INET"
dropin E hcv-alias-1b.service 30-al.conf "RestrictAddressFamilies=AF_PACKET"
v "$name" alias "/etc alias (absolute symlink): alias 10, unit 20, alias 30 interleaved by name"
va hcv-alias-1b.service alias "the same, by the alias name"
name=hcv-alias-2.service
unit L "$name" "PrivateNetwork=yes" "ProtectSystem=strict"
link L hcv-alias-2b.service hcv-alias-2.service
dropin L hcv-alias-2b.service 50-al.conf "PrivateNetwork=no"
dropin E hcv-alias-2b.service 60-al.conf "ReadWritePaths=/var/lib"
v "$name" alias "/lib alias (relative symlink) with drop-ins in /lib and /etc"
va hcv-alias-2b.service alias "the same, by the alias name"
name=hcv-alias-3.service
unit L "$name" "CapabilityBoundingSet=CAP_CHOWN"
link E hcv-alias-3b.service /lib/systemd/system/hcv-alias-3.service
dropin E hcv-alias-3b.service 50-x.conf "CapabilityBoundingSet=CAP_KILL" "IPAddressDeny=192.0.2.30"
dropin L "$name" 50-x.conf "CapabilityBoundingSet=CAP_NET_RAW" "IPAddressDeny=203.0.113.30"
v "$name" alias "same file name in /etc alias.d and /lib unit.d: the unit name is searched first"
va hcv-alias-3b.service alias "the same, by the alias name"
name=hcv-alias-4.service
unit L "$name" "SystemCallArchitectures=native"
link E hcv-alias-4b.service hcv-alias-4.service
dropin E hcv-alias-4b.service 10-x.conf "SystemCallArchitectures=x86"
v hcv-alias-4b.service alias "relative /etc symlink to a name that exists only in /lib (resolved by name)"
va "$name" alias "the same, by the real name"
name=hcv-alias-5.service
unit L "$name" "IPAddressAllow=192.0.2.50"
unit E "$name" "IPAddressAllow=203.0.113.50" "PrivateNetwork=yes"
link E hcv-alias-5b.service /lib/systemd/system/hcv-alias-5.service
v hcv-alias-5b.service alias "alias points at the /lib file, but the name resolves to the /etc override"
name=hcv-alias-6.service
unit L "$name" "ReadWritePaths=/var/lib"
link L hcv-alias-6b.service hcv-alias-6.service
link E hcv-alias-6c.service hcv-alias-6b.service
dropin E hcv-alias-6c.service 10-c.conf "ReadWritePaths=-/run/hcv/alias6c"
dropin L hcv-alias-6b.service 20-b.conf "ReadWritePaths=-/run/hcv/alias6b"
v hcv-alias-6c.service alias "alias chain 6c -> 6b -> 6; drop-ins of both aliases"
va "$name" alias "the same, by the real name"
name=hcv-alias-7.service
unit L "$name" "ProtectSystem=full"
link R hcv-alias-7b.service /lib/systemd/system/hcv-alias-7.service
dropin R hcv-alias-7b.service 10-x.conf "ProtectSystem=strict" "IPAddressAllow=multicast"
dropin L "$name" 05-x.conf "ProtectSystem=no"
v hcv-alias-7b.service alias "alias in /run"

# =================================================================================================
# pfx: prefix drop-ins. hcv-pfx-N.service also reads hcv-pfx-.service.d/; hcv-pfx-deep-N.service
# reads hcv-pfx-deep-.service.d/ and hcv-pfx-.service.d/. Per directory the order is unit name,
# longer prefix, shorter prefix (a same-name file further down the hierarchy wins), but a higher
# directory wins first. Instances use NAME-@INST / NAME-@ prefixes, not NAME-.
# (hcv-.service.d/ is never created: it would apply to every variant.)
# =================================================================================================
dropin L hcv-pfx-.service 10-pfx.conf "ProtectSystem=full" "IPAddressAllow=192.0.2.100"
dropin L hcv-pfx-deep-.service 10-pfx.conf "ProtectSystem=strict" "IPAddressAllow=192.0.2.101"
dropin E hcv-pfx-.service 20-pfx.conf "RestrictAddressFamilies=AF_UNIX"
dropin L hcv-pfx-@.service 10-pfx.conf "PrivateNetwork=yes" "IPAddressAllow=192.0.2.102"
unit L hcv-pfx-1.service "SystemCallArchitectures=native"
v hcv-pfx-1.service pfx "hcv-pfx-.service.d (/lib 10, /etc 20) applies"
unit L hcv-pfx-2.service "CapabilityBoundingSet=CAP_CHOWN"
dropin L hcv-pfx-2.service 10-pfx.conf "ProtectSystem=no"
v hcv-pfx-2.service pfx "unit 10-pfx.conf overrides the prefix 10-pfx.conf (same directory)"
unit L hcv-pfx-3.service "ReadWritePaths=/var/lib"
dropin L hcv-pfx-3.service 20-pfx.conf "RestrictAddressFamilies=AF_INET"
v hcv-pfx-3.service pfx "/etc prefix 20-pfx.conf beats /lib unit 20-pfx.conf (directory first)"
unit L hcv-pfx-4.service "IPAddressDeny=any"
nullmask E hcv-pfx-4.service.d/10-pfx.conf
v hcv-pfx-4.service pfx "/etc /dev/null masks the /lib prefix drop-in"
unit L hcv-pfx-deep-1.service "SystemCallArchitectures=native"
v hcv-pfx-deep-1.service pfx "hcv-pfx-deep-.service.d/10-pfx.conf overrides hcv-pfx-.service.d/10-pfx.conf"
unit L hcv-pfx-deep-2.service "CapabilityBoundingSet=CAP_KILL"
dropin E hcv-pfx-deep-2.service 20-pfx.conf "RestrictAddressFamilies=AF_NETLINK"
v hcv-pfx-deep-2.service pfx "/etc unit 20-pfx.conf beats /etc prefix 20-pfx.conf"
unit L hcv-pfx-deep-3.service "ReadWritePaths=/var/tmp"
nullmask L hcv-pfx-deep-3.service.d/10-pfx.conf
v hcv-pfx-deep-3.service pfx "unit /dev/null masks both prefix 10-pfx.conf files"
unit L hcv-pfx-deep-4.service "PrivateNetwork=yes"
dropin L hcv-pfx-deep-.service 30-deep.conf "PrivateNetwork=no" "ReadWritePaths=-/run/hcv/deep"
v hcv-pfx-deep-4.service pfx "deep-only 30-deep.conf (also seen by deep-1..3)"
unit L hcv-pfx-5@.service "RestrictAddressFamilies=AF_UNIX AF_INET6"
v hcv-pfx-5@a.service pfx "instance: hcv-pfx-@.service.d applies, hcv-pfx-.service.d does not"
dropin L hcv-pfx-5@b.service 10-pfx.conf "PrivateNetwork=no"
v hcv-pfx-5@b.service pfx "instance drop-in overrides the hcv-pfx-@ prefix drop-in"

# =================================================================================================
# top: top-level service.d/ drop-ins (apply to every service) are searched after all name-specific
# directories: a same-name unit drop-in (even in /lib) hides them; different names sort together.
# =================================================================================================
if ((global)); then
    dropin E service 10-hcv-top.conf "IPAddressAllow=198.51.100.10"
    dropin L service 10-hcv-top.conf "IPAddressAllow=198.51.100.11"
    dropin L service 60-hcv-top.conf "IPAddressAllow=198.51.100.60"
    unit L hcv-top-1.service "IPAddressDeny=any"
    v hcv-top-1.service top "service.d: /etc 10 hides /lib 10; /lib 60 applies"
    unit L hcv-top-2.service "IPAddressDeny=any"
    dropin L hcv-top-2.service 50-own.conf "IPAddressAllow=" "IPAddressAllow=192.0.2.200"
    v hcv-top-2.service top "own 50 resets after service.d 10, before service.d 60"
    unit L hcv-top-3.service "IPAddressDeny=any"
    dropin L hcv-top-3.service 10-hcv-top.conf "IPAddressAllow=192.0.2.201"
    v hcv-top-3.service top "own /lib 10-hcv-top.conf hides /etc service.d/10-hcv-top.conf"
    unit L hcv-top-4.service "IPAddressDeny=any"
    nullmask E hcv-top-4.service.d/60-hcv-top.conf
    v hcv-top-4.service top "own /dev/null masks service.d/60"
    unit L hcv-top-5.service "IPAddressAllow=any"
    dropin E hcv-top-5.service 99-own.conf "IPAddressAllow="
    v hcv-top-5.service top "own 99 resets everything"
    unit L hcv-top-6@.service "IPAddressDeny=any"
    dropin L hcv-top-6@.service 10-hcv-top.conf "IPAddressAllow=192.0.2.206"
    v hcv-top-6@i.service top "template drop-in hides service.d/10 for instances"
fi

# =================================================================================================
# raf: RestrictAddressFamilies= merging (load-fragment.c:config_parse_address_families)
# =================================================================================================
raf() {   # N DESC MAIN-VALUE DROPIN-VALUE...  (MAIN "-" = not set)
    local name=hcv-raf-$1.service desc=$2 main=$3 i=0
    shift 3
    if [[ $main == - ]]; then unit L "$name" "PrivateNetwork=no"; else unit L "$name" "RestrictAddressFamilies=$main"; fi
    for val in "$@"; do
        i=$((i + 1))
        dropin L "$name" "$i-raf.conf" "RestrictAddressFamilies=$val"
    done
    v "$name" raf "$desc"
}
raf 1 "allow list + AF_NETLINK" "AF_UNIX AF_INET" "AF_NETLINK"
raf 2 "deny list, then plain AF_NETLINK removes it from the deny list" "~AF_PACKET AF_NETLINK" "AF_NETLINK"
raf 3 "no setting + AF_NETLINK creates an allow list" - "AF_NETLINK"
raf 4 "none + AF_UNIX" "none" "AF_UNIX"
raf 5 "none + ~AF_INET: a fresh deny list" "none" "~AF_INET"
raf 6 "allow list, then ~AF_INET removes it" "AF_UNIX AF_INET" "~AF_INET"
raf 7 "empty resets, then AF_INET" "AF_UNIX" "" "AF_INET"
raf 8 "empty resets to unrestricted" "AF_UNIX" ""
raf 9 "none alone" "none"
raf 10 "two deny lists" "~AF_PACKET" "~AF_NETLINK"
raf 11 "a lone ~ makes an empty deny list; a later AF_INET removes nothing" "~" "AF_INET"
raf 12 "only an unknown family: the empty allow list is still created" - "AF_BOGUS"
raf 13 "unknown family in a deny list is skipped" "~AF_BOGUS AF_PACKET"
raf 14 "quoted words" "\"AF_UNIX\" 'AF_INET6'"
raf 15 "lower-case names are accepted (case-insensitive lookup)" "af_unix Af_Inet"
raf 16 "none, then empty: unrestricted" "none" ""
raf 17 "allow list, then none" "AF_UNIX AF_INET" "none"
raf 18 "removing families that are not in the list" "AF_INET AF_INET6" "~AF_INET6 AF_UNIX"
raf 19 "AF_LOCAL is AF_UNIX" "AF_LOCAL" "~AF_UNIX" "AF_UNIX"
raf 20 "deny list: ~AF_X adds, plain AF_X removes; ~ in the middle of a line is part of an (unknown) name" "~AF_INET" "~AF_INET6 AF_INET" "AF_INET6 ~AF_PACKET"
name=hcv-raf-21.service
unit L "$name" "RestrictAddressFamilies=AF_UNIX" "RestrictAddressFamilies=AF_INET" "RestrictAddressFamilies=~AF_UNIX"
v "$name" raf "several lines in one file"

# =================================================================================================
# sca: SystemCallArchitectures= (a union; empty resets; unknown names skipped)
# =================================================================================================
sca() {
    local name=hcv-sca-$1.service desc=$2 main=$3 i=0
    shift 3
    if [[ $main == - ]]; then unit L "$name" "PrivateNetwork=no"; else unit L "$name" "SystemCallArchitectures=$main"; fi
    for val in "$@"; do
        i=$((i + 1))
        dropin L "$name" "$i-sca.conf" "SystemCallArchitectures=$val"
    done
    v "$name" sca "$desc"
}
sca 1 "native + x86" "native" "x86"
sca 2 "native + empty" "native" ""
sca 3 "native and x86-64 are distinct entries" "native x86-64"
sca 4 "unknown architecture skipped" "x86 sparc99"
sca 5 "only an unknown architecture: no set is created" - "bogus-arch"
sca 6 "~ is not supported: ~x86 is an unknown name" "native" "~x86"
sca 7 "quoted word" "\"x32\""
sca 8 "reset in the middle" "native" "x86" "" "arm64 s390x"
sca 9 "no setting + x86 creates a restriction" - "x86"

# =================================================================================================
# ip: IPAddressAllow= / IPAddressDeny= (additive sets, empty resets, keywords, host bits masked)
# =================================================================================================
ipv() {
    local name=hcv-ip-$1.service desc=$2
    shift 2
    unit L "$name" "$1"
    shift
    local i=0
    for val in "$@"; do
        i=$((i + 1))
        dropin L "$name" "$i-ip.conf" "$val"
    done
    v "$name" ip "$desc"
}
ipv 1 "deny any + allow localhost and a /8" "IPAddressDeny=any" "IPAddressAllow=localhost 10.0.0.0/8"
ipv 2 "keywords link-local and multicast" "IPAddressAllow=link-local multicast" "IPAddressDeny=any"
ipv 3 "host bits are masked: 192.0.2.77/24, 2001:db8::1/32" "IPAddressDeny=192.0.2.77/24 2001:db8::1/32"
ipv 4 "bare addresses become /32 and /128" "IPAddressAllow=192.0.2.5 ::1 2001:db8::5"
ipv 5 "Deny= empty after any" "IPAddressDeny=any" "IPAddressDeny=" "IPAddressDeny=198.51.100.0/24"
ipv 6 "quoted address is invalid (no unquoting here) and skipped" "IPAddressAllow=\"192.0.2.6\" 192.0.2.66"
ipv 7 "invalid prefixes skipped: /33, 300.1.1.1, ::/129" "IPAddressDeny=192.0.2.0/33 300.1.1.1 ::/129 203.0.113.0/24"
ipv 8 "localhost spellings: localhost., foo.localhost, LOCALHOST.localdomain" "IPAddressAllow=localhost." "IPAddressAllow=foo.localhost" "IPAddressDeny=LOCALHOST.localdomain"
ipv 9 "duplicates and any vs 0.0.0.0/0 ::/0" "IPAddressDeny=any 0.0.0.0/0 ::/0 any"
ipv 10 "overlapping prefixes are kept as given" "IPAddressAllow=10.0.0.0/8 10.1.0.0/16 10.1.2.3"
ipv 11 "ip6-localhost and localhost6 are not keywords" "IPAddressAllow=192.0.2.11 ip6-localhost localhost6"
ipv 12 "Allow= reset then re-add, Deny untouched" "IPAddressAllow=192.0.2.12" "IPAddressAllow=" "IPAddressDeny=any" "IPAddressAllow=198.51.100.12/30"
ipv 13 "/0 and /32 edge prefixes, IPv4-mapped IPv6" "IPAddressDeny=192.0.2.13/32 ::ffff:192.0.2.13/128 198.51.100.0/0"
ipv 14 "prefix without address bits, CIDR on a keyword is invalid" "IPAddressAllow=any/8 localhost/8 203.0.113.14"
name=hcv-ip-15.service
unit L "$name" "IPAddressAllow=192.0.2.15" "IPAddressAllow=203.0.113.15" "IPAddressDeny=any" "IPAddressAllow="
v "$name" ip "several lines in one file, reset at the end"
ipv 16 "User=nobody with a deny list" "IPAddressDeny=any" "User=nobody" "IPAddressAllow=localhost"

# =================================================================================================
# cap: CapabilityBoundingSet= (load-fragment.c:config_parse_capability_set, unit_patch_contexts)
# =================================================================================================
cap() {
    local name=hcv-cap-$1.service desc=$2 main=$3 i=0
    shift 3
    if [[ $main == - ]]; then unit L "$name" "PrivateNetwork=no"; else unit L "$name" "CapabilityBoundingSet=$main"; fi
    for val in "$@"; do
        i=$((i + 1))
        dropin L "$name" "$i-cap.conf" "CapabilityBoundingSet=$val"
    done
    v "$name" cap "$desc"
}
cap 1 "positive + positive: union" "CAP_NET_ADMIN" "CAP_SYS_TIME"
cap 2 "~ + ~: all minus both" "~CAP_SYS_ADMIN" "~CAP_NET_ADMIN"
cap 3 "list, then ~ removes" "CAP_NET_ADMIN CAP_SYS_TIME" "~CAP_SYS_TIME"
cap 4 "~X then X: all again" "~CAP_SYS_ADMIN" "CAP_SYS_ADMIN"
cap 5 "empty value empties the set (does not restore the default)" "CAP_NET_ADMIN" ""
cap 6 "empty, then a positive list ORs into the empty set" "CAP_NET_ADMIN" "" "CAP_CHOWN"
cap 7 "a lone ~ means all; a positive list after it replaces" "~" "CAP_CHOWN"
cap 8 "unknown name only: sum 0 replaces (empty set)" "CAP_BOGUS"
cap 9 "~unknown: sum 0 inverted (all)" "~CAP_BOGUS"
cap 10 "numeric capability 12 = CAP_NET_ADMIN, lower-case names" "12 cap_chown"
cap 11 "no setting, positive list: replaces the initial all-set" - "CAP_KILL"
cap 12 "all named explicitly, then a positive list replaces (value equals the initial one)" "~" "CAP_KILL" "CAP_CHOWN"
cap 13 "quoted words" "'CAP_CHOWN' \"CAP_KILL\""
name=hcv-cap-14.service
unit L "$name" "CapabilityBoundingSet=CAP_MKNOD CAP_SYS_RAWIO CAP_CHOWN" "PrivateDevices=yes"
v "$name" cap "PrivateDevices=yes removes MKNOD and SYS_RAWIO"
name=hcv-cap-15.service
unit L "$name" "ProtectClock=yes" "ProtectKernelModules=yes" "ProtectKernelLogs=yes"
dropin L "$name" 10-cap.conf "CapabilityBoundingSet=CAP_SYS_TIME CAP_WAKE_ALARM CAP_SYS_MODULE CAP_SYSLOG CAP_KILL"
v "$name" cap "ProtectClock/KernelModules/KernelLogs remove their capabilities"
name=hcv-cap-16.service
unit L "$name" "ProtectKernelModules=yes"
v "$name" cap "no CapabilityBoundingSet=, ProtectKernelModules=yes: all but SYS_MODULE"
cap 17 "capability number 63 (beyond the kernel's last cap) and 64 (invalid)" "CAP_CHOWN 63 64"

# =================================================================================================
# rwp: ReadWritePaths= (additive, empty resets, '-' and '+' prefixes, specifiers, normalisation)
# =================================================================================================
rwp() {
    local name=hcv-rwp-$1.service desc=$2 main=$3 i=0
    shift 3
    unit L "$name" "ProtectSystem=strict" "ReadWritePaths=$main"
    for val in "$@"; do
        i=$((i + 1))
        dropin L "$name" "$i-rwp.conf" "ReadWritePaths=$val"
    done
    v "$name" rwp "$desc"
}
rwp 1 "additive" "/var/lib" "-/run/hcv/rwp1"
rwp 2 "empty resets, then -path" "/var/lib" "" "-/var/spool/hcv"
rwp 3 "'+' prefix and '-+' combined" "+/var/lib" "-+/run/hcv/rwp3"
rwp 4 "'+-' order is invalid (after '+', '-/x' is not absolute)" "/var/tmp" "+-/run/hcv/rwp4"
rwp 5 "directory specifiers %S %t %C %L %T %V %E" "%S" "%t %C %L" "%T %V -%E/hcv"
rwp 6 "unit-name specifiers %n %N %p %f %i (empty outside templates)" "-/run/hcv/%n" "-/run/hcv/%N.%p -/run/hcv%f -/run/hcv/x%i"
rwp 7 "unknown specifier %z: that word is skipped; a stray % at the end stays" "/var/lib" "-/run/hcv/%z /var/tmp -/run/hcv/pct%"
rwp 8 "relative path skipped" "/var/lib" "var/tmp -/run/hcv/rwp8"
rwp 9 "path normalisation: //var//lib/./hcv/ and a '..' component (skipped)" "-//var//lib/./hcv/" "-/var/lib/../tmp"
rwp 10 "quoted path with a space" "\"-/run/hcv/with space\" /var/tmp"
rwp 11 "%% and user specifiers %u %U %g %G %h" "-/run/hcv/100%%" "-/run/hcv/%u-%U-%g-%G -%h/hcv"
rwp 12 "duplicates are kept" "/var/lib /var/lib" "/var/lib"
name=hcv-rwp-13.service
unit L "$name" "User=nobody" "ReadWritePaths=-/run/hcv/%u"
v "$name" rwp "%u with User=nobody (the manager's user, root, not the unit's)"
name=hcv-rwp-14.service
unit L "$name" "ProtectSystem=strict" "ReadWritePaths=/var/lib" "ReadWritePaths=" "ReadWritePaths=-/run/hcv/rwp14"
v "$name" rwp "reset inside the unit file"

# =================================================================================================
# psys / pnet: plain values, the last assignment wins; invalid values are ignored
# =================================================================================================
psys() {
    local name=hcv-psys-$1.service desc=$2 main=$3 i=0
    shift 3
    unit L "$name" "ProtectSystem=$main"
    for val in "$@"; do
        i=$((i + 1))
        dropin L "$name" "$i-ps.conf" "$val"
    done
    v "$name" psys "$desc"
}
psys 1 "last wins: full, strict, yes" "full" "ProtectSystem=strict" "ProtectSystem=yes"
psys 2 "boolean spellings: true" "no" "ProtectSystem=true"
psys 3 "invalid value ignored (keeps full)" "full" "ProtectSystem=bogus"
psys 4 "empty value is invalid here (keeps strict, no reset)" "strict" "ProtectSystem="
psys 5 "DynamicUser=yes forces strict even after ProtectSystem=no" "no" "DynamicUser=yes"
psys 6 "off spelling: false" "strict" "ProtectSystem=false"
pnet() {
    local name=hcv-pnet-$1.service desc=$2 main=$3 i=0
    shift 3
    unit L "$name" "PrivateNetwork=$main"
    for val in "$@"; do
        i=$((i + 1))
        dropin L "$name" "$i-pn.conf" "$val"
    done
    v "$name" pnet "$desc"
}
pnet 1 "yes, then no" "yes" "PrivateNetwork=no"
pnet 2 "invalid value ignored" "yes" "PrivateNetwork=maybe"
pnet 3 "empty value is invalid for a boolean (ignored)" "yes" "PrivateNetwork="
pnet 4 "spellings: on, then 0" "off" "PrivateNetwork=on" "PrivateNetwork=0" "IPAddressDeny=any"

# =================================================================================================
# user: User=nobody / DynamicUser=yes combined with the compared settings
# =================================================================================================
name=hcv-user-1.service
unit L "$name" "User=nobody" "RestrictAddressFamilies=AF_UNIX" "SystemCallArchitectures=native"
v "$name" user "User=nobody with RAF and SCA"
name=hcv-user-2.service
unit L "$name" "DynamicUser=yes" "ProtectSystem=full" "ReadWritePaths=-%S/hcv-user-2"
v "$name" user "DynamicUser=yes with ProtectSystem=full (becomes strict)"
name=hcv-user-3.service
unit L "$name" "DynamicUser=yes" "CapabilityBoundingSet=CAP_NET_BIND_SERVICE"
dropin L "$name" 10-u.conf "DynamicUser=no" "ProtectSystem=full"
v "$name" user "DynamicUser=yes, drop-in DynamicUser=no: ProtectSystem stays full"
name=hcv-user-4.service
unit L "$name" "User=nobody" "CapabilityBoundingSet=" "PrivateNetwork=yes"
dropin L "$name" 10-u.conf "User=root"
v "$name" user "User=nobody replaced by root in a drop-in, empty bounding set"
name=hcv-user-5.service
unit L "$name" "User=nobody"
dropin L "$name" 10-u.conf "DynamicUser=yes" "IPAddressDeny=any" "IPAddressAllow=localhost"
v "$name" user "User=nobody + DynamicUser=yes"
name=hcv-user-6.service
unit L "$name" "DynamicUser=yes" "RestrictAddressFamilies=AF_UNIX AF_INET" "SystemCallArchitectures=native x86"
dropin L "$name" 10-u.conf "ProtectSystem=no" "ReadWritePaths=/var/tmp"
v "$name" user "DynamicUser=yes, ProtectSystem=no in a drop-in (still strict)"
name=hcv-user-7.service
unit L "$name" "User=root" "ProtectSystem=strict" "ReadWritePaths=/var/lib"
dropin L "$name" 10-u.conf "User=" "CapabilityBoundingSet=~CAP_SYS_ADMIN"
v "$name" user "explicit User=root, then User= (reset)"
name=hcv-user-8.service
unit L "$name" "User=nobody" "DynamicUser=no" "PrivateNetwork=yes" "RestrictAddressFamilies=none"
v "$name" user "User=nobody, DynamicUser=no, RAF none"

# =================================================================================================
# slice: slice settings do not change the service's own IPAddressAllow=/IPAddressDeny=
# =================================================================================================
slice L hcvslice.slice "IPAddressDeny=any"
sdropin L hcvslice.slice 10-s.conf "IPAddressAllow=localhost"
slice L hcvslice-inner.slice "IPAddressAllow=192.0.2.250"
name=hcv-slice-2.service
unit L "$name" "Slice=hcvslice.slice" "IPAddressDeny=192.0.2.9"
v "$name" slice "Slice=hcvslice.slice (IPAddressDeny=any there): own Deny only"
name=hcv-slice-3.service
unit L "$name" "Slice=hcvslice-inner.slice" "RestrictAddressFamilies=AF_INET"
v "$name" slice "nested slice hcvslice-inner.slice, no own IP settings"
name=hcv-slice-4.service
unit L "$name" "IPAddressAllow=203.0.113.4"
dropin L "$name" 10-s.conf "Slice=hcvslice.slice"
v "$name" slice "Slice= set in a drop-in"
if ((global)); then
    sdropin E system.slice 50-hcv.conf "IPAddressDeny=192.0.2.0/24"
    name=hcv-slice-1.service
    unit L "$name" "IPAddressAllow=198.51.100.1"
    v "$name" slice "system.slice.d/50-hcv.conf sets IPAddressDeny on system.slice: own values unchanged"
fi

# =================================================================================================
# syn: file syntax - continuation lines, comments inside them, CRLF, BOM, quoting, odd spacing
# =================================================================================================
synunit() {   # N DESC  (body after the [Service] header on stdin)
    local name=hcv-syn-$1.service
    { hdr "$name"; cat; } | raw L "$name"
    v "$name" syn "$2"
}
synunit 1 "continuation lines" <<'EOF'
RestrictAddressFamilies=AF_UNIX \
    AF_INET \
    AF_INET6
IPAddressDeny=192.0.2.0/24 \
  198.51.100.0/24
EOF
synunit 2 "comment lines inside a continuation are dropped, the continuation goes on" <<'EOF'
RestrictAddressFamilies=AF_UNIX \
# AF_NETLINK \
; AF_PACKET \
    AF_INET
CapabilityBoundingSet=CAP_CHOWN \
  # CAP_KILL
EOF
name=hcv-syn-3.service
{ hdr "$name"; printf 'ReadWritePaths=/var/lib \\\n  -/run/hcv/syn3\nPrivateNetwork=yes\nSystemCallArchitectures=native x86\n'; } \
    | sed 's/$/\r/' | raw L "$name"
v "$name" syn "CRLF line ends everywhere, including a continuation"
name=hcv-syn-4.service
{ printf '\xef\xbb\xbf'; hdr "$name"; printf 'ProtectSystem=strict\nIPAddressAllow=localhost\n'; } | raw L "$name"
v "$name" syn "UTF-8 BOM before [Unit]"
name=hcv-syn-5.service
unit L "$name" "RestrictAddressFamilies=AF_UNIX"
{ printf '\xef\xbb\xbf[Service]\r\n'; printf 'RestrictAddressFamilies=AF_INET\r\nPrivateNetwork=yes\r\n'; } | raw E "$name.d/10-bom.conf"
v "$name" syn "drop-in with a BOM and CRLF"
synunit 6 "quoted words across settings" <<'EOF'
RestrictAddressFamilies="AF_UNIX" 'AF_INET'
CapabilityBoundingSet="CAP_CHOWN CAP_KILL"
ReadWritePaths="/var/lib" '-/run/hcv/quoted path'
SystemCallArchitectures='native'
EOF
synunit 7 "spaces around '=', leading blanks, trailing blanks, ';' comment" <<'EOF'
  RestrictAddressFamilies  =  AF_UNIX AF_NETLINK   
; RestrictAddressFamilies=none
	PrivateNetwork = yes
IPAddressAllow =192.0.2.7   
EOF
synunit 8 "a second [Service] section and an unknown section" <<'EOF'
ProtectSystem=full

[X-HCV]
ProtectSystem=no

[Service]
ProtectSystem=strict
ReadWritePaths=/var/tmp
EOF
name=hcv-syn-9.service
unit L "$name" "SystemCallArchitectures=native"
printf 'SystemCallArchitectures=x86\nPrivateNetwork=yes\n' | raw L "$name.d/10-nosection.conf"
v "$name" syn "drop-in without a section header: assignments ignored"
name=hcv-syn-10.service
unit L "$name" "CapabilityBoundingSet=CAP_CHOWN"
printf '[Unit]\nCapabilityBoundingSet=CAP_KILL\n\n[Service]\nIPAddressDeny=any\n' | raw L "$name.d/10-unit.conf"
v "$name" syn "setting in the wrong section ([Unit]) is ignored"
name=hcv-syn-11.service
unit L "$name" "IPAddressDeny=any"
printf '[Service]\nIPAddressAllow=192.0.2.111 \\\n' | raw L "$name.d/10-eof.conf"
v "$name" syn "drop-in ending in a continuation backslash at EOF"
synunit 12 "a double backslash at the end is no continuation" <<'EOF'
ReadWritePaths=/var/lib -/run/hcv/syn12\\
ProtectSystem=strict
EOF
name=hcv-syn-13.service
{ hdr "$name"; printf 'RestrictAddressFamilies=AF_UNIX\rPrivateNetwork=yes\rIPAddressAllow=192.0.2.13\n'; } | raw L "$name"
v "$name" syn "bare CR line ends (old Mac style) also end lines"
synunit 14 "long continuation mixing comments and blank-ish lines" <<'EOF'
IPAddressAllow=192.0.2.140 \
  # a comment \
  192.0.2.141 \
	\
  192.0.2.142
IPAddressDeny=any
EOF
synunit 15 "lower-case key names are unknown (keys are case-sensitive)" <<'EOF'
restrictaddressfamilies=AF_UNIX
PrivateNetwork=yes
EOF

# =================================================================================================
# ign: files in a .d/ directory that are not drop-ins
# =================================================================================================
name=hcv-ign-1.service
unit L "$name" "ProtectSystem=full"
dropin E "$name" 10-x.conf.disabled "ProtectSystem=no"
dropin E "$name" 20-x.cfg "ProtectSystem=no"
dropin E "$name" 30-x.conf "ReadWritePaths=/var/lib"
v "$name" ign "only *.conf: .conf.disabled and .cfg ignored"
name=hcv-ign-2.service
unit L "$name" "PrivateNetwork=yes"
dropin E "$name" .10-hidden.conf "PrivateNetwork=no"
dropin E "$name" 20-x.conf~ "PrivateNetwork=no"
dropin E "$name" 30-x.conf "IPAddressDeny=any"
v "$name" ign "hidden .conf and backup~ files ignored"
name=hcv-ign-3.service
unit L "$name" "RestrictAddressFamilies=AF_UNIX"
dropin L "$name" 10-x.conf "RestrictAddressFamilies=AF_INET"
link E "$name.d/10-x.conf" /etc/hcv-fidelity/does-not-exist.conf
v "$name" ign "dangling same-name symlink in /etc: /lib 10-x.conf is still hidden"
name=hcv-ign-4.service
unit L "$name" "SystemCallArchitectures=native"
dropin L "$name" 10-x.conf "SystemCallArchitectures=x86"
link E "$name.d/20-y.conf" ../../../hcv-fidelity/dropins/hcv-ign-4-20-y.conf
printf '[Service]\nSystemCallArchitectures=x32\nPrivateNetwork=yes\n' | raw X dropins/hcv-ign-4-20-y.conf
v "$name" ign "drop-in that is a (relative) symlink to a file outside the search path is read"

# =================================================================================================
# usr: /usr/lib and /usr/local/lib (no name exists in both lib/ and usr/lib/)
# =================================================================================================
name=hcv-usr-1.service
unit U "$name" "RestrictAddressFamilies=AF_UNIX AF_INET"
dropin L "$name" 10-l.conf "RestrictAddressFamilies=~AF_INET"
v "$name" usr "unit in /usr/lib, drop-in in /lib"
name=hcv-usr-2.service
unit L "$name" "ProtectSystem=strict"
dropin U "$name" 10-u.conf "ReadWritePaths=/var/lib"
v "$name" usr "unit in /lib, drop-in in /usr/lib"
name=hcv-usr-3.service
unit UL "$name" "CapabilityBoundingSet=CAP_CHOWN"
dropin UL "$name" 10-ul.conf "CapabilityBoundingSet=CAP_KILL"
dropin L "$name" 20-l.conf "CapabilityBoundingSet=~CAP_CHOWN"
v "$name" usr "unit and drop-in in /usr/local/lib, drop-in in /lib"
name=hcv-usr-4.service
unit U "$name" "IPAddressDeny=any"
dropin UL "$name" 10-x.conf "IPAddressAllow=192.0.2.44"
dropin U "$name" 10-x.conf "IPAddressAllow=203.0.113.44"
v "$name" usr "same name in /usr/local/lib and /usr/lib: /usr/local/lib wins"

# =================================================================================================
# link: linked unit files (symlinks to files outside the search path, as `systemctl link` makes)
# =================================================================================================
printf '[Unit]\nDescription=hardening-compat fidelity linked unit\n\n[Service]\nType=oneshot\nExecStart=/bin/true\nRestrictAddressFamilies=AF_UNIX\nReadWritePaths=-/run/hcv/%%n\n' \
    | raw X linked/hcv-link-1.service
link E hcv-link-1.service /etc/hcv-fidelity/linked/hcv-link-1.service
dropin E hcv-link-1.service 10-x.conf "PrivateNetwork=yes"
v hcv-link-1.service link "linked unit file in /etc (absolute symlink, as systemctl link makes) with a drop-in"
printf '[Unit]\nDescription=hardening-compat fidelity linked unit\n\n[Service]\nType=oneshot\nExecStart=/bin/true\nIPAddressDeny=any\nReadWritePaths=-/run/hcv/%%n\n' \
    | raw X linked/other-name.service
link E hcv-link-2.service ../../hcv-fidelity/linked/other-name.service
dropin L hcv-link-2.service 10-x.conf "IPAddressAllow=localhost"
v hcv-link-2.service link "linked unit file (relative symlink) whose target has another name (%n is the link name)"

# =================================================================================================
# The settings of the PAM work: ReadOnlyPaths=, InaccessiblePaths=, SupplementaryGroups=,
# ProtectHome=, PrivateDevices=, PrivateTmp=, PrivateUsers=, RestrictNamespaces=, DevicePolicy=,
# DeviceAllow= (load-fragment.c, unit_patch_contexts()). mv RULE KEY N DESC MAIN DROPIN...: KEY=MAIN
# in the unit ("-": not set), one drop-in per further value, in that order.
# =================================================================================================
mv() {
    local rule=$1 key=$2 name=hcv-$1-$3.service desc=$4 main=$5 i=0
    shift 5
    if [[ $main == - ]]; then unit L "$name"; else unit L "$name" "$key=$main"; fi
    for val in "$@"; do
        i=$((i + 1))
        dropin L "$name" "$i-$rule.conf" "$key=$val"
    done
    v "$name" "$rule" "$desc"
}
# ReadOnlyPaths= / InaccessiblePaths= (config_parse_namespace_path_strv, as ReadWritePaths=)
mv rop ReadOnlyPaths 1 "additive" "/usr/share" "-/run/hcv/rop1 /var/lib"
mv rop ReadOnlyPaths 2 "empty resets, then a '-+' path" "/usr/share" "" "-+/run/hcv/rop2"
mv rop ReadOnlyPaths 3 "duplicates are kept; '-' and '+'" "/etc /etc" "-/etc +/etc"
mv rop ReadOnlyPaths 4 "specifiers %S %C %t %n, normalisation" "-%S/%n" "-//run//hcv/./%n/ %C" "-%t/hcv"
mv rop ReadOnlyPaths 5 "relative, '..', unknown specifier and '+-' skipped" "/usr/share" "var/lib /var/../etc -/run/hcv/%z +-/run/hcv/rop5"
mv rop ReadOnlyPaths 6 "old name ReadOnlyDirectories=" - "/usr/share"
name=hcv-rop-6.service
dropin L "$name" 9-old.conf "ReadOnlyDirectories=/etc" "ReadOnlyPaths=-/run/hcv/rop6"
mv rop ReadOnlyPaths 7 "quoted path with a space, and a trailing reset" "\"-/run/hcv/a b\" /etc" "/var/lib" ""
mv inacc InaccessiblePaths 1 "additive" "/srv" "-/run/hcv/inacc1 /opt"
mv inacc InaccessiblePaths 2 "empty resets" "/srv" "" "-/run/hcv/inacc2"
mv inacc InaccessiblePaths 3 "'-' and '+', duplicates" "-/mnt" "+/mnt -+/run/hcv/inacc3 /mnt"
mv inacc InaccessiblePaths 4 "specifiers and normalisation" "-/run/hcv/%p/%i" "-/run//hcv/./inacc4/"
name=hcv-inacc-5.service
unit L "$name" "InaccessibleDirectories=/srv" "ReadOnlyPaths=/opt" "ReadWritePaths=/var/tmp" "InaccessiblePaths=-/run/hcv/inacc5"
v "$name" inacc "old name InaccessibleDirectories=, with the other two lists"
# SupplementaryGroups= (config_parse_user_group_strv_compat: no unquoting, relaxed names, fatal errors)
mv sgrp SupplementaryGroups 1 "additive" "adm" "shadow 0"
mv sgrp SupplementaryGroups 2 "empty resets" "adm" "" "shadow"
mv sgrp SupplementaryGroups 3 "quotes are part of the name" "\"adm\"" "'shadow'"
mv sgrp SupplementaryGroups 4 "relaxed names: leading '-', '@', '.', non-ASCII" "-hcv" "a@b.c x.y grüppe"
mv sgrp SupplementaryGroups 5 "specifiers %p %u %g" "%p-g" "%u %g"
mv sgrp SupplementaryGroups 6 "duplicates are kept" "adm adm" "adm"
name=hcv-sgrp-7.service
unit L "$name" "SupplementaryGroups=adm"
dropin L "$name" 1-sgrp.conf "SupplementaryGroups=shadow 65535 staff" "ProtectHome=yes" "SupplementaryGroups=nogroup"
dropin L "$name" 2-sgrp.conf "SupplementaryGroups=users"
v "$name" sgrp "an invalid name in a drop-in: the words before it stay, the rest of that drop-in is ignored"
name=hcv-sgrp-8.service
unit L "$name" "SupplementaryGroups=adm" "SupplementaryGroups=01"
vbad "$name" sgrp "an invalid name (leading zero) in the unit file"
name=hcv-sgrp-9.service
unit L "$name" "SupplementaryGroups=a:b"
vbad "$name" sgrp "a ':' in the unit file"
name=hcv-sgrp-10.service
unit L "$name" "SupplementaryGroups=4294967294 -1x"
v "$name" sgrp "the largest valid GID and a name starting with -1"
name=hcv-sgrp-11.service
unit L "$name" "SupplementaryGroups=-1"
vbad "$name" sgrp "a negative number"
name=hcv-user-9.service
unit L "$name" "User=-hcv" "PrivateNetwork=yes"
v "$name" user "User=-hcv is a valid (relaxed) name"
name=hcv-user-10.service
unit L "$name" "User=65535"
vbad "$name" user "User=65535 is no valid UID"
name=hcv-user-11.service
unit L "$name" "User=0" "SupplementaryGroups=0"
v "$name" user "User=0, SupplementaryGroups=0"
# ProtectHome= (enum with boolean spellings; an invalid or empty value is ignored)
mv phome ProtectHome 1 "last wins: read-only, tmpfs" "read-only" "tmpfs"
mv phome ProtectHome 2 "boolean spellings" "on" "0" "true"
mv phome ProtectHome 3 "invalid and empty values ignored" "read-only" "Tmpfs" "" "readonly"
mv phome ProtectHome 4 "yes" "yes"
name=hcv-phome-5.service
unit L "$name" "DynamicUser=yes"
v "$name" phome "DynamicUser=yes makes ProtectHome=no read-only"
name=hcv-phome-6.service
unit L "$name" "DynamicUser=yes" "ProtectHome=tmpfs"
v "$name" phome "DynamicUser=yes keeps ProtectHome=tmpfs"
# PrivateDevices=, PrivateTmp=, PrivateUsers= (booleans)
mv pdev PrivateDevices 1 "yes, then no" "yes" "no"
mv pdev PrivateDevices 2 "invalid and empty ignored" "yes" "maybe" ""
mv ptmp PrivateTmp 1 "yes, then off" "yes" "off"
name=hcv-ptmp-2.service
unit L "$name" "PrivateTmp=no" "DynamicUser=yes"
v "$name" ptmp "DynamicUser=yes forces PrivateTmp=yes"
mv pusr PrivateUsers 1 "no, then 1" "no" "1"
mv pusr PrivateUsers 2 "invalid value ignored" "yes" "self"
# RestrictNamespaces= (config_parse_restrict_namespaces)
mv rns RestrictNamespaces 1 "yes" "yes"
mv rns RestrictNamespaces 2 "a list, then more" "uts net" "mnt"
mv rns RestrictNamespaces 3 "~list" "~user net"
mv rns RestrictNamespaces 4 "list, then ~ removes from it" "net mnt ipc" "~mnt"
mv rns RestrictNamespaces 5 "~list, then a list adds back" "~user net" "user"
mv rns RestrictNamespaces 6 "a boolean replaces, a later ~list merges into it" "net" "no" "~user"
mv rns RestrictNamespaces 7 "empty resets, then ~pid is a fresh list" "yes" "" "~pid"
mv rns RestrictNamespaces 8 "time alone" "time"
mv rns RestrictNamespaces 9 "time in a list" "net time"
mv rns RestrictNamespaces 10 "~time" "~time"
mv rns RestrictNamespaces 11 "an unknown word ignores the whole line" "net" "mnt bogus"
mv rns RestrictNamespaces 12 "a lone ~, and ~ merging nothing" "~" "ipc" "~"
mv rns RestrictNamespaces 13 "every type listed is 'no'" "cgroup ipc net mnt pid user" "uts"
mv rns RestrictNamespaces 14 "yes, then a list" "yes" "mnt"
mv rns RestrictNamespaces 15 "all types removed one by one" "~cgroup ipc" "~net mnt pid" "~user uts"
mv rns RestrictNamespaces 16 "upper case and quotes are not accepted" "net" "NET" "\"mnt\""
mv rns RestrictNamespaces 17 "time, then ~time" "time net" "~time"
# DevicePolicy=, DeviceAllow= (cgroup context; LIST_PREPEND, so systemctl shows the newest first)
mv dpol DevicePolicy 1 "last wins" "strict" "closed"
mv dpol DevicePolicy 2 "invalid and empty ignored" "closed" "Strict" "" "open"
name=hcv-dpol-3.service
unit L "$name" "PrivateDevices=yes"
v "$name" dpol "PrivateDevices=yes: closed"
name=hcv-dpol-4.service
unit L "$name" "PrivateDevices=yes" "DevicePolicy=strict"
v "$name" dpol "PrivateDevices=yes keeps an explicit strict"
name=hcv-dpol-5.service
unit L "$name" "PrivateDevices=yes"
dropin L "$name" 1-dpol.conf "DevicePolicy=auto"
v "$name" dpol "PrivateDevices=yes turns an explicit auto into closed"
mv dall DeviceAllow 1 "order: newest first" "/dev/null rw" "char-hidraw r" "block-loop rwm"
mv dall DeviceAllow 2 "no rights is rwm; rights in any order" "/dev/null" "/dev/zero mwr" "/dev/full rrw"
mv dall DeviceAllow 3 "empty resets" "/dev/null rw" "" "/dev/zero r"
mv dall DeviceAllow 4 "duplicates are kept" "/dev/null r" "/dev/null r" "/dev/null w"
mv dall DeviceAllow 5 "invalid rights, paths outside /dev, '..', relative paths are ignored" "/dev/null rx" "/etc/passwd r" "/dev/../dev/null r" "dev/null r" "/dev/zero r w"
mv dall DeviceAllow 6 "normalisation and quoting" "//dev//./null/ w" "\"/dev/sd a\" r" "'/dev/zero' 'r'"
mv dall DeviceAllow 7 "specifiers" "/dev/hcv-%p r" "char-%p" "/dev/%z r"
mv dall DeviceAllow 8 "globs and numbers as classes" "char-usb_*" "block-*" "char-189 r"
mv dall DeviceAllow 9 "/dev itself, /run/systemd/inaccessible/ paths" "/dev" "/run/systemd/inaccessible/chr r" "/run/systemd/inaccessiblex r"
name=hcv-dall-10.service
unit L "$name" "ProtectClock=yes" "DeviceAllow=/dev/null r"
v "$name" dall "ProtectClock=yes adds char-rtc r once there is a list"
name=hcv-dall-11.service
unit L "$name" "ProtectClock=yes" "PrivateDevices=yes"
v "$name" dall "ProtectClock=yes adds char-rtc r with PrivateDevices=yes (closed)"
name=hcv-dall-12.service
unit L "$name" "ProtectClock=yes"
v "$name" dall "ProtectClock=yes alone: no list, policy auto"
name=hcv-dall-13.service
unit L "$name" "ProtectClock=yes" "DeviceAllow=/dev/null r"
dropin L "$name" 1-dall.conf "DeviceAllow="
v "$name" dall "ProtectClock=yes, list reset: char-rtc is not added"
name=hcv-dall-14.service
unit L "$name" "DeviceAllow=/dev/null r" "DeviceAllow=/dev/zero rw" "DeviceAllow=" "DeviceAllow=char-pts rw" "DevicePolicy=strict"
v "$name" dall "several lines in one file, reset in the middle"
# the same settings from several directories and a template
t=hcv-pamset-1
unit L "$t@.service" "ReadOnlyPaths=-/run/hcv/%i" "RestrictNamespaces=~%i" "DeviceAllow=/dev/hcv-%i r" "SupplementaryGroups=g-%i"
dropin E "$t@.service" 10-a.conf "ProtectHome=tmpfs" "InaccessiblePaths=-/run/hcv/%I" "RestrictNamespaces=mnt"
dropin L "$t@net.service" 10-a.conf "ProtectHome=read-only" "DeviceAllow=char-%i rw"
v "$t@net.service" pamset "specifiers in the new settings; /etc template drop-in beats the /lib instance one"
v "$t@user.service" pamset "the same, instance user"

# =================================================================================================
# BindPaths=, BindReadOnlyPaths= (config_parse_bind_paths: one list for both, ':' and whitespace
# end a part without coalescing, '-' after specifier expansion; systemctl show splits the list
# by read_only). The mail strategy binds msmtp over /usr/sbin/sendmail with these.
# =================================================================================================
mv bind BindReadOnlyPaths 1 "additive; source only; source:destination" "/usr/share" "-/run/hcv/bind1:/run/hcv/b1"
mv bind BindReadOnlyPaths 2 "empty resets" "/usr/share" "" "/etc:/run/hcv/b2"
mv bind BindReadOnlyPaths 3 "rbind, norbind, an unknown option skips the entry" "/usr:/run/hcv/b3a:norbind" "/etc:/run/hcv/b3b:rbind /var:/run/hcv/b3c:bogus"
mv bind BindReadOnlyPaths 4 "'-' after specifiers, normalisation, duplicates kept" "-/run/hcv/%n" "-//run//hcv/./b4/:/run/hcv/b4b/ /etc /etc"
mv bind BindReadOnlyPaths 5 "relative, '..', an empty destination are skipped" "/usr/share" "run/hcv /var/../etc /etc: /etc::/x"
mv bind BindReadOnlyPaths 6 "quoting; whitespace ends the destination" "\"/etc\":'/run/hcv/b6 x' /usr:/run/hcv/b6b norbind"
mv bind BindPaths 9 "additive, with options" "/var/tmp" "-/run/hcv/bind-rw1:/run/hcv/rw1:norbind"
name=hcv-bind-7.service
unit L "$name" "BindPaths=/var/tmp" "BindReadOnlyPaths=/usr/share:/run/hcv/b7"
dropin L "$name" 1-bind.conf "BindReadOnlyPaths=/etc:/run/hcv/b7b"
dropin L "$name" 2-bind.conf "BindPaths=" "BindReadOnlyPaths=-/run/hcv/b7c"
v "$name" bind "one list: an empty BindPaths= resets the read-only entries too"
name=hcv-bind-8.service
unit L "$name" "BindReadOnlyPaths=-/usr/bin/msmtp:/usr/sbin/sendmail" "BindReadOnlyPaths=-/etc/systemd/system/%n.d/zz-hardening-compat.sendmail:/usr/sbin/sendmail"
v "$name" bind "the shape hardening-compat writes (%n in the source)"

# =================================================================================================
# generator replay (live beds only) and VARIANTS.txt
# =================================================================================================
for g in generator generator.early generator.late; do
    [[ -d $OUT/run/systemd/$g ]] || continue
    while IFS= read -r -d '' f; do
        rel=etc/hcv-fidelity/$g/${f#"$OUT/run/systemd/$g/"}
        _new "$rel"
        cp -P -- "$f" "$OUT/$rel"
    done < <(find "$OUT/run/systemd/$g" \( -type f -o -type l \) -print0 | sort -z)
done
gen=etc/systemd/system-generators/hcv-fidelity-generator
_new "$gen"
cat >"$OUT/$gen" <<'EOF'
#!/bin/sh
# hcv-fidelity-generator: replays the generator output of tests/fidelity/make-variants.sh
# (kept in /etc/hcv-fidelity/generator*) into systemd's generator directories. PID 1 empties
# those on every daemon-reload, so files copied there by hand would not survive.
# argv: normal-dir early-dir late-dir (systemd.generator(7))
src=/etc/hcv-fidelity
[ -d "$src/generator" ] && cp -a "$src/generator/." "$1/"
[ -d "$src/generator.early" ] && cp -a "$src/generator.early/." "$2/"
[ -d "$src/generator.late" ] && cp -a "$src/generator.late/." "$3/"
exit 0
EOF
chmod 755 "$OUT/$gen"

{
    printf '# Variant units for the fidelity oracle, made by tests/fidelity/make-variants.sh%s.\n' \
        "$( ((global)) || printf ' --no-global')"
    printf '# Format: UNIT<TAB># rule: description. Compare the settings systemctl show prints for UNIT\n'
    printf '# (aliases and instances are listed by the name to query). Descriptions say what systemd 252'"'"'s\n'
    printf '# source suggests; the real systemd is the judge.\n'
    printf '%s\n' "${variants[@]}"
    printf '# Deliberately masked (LoadState=masked; not compared):\n'
    printf '#   %s\n' "${masked[@]}"
} >"$OUT/VARIANTS.txt"
printf '%s\n' "${created[@]}" >"$OUT/.hcv-variants.files"
printf '%s\n' "${bad_files[@]}" >"$OUT/.hcv-variants.bad"

rules=$(printf '%s\n' "${variants[@]}" | sed 's/^[^\t]*\t# \([a-z]*\):.*/\1/' | sort -u | tr '\n' ' ')
printf '%s: %s: %d names to compare = %d hcv-*.service units + %d template instances + %d alias names; %d masked; %d files\n' \
    "$PROG" "$OUT" "${#variants[@]}" "$nunits" "$ninst" "$nalias" "${#masked[@]}" "${#created[@]}"
printf '%s: rules: %s\n' "$PROG" "$rules"

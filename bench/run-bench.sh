#!/bin/bash
# run-bench.sh [--smoke] BIN RULES_DIR - the benchmark (bench/README.md): builds the roots,
# times hardening-compat's commands on each, side by side with systemd-analyze security
# --offline over the same units and with the I/O floor (cat of the files the tool reads),
# and prints one table of medians, min, max, peak RSS and ratios.
# Exits 1 on an error (the tool failed, a no-op regenerate wrote or changed anything),
# never on timing.
set -uo pipefail
export LC_ALL=C

smoke=false
if [[ ${1:-} == --smoke ]]; then
        smoke=true
        shift
fi
BIN=$(realpath "$1")
RULES=$(realpath "$2")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W=${HC_BENCH_DIR:-/var/tmp/hc-bench}
CORPUS=${HC_BENCH_CORPUS:-/var/cache/hardening-compat-fidelity/corpus}
RUNS=${HC_BENCH_RUNS:-5}
$smoke && RUNS=2
mkdir -p "$W"
errors=0

err() {
        echo "bench: error: $*" >&2
        errors=$((errors + 1))
}

# ---- roots ------------------------------------------------------------------------------

# A generated root, rebuilt only when its parameters or the generator changed.
gen_root() {
        local dir=$1 stamp
        stamp="$*:$(md5sum <"$HERE/gen-root.sh")"
        if [[ -f $dir.stamp && $(cat "$dir.stamp") == "$stamp" ]]; then
                return 0
        fi
        rm -f "$dir.stamp"
        echo "bench: generating $dir ($2 units, $3 PAM services, $4 packages)" >&2
        bash "$HERE/gen-root.sh" "$@" || return 1
        echo "$stamp" >"$dir.stamp"
}

# The test bed's Debian 12 base (mmdebstrap, systemd) plus the fidelity corpus' units, with
# a host joined to SSSD, so that drop-ins are needed.
real_root() {
        local dir=$1 tarball stamp
        tarball=$(bash "$HERE/../tests/e2e/testbed" base 2>/dev/null | tail -n 1) || tarball=
        if [[ ! -f $tarball ]]; then
                echo "bench: no test bed base tarball (tests/e2e/testbed base); skipping the real root" >&2
                return 1
        fi
        stamp="$tarball:$(ls "$CORPUS" 2>/dev/null | wc -l)"
        if [[ -f $dir.stamp && $(cat "$dir.stamp") == "$stamp" ]]; then
                return 0
        fi
        echo "bench: unpacking $tarball to $dir" >&2
        rm -rf "$dir" "$dir.stamp"
        mkdir -p "$dir"
        zstd -dc "$tarball" | tar -C "$dir" --numeric-owner -xpf - || return 1
        if [[ -d $CORPUS ]]; then
                tar -C "$CORPUS" --exclude=./MANIFEST.tsv -cf - . | tar -C "$dir" -xf - || return 1
        else
                echo "bench: no fidelity corpus at $CORPUS; the real root has the base's units only" >&2
        fi
        cp "$HERE/nsswitch.conf" "$dir/etc/nsswitch.conf"
        rm -f "$dir/etc/resolv.conf"
        printf 'nameserver 192.0.2.53\nsearch example.org\n' >"$dir/etc/resolv.conf"
        echo "$stamp" >"$dir.stamp"
}

# The service units of a root (templates left out: systemd-analyze cannot evaluate them).
units_of() {
        local r=$1
        for d in etc/systemd/system lib/systemd/system usr/lib/systemd/system; do
                [[ -d $r/$d ]] && find "$r/$d" -maxdepth 1 -name '*.service' ! -name '*@.service' \( -type f -o -type l \) -printf '%f\n'
        done | sort -u
}

clean_dropins() {
        find "$1/etc/systemd/system" -name 'zz-hardening-compat.*' -delete
        find "$1/etc/systemd/system" -mindepth 1 -type d -name '*.d' -empty -delete
}

# ---- timing -----------------------------------------------------------------------------

declare -A MED MIN MAX RSS RC OUT
declare -a SPEC_KEY=() SPEC_SETUP=() SPEC_OK=()

# spec KEY SETUP OK_RCS CMD...: a command for the next rounds; SETUP runs untimed before it.
spec() {
        local i=${#SPEC_KEY[@]}
        SPEC_KEY+=("$1")
        SPEC_SETUP+=("$2")
        SPEC_OK+=("$3")
        declare -ga "SPEC_CMD_$i=()"
        local -n cmd=SPEC_CMD_$i
        cmd=("${@:4}")
}

# One warm-up round, then RUNS rounds, each running every spec once in turn: a change of
# the host's load between commands then moves all of them alike, not the ratios. Wall time
# in ms by EPOCHREALTIME around /usr/bin/time (for peak RSS). Sets MIN MED MAX RSS, RC (the
# last exit status) and OUT (a file with the last output) by key; then forgets the specs.
run_specs() {
        local r i t0 t1 rc rss key
        local -a ts=() maxrss=()
        for ((r = 0; r <= RUNS; r++)); do
                for ((i = 0; i < ${#SPEC_KEY[@]}; i++)); do
                        local -n cmd=SPEC_CMD_$i
                        key=${SPEC_KEY[i]}
                        ${SPEC_SETUP[i]}
                        t0=$EPOCHREALTIME
                        /usr/bin/time -f %M -o "$W/rss.tmp" "${cmd[@]}" >"$W/out.$i" 2>"$W/err.tmp"
                        rc=$?
                        t1=$EPOCHREALTIME
                        unset -n cmd
                        if [[ " ${SPEC_OK[i]} " != *" $rc "* ]]; then
                                err "$key: exit status $rc"
                                tail -n 3 "$W/err.tmp" >&2
                        fi
                        RC[$key]=$rc
                        OUT[$key]=$W/out.$i
                        rss=$(tail -n 1 "$W/rss.tmp")
                        ((rss > ${maxrss[i]:-0})) && maxrss[i]=$rss
                        ((r == 0)) && continue
                        ts[i]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) * 1000 }') "
                done
        done
        for ((i = 0; i < ${#SPEC_KEY[@]}; i++)); do
                key=${SPEC_KEY[i]}
                # shellcheck disable=SC2086 # one time per word
                read -r MIN[$key] MED[$key] MAX[$key] < <(printf '%s\n' ${ts[i]} | sort -n |
                        awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %.2f %s\n", v[1], m, v[NR] }')
                RSS[$key]=${maxrss[i]}
                unset "SPEC_CMD_$i"
        done
        SPEC_KEY=() SPEC_SETUP=() SPEC_OK=()
}

noop() { :; }

# ---- one root ---------------------------------------------------------------------------

declare -a ROWS=()
declare -A NUNITS
HC=(nice -n 5 "$BIN")

bench_root() {
        local name=$1 root=$2 n units_file=$W/$1.units list=$W/$1.inputs
        local stamp=$W/$1.noop-stamp bytes changed evaluated
        units_of "$root" >"$units_file"
        n=$(wc -l <"$units_file")
        NUNITS[$name]=$n
        mapfile -t units <"$units_file"
        local -a hc=("${HC[@]}" --root "$root" --rules-dir "$RULES")
        fresh() { clean_dropins "$root"; }

        # The I/O floor: cat of the files the tool read, ls -f of the directories it listed,
        # from a fresh regenerate's --list-inputs, plus what libdpkg opened (seen by strace:
        # libdpkg's reads do not go through rootfs.c).
        clean_dropins "$root"
        "${hc[@]}" regenerate -q --list-inputs="$list.tool" >/dev/null 2>&1 || err "$name: --list-inputs run failed"
        cp "$list.tool" "$list"
        if command -v strace >/dev/null; then
                clean_dropins "$root"
                strace -f -e trace=open,openat,openat2 -o "$W/$name.open.strace" "${hc[@]}" regenerate -q >/dev/null 2>&1
                awk -v r="$root/var/lib/dpkg/" -F'"' '/= [0-9]+$/ && index($2, r) == 1 { print $2 }' \
                        "$W/$name.open.strace" | sort -u >"$list.dpkg"
                cat "$list.dpkg" >>"$list"
        fi
        sort -u -o "$list" "$list"
        local files=$W/$name.inputs.files dirs=$W/$name.inputs.dirs
        : >"$files"
        : >"$dirs"
        while IFS= read -r p; do
                if [[ -d $p ]]; then echo "$p" >>"$dirs"; else echo "$p" >>"$files"; fi
        done <"$list"
        INPUTS[$name]="$(wc -l <"$files") files, $(wc -l <"$dirs") dirs ($(wc -l <"$list.dpkg" 2>/dev/null || echo '?') of them via libdpkg, from strace)"

        # No-op: the drop-ins are in place; count bytes written to files and entries changed
        # under the root's /etc/systemd/system by two runs (the timed ones follow fresh runs).
        touch "$stamp"
        "${hc[@]}" regenerate -q >/dev/null 2>&1 || err "$name: no-op regenerate failed"
        if command -v strace >/dev/null; then
                strace -f -y -e trace=write,pwrite64,writev,pwritev,pwritev2 -o "$W/$name.noop.strace" \
                        "${hc[@]}" regenerate -q >/dev/null 2>&1 || err "$name: no-op regenerate failed"
                bytes=$(awk -v r="<$root/" 'index($0, r) { n += $NF } END { print n + 0 }' "$W/$name.noop.strace")
        else
                bytes=n/a
        fi
        changed=$(find "$root/etc/systemd/system" -newer "$stamp" | wc -l)
        [[ $bytes == 0 || $bytes == n/a ]] || err "$name: the no-op regenerate wrote $bytes bytes"
        ((changed == 0)) || err "$name: the no-op regenerates changed $changed entries"
        NOOP[$name]="$bytes bytes written, $changed entries changed"

        spec "$name/regenerate" fresh "0" "${hc[@]}" regenerate -q
        spec "$name/noop" noop "0" "${hc[@]}" regenerate -q
        spec "$name/status" noop "0" "${hc[@]}" status
        spec "$name/explain" noop "0 4" "${hc[@]}" explain "${units[@]}"
        spec "$name/sd-analyze" noop "0 1" nice -n 5 systemd-analyze security --offline=true --root="$root" "${units[@]}"
        spec "$name/floor" noop "0" nice -n 5 bash -c \
                'xargs -r -d "\n" cat <"$1" >/dev/null && xargs -r -d "\n" ls -f <"$2" >/dev/null' - "$files" "$dirs"
        run_specs
        evaluated=$(grep -c 'Overall exposure level for' "${OUT[$name/sd-analyze]}")
        SDA[$name]="evaluated $evaluated of $n units (exit status ${RC[$name/sd-analyze]})"
        ROWS+=("$name")
}

declare -A NOOP SDA INPUTS

# ---- run --------------------------------------------------------------------------------

if $smoke; then
        gen_root "$W/gen-100" 100 50 1000 || err "cannot generate gen-100"
        bench_root gen-100 "$W/gen-100"
else
        if real_root "$W/real"; then
                bench_root real "$W/real"
        fi
        gen_root "$W/gen-100" 100 50 1000 && bench_root gen-100 "$W/gen-100"
        gen_root "$W/gen-1000" 1000 500 1000 && bench_root gen-1000 "$W/gen-1000"
        gen_root "$W/gen-5000" 5000 500 5000 && bench_root gen-5000 "$W/gen-5000"
fi

# ---- table ------------------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo
echo "hardening-compat benchmark: $RUNS rounds after a warm-up round (each runs every command once, in turn), wall ms median [min-max], peak RSS;"
echo "ratios are medians: ours / systemd-analyze security --offline (same units), ours / I/O floor."
echo "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(systemd-analyze --version | head -n 1)"
echo
printf '%-9s %6s  %-22s %9s %-19s %8s  %8s %8s\n' root units measure median "[min-max]" "RSS MB" "/sd-ana" "/floor"
for name in "${ROWS[@]}"; do
        for m in regenerate noop status explain sd-analyze floor; do
                k=$name/$m
                case $m in
                regenerate) label="regenerate (fresh)" ;;
                noop) label="regenerate (no-op)" ;;
                explain) label="explain (all units)" ;;
                sd-analyze) label="systemd-analyze sec." ;;
                floor) label="I/O floor (cat, ls)" ;;
                *) label=$m ;;
                esac
                if [[ $m == sd-analyze || $m == floor ]]; then r1=- r2=-; else
                        r1=$(ratio "${MED[$k]}" "${MED[$name/sd-analyze]}")
                        r2=$(ratio "${MED[$k]}" "${MED[$name/floor]}")
                fi
                printf '%-9s %6s  %-22s %9s %-19s %8s  %8s %8s\n' "$name" "${NUNITS[$name]}" "$label" "${MED[$k]}" \
                        "[${MIN[$k]}-${MAX[$k]}]" "$(awk -v k="${RSS[$k]}" 'BEGIN { printf "%.1f", k / 1024 }')" "$r1" "$r2"
        done
        echo "          no-op: ${NOOP[$name]}; systemd-analyze: ${SDA[$name]}"
        echo "          inputs: ${INPUTS[$name]}"
done

# Scaling: time per unit and the incremental slope between generated roots.
prev=
echo
echo "scaling of regenerate (fresh) over the generated roots:"
for name in "${ROWS[@]}"; do
        [[ $name == gen-* ]] || continue
        n=${NUNITS[$name]} t=${MED[$name/regenerate]} ts=${MED[$name/sd-analyze]}
        line=$(printf '  %-9s %5d units: %7.3f ms/unit (systemd-analyze %7.3f ms/unit)' "$name" "$n" \
                "$(awk -v t="$t" -v n="$n" 'BEGIN { print t / n }')" "$(awk -v t="$ts" -v n="$n" 'BEGIN { print t / n }')")
        if [[ -n $prev ]]; then
                read -r pn pt <<<"$prev"
                line+=$(awk -v t="$t" -v n="$n" -v pt="$pt" -v pn="$pn" \
                        'BEGIN { printf "; slope from %d units: %.3f ms/unit", pn, (t - pt) / (n - pn) }')
        fi
        echo "$line"
        prev="$n $t"
done
echo
if ((errors)); then
        echo "bench: $errors error(s)" >&2
        exit 1
fi

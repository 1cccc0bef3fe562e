#!/bin/bash
# oracle.sh - is hardening-compat's unit model systemd's? Compare, unit by unit, what
# `hardening-compat explain --json` computes with what a real systemd 252 shows
# (`systemctl show`) in an isolated test bed, for the real Debian units of the 300
# best-ranked packages (build-corpus.sh) plus generated drop-in variants that exercise
# every loading and merge rule (make-variants.sh). NoNewPrivileges= is compared with a
# probe instead, because `systemctl show` reports only the explicit setting: each variant
# unit is started with its ExecStart= replaced by a read of /proc/self/status.
# Prints the agreement table and every disagreement; exits 1 if there is one.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TB=$HERE/../e2e/testbed
: "${HC_BIN:?}" "${HC_SRCDIR:?}"
CORPUS=${HC_FIDELITY_CORPUS:-/var/cache/hardening-compat-fidelity/corpus}
BED=fidelity-$$
WORK=$(mktemp -d /var/tmp/hc-fidelity-XXXXXX)
PROPS=Id,LoadState,RestrictAddressFamilies,SystemCallArchitectures,IPAddressAllow,IPAddressDeny,CapabilityBoundingSet,ReadWritePaths,ProtectSystem,PrivateNetwork
PROPS+=,ReadOnlyPaths,InaccessiblePaths,SupplementaryGroups,ProtectHome,PrivateDevices,PrivateTmp,PrivateUsers
PROPS+=,RestrictNamespaces,DevicePolicy,DeviceAllow,BindPaths,BindReadOnlyPaths

# HC_FIDELITY_KEEP=DIR: keep systemd's and our views (show, ours.json, probes) there.
KEEP=${HC_FIDELITY_KEEP:-}
trap '"$TB" stop "$BED" >/dev/null 2>&1; [[ -z $KEEP ]] || { mkdir -p "$KEEP" && cp -f "$WORK"/show "$WORK"/ours.json "$WORK"/probes "$KEEP"/ 2>/dev/null; }; rm -rf "$WORK"' EXIT
say() { printf 'oracle: %s\n' "$*" >&2; }

say "corpus: $CORPUS"
"$HERE/build-corpus.sh" "$CORPUS" >&2
"$HERE/make-variants.sh" "$WORK/variants" >&2

"$TB" base >/dev/null
"$TB" start "$BED"
ROOT=$("$TB" root "$BED")

# Real units, then the variants (files for /run go into the bed's own /run tmpfs). The bed
# is merged-/usr: keep its /lib -> usr/lib symlink.
tar -C "$CORPUS" --exclude=./MANIFEST.tsv -cf - . | tar -C "$ROOT" --keep-directory-symlink -xf -
tar -C "$WORK/variants" --exclude=./run --exclude=./VARIANTS.txt -cf - . | tar -C "$ROOT" --keep-directory-symlink -xf -
if [[ -d $WORK/variants/run ]]; then
        tar -C "$WORK/variants/run" -cf - . | "$TB" exec "$BED" tar -C /run -xf -
fi
"$TB" exec "$BED" systemctl daemon-reload
# The tool reads <root>/run from the host; give it the bed's /run/systemd (generator
# output, transient units and the variants), which lives on the bed's private tmpfs.
rm -rf "$ROOT/run/systemd"
mkdir -p "$ROOT/run"
"$TB" exec "$BED" tar -C /run -cf - systemd | tar -C "$ROOT/run" -xf -

# The names to compare: every service the corpus ships (templates as an instance), and
# the variants' list.
{
        find "$CORPUS" \( -type f -o -type l \) -name '*.service' ! -path '*.d/*' ! -path '*.wants/*' ! -path '*.requires/*' \
                -printf '%f\n' | sed 's/@\.service$/@hcfid.service/'
        cut -f1 "$WORK/variants/VARIANTS.txt" | grep -v '^#' | grep .
} | sort -u >"$WORK/names"
say "$(wc -l <"$WORK/names") unit names to compare"

# systemd's view, a block per name in the order asked.
: >"$WORK/show"
xargs -n 200 <"$WORK/names" | while read -r -a chunk; do
        "$TB" exec "$BED" systemctl show -p "$PROPS" "${chunk[@]}" |
                awk -v names="${chunk[*]}" 'BEGIN { n = split(names, a, " "); i = 1; print "#name " a[i] }
                     /^$/ { i++; if (i <= n) print "#name " a[i]; next } { print }' >>"$WORK/show"
done

# Ours, on the same root, from the host.
xargs -a "$WORK/names" "$HC_BIN" --root "$ROOT" --rules-dir "$HC_SRCDIR/fragments" explain --json=short \
        >"$WORK/ours.json" 2>"$WORK/ours.stderr" || true
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/ours.json" ||
        { say "explain --json did not produce JSON"; cat "$WORK/ours.stderr" >&2; exit 1; }

# NoNewPrivileges probes: every loaded variant, ExecStart= replaced by a look at its own status.
: >"$WORK/probes"
probed=0 unprobed=0
while read -r name; do
        [[ $name == hcv-* ]] || continue
        grep -q "^#name $name\$" "$WORK/show" || continue
        d=$ROOT/etc/systemd/system/$name.d
        mkdir -p "$d"
        printf '[Service]\nType=oneshot\nExecStartPre=\nExecStartPost=\nExecStart=\nExecStart=/bin/grep ^NoNewPrivs: /proc/self/status\nTimeoutStartSec=10\n' \
                >"$d/zzzz-oracle-probe.conf"
done <"$WORK/names"
"$TB" exec "$BED" systemctl daemon-reload
while read -r name; do
        [[ $name == hcv-* && -e $ROOT/etc/systemd/system/$name.d/zzzz-oracle-probe.conf ]] || continue
        if "$TB" exec "$BED" timeout 15 systemctl start "$name" 2>/dev/null; then
                v=$("$TB" exec "$BED" journalctl -b --no-pager -o cat -u "$name" | sed -n 's/^NoNewPrivs:[[:space:]]*//p' | tail -n1)
                if [[ $v == [01] ]]; then
                        echo "$name $v" >>"$WORK/probes"
                        probed=$((probed + 1))
                        continue
                fi
        fi
        unprobed=$((unprobed + 1))
done <"$WORK/names"
say "NoNewPrivileges probes: $probed started, $unprobed could not start (missing paths or users)"

python3 "$HERE/compare.py" "$WORK/show" "$WORK/ours.json" "$WORK/probes"

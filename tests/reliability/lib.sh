# tests/reliability/lib.sh - the scratch roots of the reliability tests. Source it after
# setting T (scratch directory) and UNITS; needs HC_BIN and HC_SRCDIR.
# shellcheck shell=bash

hc_regen() { "$HC_BIN" --root "$1" --rules-dir "$HC_SRCDIR/fragments" regenerate -q; }

# The old state: passwd through sss; u* need AF_UNIX; r* will stop needing anything.
make_old() {
        local r=$1 i
        mkdir -p "$r/etc/systemd/system" "$r/lib/systemd/system"
        printf 'passwd: files sss\ngroup: files\nhosts: files dns\n' >"$r/etc/nsswitch.conf"
        printf 'nameserver 192.0.2.53\n' >"$r/etc/resolv.conf"
        for i in $(seq -w 1 "$UNITS"); do
                printf '[Service]\nExecStart=/bin/true\nRestrictAddressFamilies=AF_INET\n' >"$r/lib/systemd/system/u$i.service"
        done
        for i in $(seq -w 1 $((UNITS / 4))); do
                printf '[Service]\nExecStart=/bin/true\nRestrictAddressFamilies=AF_INET\n' >"$r/lib/systemd/system/r$i.service"
        done
}

# The new state: every u* drop-in changes (systemd added), r* need nothing (removed),
# n* are new units (created).
make_new() {
        local r=$1 i
        printf 'passwd: files systemd sss\ngroup: files systemd\nhosts: files dns\n' >"$r/etc/nsswitch.conf"
        for i in $(seq -w 1 $((UNITS / 4))); do
                printf '[Service]\nExecStart=/bin/true\nRestrictAddressFamilies=AF_INET AF_UNIX\n' >"$r/lib/systemd/system/r$i.service"
                printf '[Service]\nExecStart=/bin/true\nRestrictAddressFamilies=AF_INET6\n' >"$r/lib/systemd/system/n$i.service"
        done
}

# "PATH SHA256" of every file of the output directory, sorted.
manifest() {
        (cd "$1/etc/systemd/system" && find . -type f -print0 | sort -z | xargs -0r sha256sum | awk '{ print $2, $1 }')
}

# Is the output directory of $1 a mix of the manifests $2 (old) and $3 (new)? Every file is
# the old or the new version, or a hidden temp file (".#…", never "*.conf": systemd reads
# only *.conf from a .d directory); a drop-in both states have is there. Prints what is wrong.
consistent() {
        manifest "$1" | awk -v old="$2" -v new="$3" '
                BEGIN { while ((getline l < old) > 0) { split(l, f, " "); o[f[1]] = f[2] }
                        while ((getline l < new) > 0) { split(l, f, " "); n[f[1]] = f[2] } }
                {
                        seen[$1] = 1
                        base = $1; sub(/.*\//, "", base)
                        if (base ~ /^\.#/ && base !~ /\.conf$/) { next }        # our temp file
                        if (($1 in o && o[$1] == $2) || ($1 in n && n[$1] == $2)) { next }
                        print "neither old nor new: " $1; bad = 1
                }
                END {
                        for (p in o) if ((p in n) && !(p in seen)) { print "missing: " p; bad = 1 }
                        exit bad
                }'
}

# Checksums of every file, link and directory under $1 but the output directory of the
# root $2 (its etc/systemd/system): what must not change.
tree_sum() {
        (cd "$1" && find . -path "./${2#"$1"/}/etc/systemd/system" -prune -o -printf '%p %y %m %l\n' |
                sort && find . -path "./${2#"$1"/}/etc/systemd/system" -prune -o -type f -print0 |
                sort -z | xargs -0r sha256sum) | sha256sum
}

#!/bin/bash
# regenerate when the output directory cannot be written (README "Reliability"): a full
# file system (ENOSPC, a small tmpfs), a read-only one (EROFS, a read-only bind mount), no
# permission (EACCES, run as nobody). Each: exit 1, every error one line
# "hardening-compat: …", the old drop-ins intact (or, where some could be written, each old
# or new), and the next run with the space/permission back repairs everything.
# ENOSPC and EROFS need root (mounts, in a private mount namespace); EACCES needs root to
# switch to nobody. Skipped otherwise. Needs HC_BIN and HC_SRCDIR.
set -u

: "${HC_BIN:?}" "${HC_SRCDIR:?}"
. "$HC_SRCDIR/tests/tap.sh"
if [ "$(id -u)" != 0 ]; then
        echo "ok - # SKIP ENOSPC, EROFS, EACCES: not root"
        exit 0
fi
if [ -z "${HC_IN_MOUNT_NS:-}" ]; then
        if unshare -m --propagation private true 2>/dev/null; then
                HC_IN_MOUNT_NS=1 exec unshare -m --propagation private bash "$0" "$@"
        fi
        echo "ok - # SKIP ENOSPC, EROFS: no private mount namespace (unshare -m)"
        NO_MOUNTS=1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/hc-storage-XXXXXX")
trap 'umount -R "$T/fs" 2>/dev/null; umount "$T/ro/etc/systemd/system" 2>/dev/null; rm -rf "$T"' EXIT
chmod 755 "$T"
UNITS=12
# shellcheck source=tests/reliability/lib.sh
. "$HC_SRCDIR/tests/reliability/lib.sh"

# prepare ROOT: the old drop-ins written, the new configuration in place; old.m/new.m.
prepare() {
        make_old "$1" && hc_regen "$1" && manifest "$1" >"$T/old.m" &&
                make_new "$1" && cp -a "$1" "$T/ref" && hc_regen "$T/ref" && manifest "$T/ref" >"$T/new.m" &&
                rm -rf "$T/ref"
}
# failing_run NAME ROOT ERRNO-TEXT [RUNNER...]: exit 1, one-line errors naming the cause.
failing_run() {
        local what=$1 r=$2 why=$3 rc
        shift 3
        "$@" "$HC_BIN" --root "$r" --rules-dir "$HC_SRCDIR/fragments" regenerate -q >"$T/out" 2>"$T/err"
        rc=$?
        check "$what: exit 1" test "$rc" = 1
        check "$what: every error is one line 'hardening-compat: …'" sh -c "test -s '$T/err' && ! grep -qv '^hardening-compat: ' '$T/err'"
        check "$what: the error says '$why'" grep -q "$why" "$T/err"
        echo "# $what: $(head -1 "$T/err")"
}

if [ -z "${NO_MOUNTS:-}" ]; then
        # --- ENOSPC: a 1 MiB tmpfs, filled up after the old drop-ins were written --------
        mkdir -p "$T/fs"
        mount -t tmpfs -o size=1m,mode=755 tmpfs "$T/fs"
        R=$T/fs/root
        prepare "$R"
        dd if=/dev/zero of="$T/fs/filler" bs=4k 2>/dev/null
        failing_run "ENOSPC" "$R" "No space left on device"
        check "ENOSPC: each drop-in old or new, none partial, none lost" consistent "$R" "$T/old.m" "$T/new.m"
        check "ENOSPC: no temp file left" sh -c "! find '$R/etc/systemd/system' -name '.#*' | grep -q ."
        rm -f "$T/fs/filler"
        check "ENOSPC: with space again, the next run exits 0" hc_regen "$R"
        check "ENOSPC: and leaves the new drop-ins" sh -c "manifest() { $(declare -f manifest | tail -n +2); }; manifest '$R' | cmp -s - '$T/new.m'"
        umount "$T/fs"

        # --- EROFS: the output directory bind-mounted read-only ------------------------------
        R=$T/ro
        prepare "$R"
        mount --bind "$R/etc/systemd/system" "$R/etc/systemd/system"
        mount -o remount,ro,bind "$R/etc/systemd/system"
        failing_run "EROFS" "$R" "Read-only file system"
        check "EROFS: the old drop-ins intact" sh -c "manifest() { $(declare -f manifest | tail -n +2); }; manifest '$R' | cmp -s - '$T/old.m'"
        umount "$R/etc/systemd/system"
        check "EROFS: writable again, the next run exits 0" hc_regen "$R"
        check "EROFS: and leaves the new drop-ins" sh -c "manifest() { $(declare -f manifest | tail -n +2); }; manifest '$R' | cmp -s - '$T/new.m'"
fi

# --- EACCES: run as nobody on a root-owned tree ----------------------------------------------
R=$T/acc
prepare "$R"
failing_run "EACCES" "$R" "Permission denied" setpriv --reuid=65534 --regid=65534 --clear-groups
check "EACCES: the old drop-ins intact" sh -c "manifest() { $(declare -f manifest | tail -n +2); }; manifest '$R' | cmp -s - '$T/old.m'"
check "EACCES: as root, the next run exits 0" hc_regen "$R"
check "EACCES: and leaves the new drop-ins" sh -c "manifest() { $(declare -f manifest | tail -n +2); }; manifest '$R' | cmp -s - '$T/new.m'"
tap_summary

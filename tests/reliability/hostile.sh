#!/bin/bash
# Hostile trees (README "Reliability"): names, symlinks, include loops and chains, huge
# files, NUL bytes, garbage executables, unreadable and odd files. For every case the tool
# runs under a time limit (timeout) and an address-space limit (ulimit -v), and:
#   - exits as documented (0: input problems do not stop a run; 2: an invalid unit name on
#     the command line; 1: the output directory unusable);
#   - says so in lines of the one shape "hardening-compat: …" (no control character or
#     newline from a file name breaks a line);
#   - writes nothing outside the root's etc/systemd/system: the whole scratch tree but that
#     directory is checksummed before and after.
# tests/cli/run.sh already covers a malformed nsswitch.conf and unit file, a FIFO as
# nsswitch.conf and as a unit, a symlinked output directory and a symlinked UNIT.d.
# Needs HC_BIN and HC_SRCDIR; the unreadable-file cases need root (to become nobody).
set -u

: "${HC_BIN:?}" "${HC_SRCDIR:?}"
. "$HC_SRCDIR/tests/tap.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/hc-hostile-XXXXXX")
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
UNITS=0
# shellcheck source=tests/reliability/lib.sh
. "$HC_SRCDIR/tests/reliability/lib.sh"
TIME_LIMIT=${HC_HOSTILE_SECONDS:-60}
MEM_LIMIT_KB=${HC_HOSTILE_MEM_KB:-1048576}      # 1 GiB of address space

new_root() {
        R=$T/trees/$1
        mkdir -p "$R/etc/systemd/system" "$R/lib/systemd/system" "$R/etc/pam.d"
        printf 'passwd: files sss\n' >"$R/etc/nsswitch.conf"
}
unit() { # unit NAME BODY
        printf '[Service]\nExecStart=/bin/true\n%b\n' "$2" >"$R/lib/systemd/system/$1"
}

# bounded NAME WANT-EXIT [RUNNER --] ARGS...: run the tool with ARGS on $R, bounded; check
# exit, the shape of stderr, time, and that nothing outside the output dir changed.
bounded() {
        local what=$1 want=$2 rc before after secs kb
        local -a runner=()
        shift 2
        if [ "${1:-}" = as-nobody ]; then
                runner=(setpriv --reuid=65534 --regid=65534 --clear-groups)
                shift
        fi
        before=$(tree_sum "$T/trees" "$R")
        (ulimit -v "$MEM_LIMIT_KB"
         exec /usr/bin/time -f '%e %M' -o "$T/time" timeout -s KILL "$TIME_LIMIT" "${runner[@]}" \
                "$HC_BIN" --root "$R" --rules-dir "$HC_SRCDIR/fragments" "$@") >"$T/out" 2>"$T/err"
        rc=$?
        after=$(tree_sum "$T/trees" "$R")
        read -r secs kb <<<"$(tail -1 "$T/time")"
        grep -v '^Command exited with non-zero status' "$T/err" >"$T/err2"
        check "$what: exit $want (got $rc)" test "$rc" = "$want"
        check "$what: stderr only one-line 'hardening-compat: …' messages" sh -c "! grep -qv '^hardening-compat: ' '$T/err2'"
        check "$what: nothing written outside the output directory" test "$before" = "$after"
        echo "# $what: ${secs}s, ${kb} KiB max RSS; $(head -1 "$T/err2" | cut -c1-200)"
}
expect_msg() { # expect_msg NAME REGEX: the last run said REGEX on stderr
        check "$1" grep -q -- "$2" "$T/err2"
}
# --- unit names --------------------------------------------------------------------------
new_root names
unit a.service 'RestrictAddressFamilies=AF_INET'
long=$(printf 'x%.0s' $(seq 1 300)).service
for n in 'a/b.service' '../../x.service' $'ctl\001.service' "$long" '.service' 'a@.service/..'; do
        bounded "explain $(printf %q "$n")" 2 explain "$n"
done
expect_msg "an invalid name is named, quoted" "invalid unit name"
bounded "explain \$'new\\nline.service'" 2 explain $'new\nline.service'
expect_msg "the newline is shown escaped" "invalid unit name 'new\\\\nline.service'"
# The same names as files of the unit directory (a file name cannot hold '/').
unit $'ctl\001.service' 'RestrictAddressFamilies=AF_INET'
unit $'new\nline.service' 'RestrictAddressFamilies=AF_INET'
unit 'x..service' 'RestrictAddressFamilies=AF_INET'
ln -s ../../../../../../etc/passwd "$R/lib/systemd/system/escape.service"
ln -s /etc/shadow "$R/lib/systemd/system/abs.service"
bounded "unit files with control characters and '..', symlinks out of the root" 0 regenerate
# "x..service" is a valid name (systemd allows dots in the prefix); the others are not.
check "only the valid units got a drop-in" test "$(ls "$R/etc/systemd/system" | paste -sd ' ')" = "a.service.d x..service.d"
bounded "status on the same tree" 0 status
# 255 bytes is a valid unit name, but "NAME.d" is longer than a file name may be.
new_root longname
unit "$(printf 'y%.0s' $(seq 1 247)).service" 'RestrictAddressFamilies=AF_INET'
bounded "a 255-byte unit name (its .d directory cannot exist)" 1 regenerate
expect_msg "the directory is named with the reason" "service.d/zz-hardening-compat.conf: cannot open directory: File name too long"

# --- pre-planted symlinks and links at the output -------------------------------------------
new_root plant
unit a.service 'RestrictAddressFamilies=AF_INET'
unit b.service 'RestrictAddressFamilies=AF_INET'
unit c.service 'RestrictAddressFamilies=AF_INET'
mkdir -p "$T/trees/outside" "$R/etc/systemd/system/a.service.d" "$R/etc/systemd/system/b.service.d" \
         "$R/etc/systemd/system/c.service.d"
echo original >"$T/trees/outside/target"
ln "$T/trees/outside/target" "$R/etc/systemd/system/c.service.d/zz-hardening-compat.conf"
bounded "a hard link to a file outside at the drop-in path" 0 regenerate
check "the linked file is untouched (not ours: no header)" test "$(cat "$T/trees/outside/target")" = original
rm -f "$R/etc/systemd/system/a.service.d/zz-hardening-compat.conf" "$R/etc/systemd/system/b.service.d/zz-hardening-compat.conf"
ln -s "$T/trees/outside/target" "$R/etc/systemd/system/a.service.d/zz-hardening-compat.conf"
ln -s ../../../../../outside/target "$R/etc/systemd/system/b.service.d/zz-hardening-compat.conf"
# Someone else's file at our path, as the hard link above: never followed or replaced, the
# unit's need reported unmet, the run goes on (exit 0).
bounded "a symlink (absolute, relative) at the drop-in path" 0 regenerate
check "the symlink target is untouched" test "$(cat "$T/trees/outside/target")" = original
check "the symlinks are still symlinks" test -L "$R/etc/systemd/system/a.service.d/zz-hardening-compat.conf"
check "the error names the symlinked drop-in" grep -q "a.service.d/zz-hardening-compat.conf: .*symbolic links" "$T/err2"
check "and the other one" grep -q "b.service.d/zz-hardening-compat.conf: .*symbolic links" "$T/err2"
new_root plant2
unit a.service 'RestrictAddressFamilies=AF_INET'
mkdir -p "$T/trees/outside-etc/systemd/system"
rm -rf "$R/etc/systemd"
ln -s "$T/trees/outside-etc/systemd" "$R/etc/systemd"
bounded "a symlink at etc/systemd (the output's parent)" 1 regenerate
check "nothing written through it" test -z "$(ls -A "$T/trees/outside-etc/systemd/system")"
check "the error names the symlinked directory" grep -q "etc/systemd': is a symlink or not a directory, refusing" "$T/err2"

# --- pam.d: include loops and a 10,000-deep chain ---------------------------------------
new_root pam
unit loop.service 'PAMName=loop\nRestrictAddressFamilies=AF_INET'
unit deep.service 'PAMName=deep\nRestrictAddressFamilies=AF_INET'
unit sub.service 'PAMName=sub\nRestrictAddressFamilies=AF_INET'
printf '@include loop2\nauth required pam_unix.so\n' >"$R/etc/pam.d/loop"
printf '@include loop\n' >"$R/etc/pam.d/loop2"
printf 'auth substack sub\naccount include sub\n' >"$R/etc/pam.d/sub"
printf '@include c1\n' >"$R/etc/pam.d/deep"
for i in $(seq 1 9999); do printf '@include c%d\n' $((i + 1)) >"$R/etc/pam.d/c$i"; done
printf 'auth required pam_unix.so\n' >"$R/etc/pam.d/c10000"
bounded "pam.d include loops and a 10,000-deep chain: regenerate" 0 regenerate
bounded "the same: explain" 0 explain loop.service deep.service sub.service
expect_msg "the loop is reported" "loop\|cycle"

# krb5.conf including its own directory on every line (once 13^8 reads; see fuzz/regressions)
new_root krb5
unit a.service 'PAMName=k\nRestrictAddressFamilies=AF_INET'
printf 'auth required pam_krb5.so\n' >"$R/etc/pam.d/k"
for i in $(seq 1 13); do echo 'includedir /etc'; done >"$R/etc/krb5.conf"
bounded "krb5.conf: 13 lines 'includedir /etc'" 0 status
expect_msg "the include budget is reported" "more than 256 files included"

# --- million-line files, NUL bytes -------------------------------------------------------
new_root huge
# Each a million lines, under the 4 MiB read limit, so that the parsers go through them...
unit a.service 'RestrictAddressFamilies=AF_INET\nPAMName=big'
lines() { awk -v l="$1" -v n="${2:-1000000}" 'BEGIN { for (i = 0; i < n; i++) print l }'; }
{ lines '#'; echo 'passwd: files sss'; } >"$R/etc/nsswitch.conf"
{ printf '[Service]\nExecStart=/bin/true\n'; lines ';'; } >"$R/lib/systemd/system/comments.service"
# shellcheck disable=SC1003 # a literal backslash
{ printf '[Service]\nExecStart=/bin/true\nEnvironment=A=\\\n'; lines 'x\'; } >"$R/lib/systemd/system/continued.service"
{ lines '#'; echo 'nameserver 192.0.2.1'; } >"$R/etc/resolv.conf"
# shellcheck disable=SC1003 # literal backslashes
{ echo 'auth optional pam_permit.so \'; lines '\'; echo 'x'; } >"$R/etc/pam.d/big"
mkdir -p "$R/etc/hardening-compat/fragments.d"
lines '#' >"$R/etc/hardening-compat/fragments.d/big.rules"
bounded "million-line nsswitch.conf, units, pam.d (one continued line), resolv.conf, rules" 0 regenerate
expect_msg "the continued unit line is cut at 1 MiB, named" "continued.service:[0-9]*: continuation line too long"
bounded "the same: status" 0 status
# A warning on each of many lines: DiagList keeps each diagnostic once, through a hash index
# (src/common/diag.c; a linear search made 200,000 warnings take minutes).
new_root warnings
unit a.service 'RestrictAddressFamilies=AF_INET'
lines 'domain x broadcast' 200000 >"$R/etc/yp.conf"
printf 'passwd: files nis\n' >"$R/etc/nsswitch.conf"
TIME_LIMIT=20 bounded "200,000 lines with a warning each, within 20 s" 0 status
new_root huge2
unit a.service 'RestrictAddressFamilies=AF_INET'
# ...and over it (17 MB): refused by size, not read.
lines 'Environment=A=1' >"$R/lib/systemd/system/big.service"
lines 'nameserver 192.0.2.1' >"$R/etc/resolv.conf"
head -c 3000000 /dev/zero | tr '\0' 'x' >"$R/etc/yp.conf"
bounded "million-line files over the size limit; a 3 MB line" 0 regenerate
expect_msg "an oversized file is named with the reason" "resolv.conf: cannot read: File too large"

new_root nul
printf 'passwd: files\0 sss\ngroup: fi\0les\n\0\n' >"$R/etc/nsswitch.conf"
printf '[Service]\nExecStart=/bin/true\nRestrict\0AddressFamilies=AF_INET\n' >"$R/lib/systemd/system/a.service"
printf '[Serv\0ice]\nExecStart=/bin/true\n' >"$R/lib/systemd/system/b.service"
unit c.service 'PAMName=nul\nRestrictAddressFamilies=AF_INET'
printf 'auth required pam_unix.so\0 nullok\n@include \0x\n' >"$R/etc/pam.d/nul"
printf 'nameserver 192.0.2.1\0\nnameserver \0\n' >"$R/etc/resolv.conf"
mkdir -p "$R/etc/hardening-compat/fragments.d"
printf '[Rule]\nKind=nss\0\nName=x\n' >"$R/etc/hardening-compat/fragments.d/nul.rules"
bounded "NUL bytes in nsswitch.conf, units, pam.d, resolv.conf, rules" 0 regenerate

# --- garbage as executables ------------------------------------------------------------
new_root elf
mkdir -p "$R/usr/bin"
for i in 1 2 3 4 5 6 7; do unit "g$i.service" "ExecStart=/usr/bin/g$i\nSystemCallArchitectures=native"; done
head -c 4096 /dev/urandom >"$R/usr/bin/g1"
{ printf '\177ELF'; head -c 4092 /dev/urandom; } >"$R/usr/bin/g2"
head -c 100 /bin/true >"$R/usr/bin/g3"
printf '#!/usr/bin/g5\n' >"$R/usr/bin/g4"
printf '#!/usr/bin/g4\n' >"$R/usr/bin/g5"
{ printf '#!'; head -c 200000 /dev/zero | tr '\0' a; } >"$R/usr/bin/g6"
# a real header whose program headers lie far beyond the file (e_phoff = 2^62)
{ head -c 32 /bin/true; printf '\0\0\0\0\0\0\0\100'; tail -c +41 /bin/true | head -c 4000; } >"$R/usr/bin/g7"
chmod 755 "$R"/usr/bin/g*
bounded "garbage, truncated and looping executables" 0 regenerate
bounded "the same: explain" 0 explain g1.service g2.service g3.service g4.service g5.service g6.service g7.service

# --- odd and unreadable files ------------------------------------------------------------
new_root odd
unit a.service 'RestrictAddressFamilies=AF_INET\nPAMName=fifo'
rm "$R/etc/nsswitch.conf"
mkdir "$R/etc/nsswitch.conf" "$R/lib/systemd/system/dir.service" "$R/etc/resolv.conf"
mkfifo "$R/etc/pam.d/fifo" "$R/etc/yp.conf"
if [ "$(id -u)" = 0 ]; then
        mknod "$R/etc/krb5.conf" c 1 5                  # /dev/zero: endless if read
        mknod "$R/lib/systemd/system/zero.service" c 1 5
fi
bounded "a directory, FIFO or /dev/zero where a file is expected" 0 regenerate

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
        new_root unreadable
        unit a.service 'RestrictAddressFamilies=AF_INET\nPAMName=secret'
        unit b.service 'RestrictAddressFamilies=AF_INET'
        printf 'auth required pam_unix.so\n' >"$R/etc/pam.d/secret"
        printf 'nameserver 192.0.2.1\n' >"$R/etc/resolv.conf"
        chmod 000 "$R/etc/nsswitch.conf" "$R/lib/systemd/system/b.service" "$R/etc/pam.d/secret" "$R/etc/resolv.conf"
        bounded "unreadable files (mode 000, as nobody): status" 0 as-nobody status
        expect_msg "the unreadable file is named with the reason" "Permission denied"
        bounded "the same: regenerate --dry-run" 0 as-nobody regenerate --dry-run
else
        echo "ok - # SKIP unreadable files: needs root and setpriv to run as nobody"
fi
# --- nothing it inspects is executed ---------------------------------------------------------
# Every program a unit, a rule or the MTA names is a script that would leave a mark if run:
# ExecStart=/ExecStartPre=/ExecStop= commands, a "#!" interpreter, /usr/bin/env's target,
# /usr/sbin/sendmail, a pam_exec program, the systemd binary. Under strace -f, the tool
# makes one execve (its own) and starts no process, in regenerate, status and explain (a
# thread, CLONE_THREAD, is no process: the writer's fsyncs run on threads).
new_root noexec
MARK=$T/trees/EXECUTED
mkdir -p "$R/usr/bin" "$R/usr/sbin" "$R/usr/libexec" "$R/lib/systemd"
for p in usr/bin/daemon usr/bin/pre usr/bin/stop usr/bin/interp usr/bin/env usr/bin/tool \
         usr/sbin/sendmail usr/libexec/hook lib/systemd/systemd; do
        printf '#!/bin/sh\necho %s >>%s\n' "$p" "$MARK" >"$R/$p"
        chmod 755 "$R/$p"
done
printf '#!/usr/bin/interp\n' >"$R/usr/bin/wrapped" && chmod 755 "$R/usr/bin/wrapped"
printf '#!/usr/bin/env tool\n' >"$R/usr/bin/viaenv" && chmod 755 "$R/usr/bin/viaenv"
unit x.service 'ExecStartPre=/usr/bin/pre\nExecStart=/usr/bin/daemon --mail /usr/sbin/sendmail\nExecStop=/usr/bin/stop\nSystemCallArchitectures=native\nNoNewPrivileges=yes\nRestrictAddressFamilies=AF_INET\nPAMName=x'
unit y.service 'ExecStart=/usr/bin/wrapped\nExecReload=/usr/bin/viaenv\nSystemCallArchitectures=native'
printf 'auth optional pam_exec.so /usr/libexec/hook\nauth required pam_unix.so\n' >"$R/etc/pam.d/x"
if command -v strace >/dev/null && strace -f -qq -o /dev/null true 2>/dev/null; then
        for verb in regenerate status "explain x.service y.service"; do
                # shellcheck disable=SC2086 # the verb and its arguments
                strace -f -qq -o "$T/exec" -e trace=execve,execveat,fork,vfork,clone,clone3 \
                        "$HC_BIN" --root "$R" --rules-dir "$HC_SRCDIR/fragments" $verb >/dev/null 2>&1
                check "$verb: one execve (its own), no process started" \
                        test "$(grep -E '^([0-9]+ +)?(execve|execveat|fork|vfork|clone|clone3)\(' "$T/exec" |
                                grep -vc CLONE_THREAD)" = 1
        done
else
        echo "ok - # SKIP no execution: strace cannot trace here"
fi
check "no inspected program left its mark" test ! -e "$MARK"
tap_summary

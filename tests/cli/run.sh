#!/bin/sh
# CLI tests: the acceptance scenario of the engine issue, judged by systemd's own parser
# (systemd-analyze security --offline), plus exit codes and hostile input.
# Needs HC_BIN (the binary) and HC_SRCDIR (the source tree).
set -u

: "${HC_BIN:?}" "${HC_SRCDIR:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/hc-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/tap.sh
. "$HC_SRCDIR/tests/tap.sh"
hc() { "$HC_BIN" --root "$R" --rules-dir "$HC_SRCDIR/fragments" "$@"; }
rc_of() { "$@" >/dev/null 2>&1; echo $?; }

# AF_UNIX as systemd-analyze judges it: "true" = denied, "false" = allowed.
af_unix_denied() {
        systemd-analyze security --offline=true --root="$R" "$1" --json=short 2>/dev/null |
                python3 -c 'import json,sys; print(str([x["set"] for x in json.load(sys.stdin) if x["json_field"]=="RestrictAddressFamilies_AF_UNIX"][0]).lower())'
}

new_root() {
        R=$T/$1
        mkdir -p "$R/etc/systemd/system" "$R/lib/systemd/system"
}

unit() { # unit NAME BODY
        printf '[Service]\nExecStart=/bin/true\n%b\n' "$2" >"$R/lib/systemd/system/$1"
}

# --- acceptance: passwd: files sss; A allow list, B unrestricted, C deny list ---------
new_root acceptance
printf 'passwd: files sss\ngroup: files\nhosts: files dns\n' >"$R/etc/nsswitch.conf"
unit a.service 'User=a\nRestrictAddressFamilies=AF_INET AF_INET6'
unit b.service 'User=b'
unit c.service 'RestrictAddressFamilies=~AF_UNIX AF_PACKET'
DA=$R/etc/systemd/system/a.service.d/zz-hardening-compat.conf
DB=$R/etc/systemd/system/b.service.d/zz-hardening-compat.conf
DC=$R/etc/systemd/system/c.service.d/zz-hardening-compat.conf

check "before: systemd denies AF_UNIX to A" test "$(af_unix_denied a.service)" = true
check "before: systemd denies AF_UNIX to C" test "$(af_unix_denied c.service)" = true
check "dry run exits 0" hc regenerate --dry-run
check "dry run wrote nothing" test ! -e "$R/etc/systemd/system/a.service.d"
check "regenerate exits 0" hc regenerate
check "A got a drop-in" test -f "$DA"
check "C got a drop-in" test -f "$DC"
check "B got none" test ! -e "$DB"
check "A's drop-in allows exactly AF_UNIX" grep -qx 'RestrictAddressFamilies=AF_UNIX' "$DA"
# shellcheck disable=SC2016 # awk's own $0
check "every directive has its reason above it" \
        awk '/^[A-Z][A-Za-z]*=/ { if (prev !~ /^# /) exit 1 } { prev = $0 }' "$DA"
check "the reason names nsswitch.conf line, module and rule" grep -q '^# sss for passwd (/etc/nsswitch.conf:1): .*nss-sss.rules' "$DA"
check "after: systemd allows AF_UNIX to A" test "$(af_unix_denied a.service)" = false
check "after: systemd allows AF_UNIX to C" test "$(af_unix_denied c.service)" = false
check "after: systemd-analyze verify accepts A" sh -c "systemd-analyze verify --root='$R' a.service 2>&1 | grep -v 'sysinit.target\|not executable\|Failed to prepare\|is not executable' | grep -q . && exit 1 || exit 0"
m1=$(stat -c %Y.%i "$DA" "$DC")
sleep 1
check "second run exits 0" hc regenerate
check "second run changes no mtime" test "$m1" = "$(stat -c %Y.%i "$DA" "$DC")"
check "diff: nothing to do (exit 0)" test "$(rc_of hc diff)" = 0
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$R/etc/nsswitch.conf"
check "diff: differences (exit 3)" test "$(rc_of hc diff)" = 3
check "diff shows the removal" sh -c "'$HC_BIN' --root '$R' --rules-dir '$HC_SRCDIR/fragments' diff | grep -q '^-RestrictAddressFamilies=AF_UNIX'"
check "regenerate after removing sss" hc regenerate
check "A's drop-in is gone" test ! -e "$R/etc/systemd/system/a.service.d"
check "C's drop-in is gone" test ! -e "$R/etc/systemd/system/c.service.d"

# --- JSON ----------------------------------------------------------------------------------
printf 'passwd: files sss\n' >"$R/etc/nsswitch.conf"
check "status --json is JSON" sh -c "'$HC_BIN' --root '$R' --rules-dir '$HC_SRCDIR/fragments' status --json | python3 -m json.tool >/dev/null"
check "explain --json names the need and its evidence" sh -c "'$HC_BIN' --root '$R' --rules-dir '$HC_SRCDIR/fragments' explain --json=short a.service |
        python3 -c 'import json,sys; u=json.load(sys.stdin)[0]; n=[x for x in u[\"needs\"] if x[\"value\"]==\"AF_UNIX\"][0]; assert \"nsswitch.conf:1\" in n[\"evidence\"][0], u; assert u[\"dropin\"][\"status\"]==\"create\"'"

# --- usage and exit codes ------------------------------------------------------------------
check "--help exits 0" test "$(rc_of "$HC_BIN" --help)" = 0
check "--version exits 0" test "$(rc_of "$HC_BIN" --version)" = 0
check "no command: exit 2" test "$(rc_of "$HC_BIN")" = 2
check "unknown command: exit 2" test "$(rc_of "$HC_BIN" frobnicate)" = 2
check "unknown option: exit 2" test "$(rc_of "$HC_BIN" --frob status)" = 2
check "explain without a unit: exit 2" test "$(rc_of hc explain)" = 2
check "explain ../x.service: exit 2" test "$(rc_of hc explain ../x.service)" = 2
check "explain ../x.service says why" sh -c "'$HC_BIN' --root '$R' explain ../x.service 2>&1 | grep -qx \"hardening-compat: invalid unit name '../x.service'.\""
check "explain of a missing unit: exit 4" test "$(rc_of hc explain nope.service)" = 4
check "missing root: exit 1 with one line" sh -c "'$HC_BIN' --root '$T/none' status 2>&1 >/dev/null | grep -qx \"hardening-compat: cannot use root directory '$T/none': No such file or directory\""

# --- hostile input -------------------------------------------------------------------------
new_root hostile
printf 'passwd: files [NOTFOUND=maybe] sss\n' >"$R/etc/nsswitch.conf"
unit a.service 'RestrictAddressFamilies=AF_INET'
printf '[Service\nExecStart=/bin/true\n' >"$R/lib/systemd/system/broken.service"
hc regenerate >"$T/out" 2>&1; rc=$?
check "malformed nsswitch.conf: regenerate still exits 0" test "$rc" = 0
check "malformed nsswitch.conf: one line naming file and line" grep -q "^hardening-compat: $R/etc/nsswitch.conf:1: invalid \[STATUS=ACTION\]" "$T/out"
check "malformed unit file: one line naming file and line" grep -q "^hardening-compat: $R/lib/systemd/system/broken.service:1: invalid section header" "$T/out"
check "malformed input: nothing written" test ! -e "$R/etc/systemd/system/a.service.d"

new_root fifo
mkfifo "$R/etc/nsswitch.conf"
unit a.service 'RestrictAddressFamilies=AF_INET'
check "a FIFO as nsswitch.conf does not hang" timeout 10 "$HC_BIN" --root "$R" --rules-dir "$HC_SRCDIR/fragments" status
mkfifo "$R/lib/systemd/system/fifo.service"
check "a FIFO as a unit file does not hang" timeout 10 "$HC_BIN" --root "$R" --rules-dir "$HC_SRCDIR/fragments" regenerate

new_root symlinked
printf 'passwd: files sss\n' >"$R/etc/nsswitch.conf"
unit a.service 'RestrictAddressFamilies=AF_INET'
mkdir "$T/outside"
rmdir "$R/etc/systemd/system"
ln -s "$T/outside" "$R/etc/systemd/system"
check "symlinked output directory: exit 1" test "$(rc_of hc regenerate)" = 1
check "symlinked output directory: nothing written there" test -z "$(ls -A "$T/outside")"

new_root escape
printf 'passwd: files sss\n' >"$R/etc/nsswitch.conf"
unit a.service 'RestrictAddressFamilies=AF_INET'
ln -s ../../../../outside2 "$R/etc/systemd/system/a.service.d"
mkdir "$T/outside2"
hc regenerate >"$T/out" 2>&1; rc=$?
check "symlinked unit directory: exit 1" test "$rc" = 1
check "symlinked unit directory: refused by name" grep -q "a.service.d/zz-hardening-compat.conf: cannot use directory" "$T/out"
check "symlinked unit directory: nothing written there" test -z "$(ls -A "$T/outside2")"

new_root admin
printf 'passwd: files sss\n' >"$R/etc/nsswitch.conf"
unit a.service 'RestrictAddressFamilies=AF_INET'
mkdir -p "$R/etc/systemd/system/a.service.d"
printf '[Service]\n# mine\n' >"$R/etc/systemd/system/a.service.d/zz-hardening-compat.conf"
check "an admin's file of our name: regenerate exits 0" hc regenerate
check "an admin's file of our name is untouched" grep -q '# mine' "$R/etc/systemd/system/a.service.d/zz-hardening-compat.conf"
check "status reports it" sh -c "'$HC_BIN' --root '$R' --rules-dir '$HC_SRCDIR/fragments' status | grep -q 'not ours'"

# --- every Debian 12 NSS service has a rule ---------------------------------------------
new_root allnss
all="files dns compat hesiod systemd resolve myhostname mymachines sss ldap winbind wins mdns mdns4 mdns6"
all="$all mdns_minimal mdns4_minimal mdns6_minimal nis nisplus db extrausers cache libvirt libvirt_guest"
all="$all tls docker gw_name pgsql unknown gns gns4 gns6 oslogin cache_oslogin"
printf 'passwd: %s\ngroup: %s\nhosts: %s\n' "$all" "$all" "$all" >"$R/etc/nsswitch.conf"
unit a.service 'RestrictAddressFamilies=AF_INET\nIPAddressAllow=198.51.100.1\nIPAddressDeny=any'
hc status >"$T/status" 2>&1
check "status on every NSS service: no service without a rule" sh -c "! grep -q 'NSS services without a rule' '$T/status'"
for svc in $all; do
        f=$HC_SRCDIR/fragments/nss-$svc.rules
        [ -f "$f" ] && grep -q '^Source=.' "$f" && grep -q '^Verified=.' "$f" || not_ok "nss-$svc.rules names its source and verification"
done
ok "every rule file names its source and how it was verified"
printf 'passwd: files frobnicate\n' >"$R/etc/nsswitch.conf"
hc status >"$T/status" 2>&1
check "status reports a service without a rule, loudly" grep -q "'frobnicate' (passwd: /etc/nsswitch.conf)" "$T/status"

# --- architectures: judged by systemd-analyze, shown by explain and --json ---------------
# (an x86-64 build: there the kernel runs i386 binaries itself)
if [ "$(uname -m)" = x86_64 ]; then
new_root arch
printf 'passwd: files\ngroup: files\nhosts: files\n' >"$R/etc/nsswitch.conf"
mkdir -p "$R/usr/bin"
# the 52-byte header of an i386 ELF executable: ELFCLASS32, ELFDATA2LSB, ET_EXEC, EM_386
printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000\002\000\003\000\001\000\000\000' >"$R/usr/bin/legacy32"
head -c 28 /dev/zero >>"$R/usr/bin/legacy32"
chmod 755 "$R/usr/bin/legacy32"
printf '[Service]\nExecStart=/usr/bin/legacy32\nSystemCallArchitectures=native\n' >"$R/lib/systemd/system/a.service"
printf '[Service]\nExecStart=/usr/bin/legacy32\n' >"$R/lib/systemd/system/b.service"
check "arch: before, systemd-analyze says native ABI only" sh -c \
        "systemd-analyze security --offline=true --root='$R' a.service --json=short 2>/dev/null |
         python3 -c 'import json,sys; d={x[\"json_field\"]:x for x in json.load(sys.stdin)}; sys.exit(0 if d[\"SystemCallArchitectures\"][\"description\"].endswith(\"native ABI\") else 1)'"
check "arch: regenerate exits 0" hc regenerate -q
DA=$R/etc/systemd/system/a.service.d/zz-hardening-compat.conf
check "arch: the restricted unit gets exactly SystemCallArchitectures=x86" \
        test "$(grep -v '^[#[]' "$DA")" = SystemCallArchitectures=x86
check "arch: the unrestricted unit gets nothing" test ! -e "$R/etc/systemd/system/b.service.d"
# systemd-analyze: "only with native ABI" before, "with multiple ABIs" once x86 is merged in
check "arch: systemd-analyze reads the merged set as more than native" sh -c \
        "systemd-analyze security --offline=true --root='$R' a.service --json=short 2>/dev/null |
         python3 -c 'import json,sys; d={x[\"json_field\"]:x for x in json.load(sys.stdin)}; sys.exit(0 if d[\"SystemCallArchitectures\"][\"description\"].endswith(\"multiple ABIs\") else 1)'"
hc explain a.service >"$T/explain" 2>&1
check "arch: explain shows the command, its file, ABI and how it was found" \
        grep -q '/usr/bin/legacy32: x86, ELF 32-bit LSB, e_machine 3; found from the ELF header of /usr/bin/legacy32' "$T/explain"
check "arch: explain --json has the command's ABI" sh -c \
        "'$HC_BIN' --root '$R' --rules-dir '$HC_SRCDIR/fragments' explain --json=short a.service |
         python3 -c 'import json,sys; e=json.load(sys.stdin)[0][\"exec\"][0]; sys.exit(0 if (e[\"abi\"], e[\"setting\"]) == (\"x86\", \"ExecStart\") else 1)'"
check "arch: status --json names the native ABI and the kernel's" sh -c \
        "'$HC_BIN' --root '$R' --rules-dir '$HC_SRCDIR/fragments' status --json=short |
         python3 -c 'import json,sys; a=json.load(sys.stdin)[\"architectures\"]; sys.exit(0 if a[\"native_abi\"] and \"x86\" in a[\"kernel_abis\"] + [a[\"native_abi\"]] else 1)'"
: >"$R/usr/bin/legacy32"
hc regenerate -q 2>"$T/err"
check "arch: the binary gone (empty), the drop-in goes" test ! -e "$DA"
else
        echo "ok - # SKIP architecture checks: not an x86-64 machine"
fi

# --- after a change: offline (--root) nothing reloads, restarts or logs ------------------
# Even with DPKG_ROOT=/ and SYSTEMD_OFFLINE=0, which would not stop it on the running system.
new_root offline
printf 'passwd: files sss\ngroup: files\nhosts: files\n' >"$R/etc/nsswitch.conf"
unit a.service 'RestrictAddressFamilies=AF_INET'
unit b.service 'RestrictAddressFamilies=AF_INET'
DPKG_ROOT=/ SYSTEMD_OFFLINE=0 hc regenerate --restart >"$T/out" 2>"$T/err"
check "offline: regenerate --restart exits 0" test $? = 0
check "offline: it only names the drop-ins it created" test "$(cat "$T/out")" = \
        "$(printf 'created %s\ncreated %s' "$R/etc/systemd/system/a.service.d/zz-hardening-compat.conf" "$R/etc/systemd/system/b.service.d/zz-hardening-compat.conf")"
check "offline: nothing about a reload or a restart, no error" test ! -s "$T/err"
if strace -f -o /dev/null true 2>/dev/null; then
        printf 'passwd: files\ngroup: files\nhosts: files\n' >"$R/etc/nsswitch.conf"
        DPKG_ROOT=/ SYSTEMD_OFFLINE=0 strace -f -qq -e trace=connect,sendto,sendmsg -s 256 -o "$T/trace" \
                "$HC_BIN" --root "$R" --rules-dir "$HC_SRCDIR/fragments" regenerate --restart >/dev/null 2>&1
        check "offline: the drop-ins are removed" test ! -e "$R/etc/systemd/system/a.service.d"
        check "offline: no attempt to reach systemd, the bus or the journal (strace)" \
                sh -c "! grep -E 'systemd/private|dbus/system_bus_socket|journal/socket|journal/stdout' '$T/trace'"
else
        echo "ok - # SKIP strace cannot trace here"
fi
check "--restart with --no-reload: exit 2" test "$(rc_of hc regenerate --restart --no-reload)" = 2
check "--restart with --dry-run: exit 2" test "$(rc_of hc regenerate --restart --dry-run)" = 2
check "--restart with status: exit 2" test "$(rc_of hc status --restart)" = 2
check "--help names --restart" sh -c "'$HC_BIN' --help | grep -q -- '--restart '"

# --- an NSS module that is not installed needs nothing (glibc skips it: UNAVAIL) -------------
# Only where the root shows which modules exist: libc6's libnss_files.so.2 is there.
new_root nssmodule
printf 'passwd: files sss\ngroup: files\n' >"$R/etc/nsswitch.conf"
unit a.service 'RestrictAddressFamilies=AF_INET'
mkdir -p "$R/lib/x86_64-linux-gnu"
: >"$R/lib/x86_64-linux-gnu/libnss_files.so.2"
hc regenerate -q
check "sss named but libnss_sss.so.2 missing: no drop-in" test ! -e "$R/etc/systemd/system/a.service.d"
check "explain says glibc skips it" sh -c "'$HC_BIN' --root '$R' --rules-dir '$HC_SRCDIR/fragments' explain a.service | grep -q 'libnss_sss.so.2 is not installed, so glibc skips the service'"
: >"$R/lib/x86_64-linux-gnu/libnss_sss.so.2"
hc regenerate -q
check "libnss_sss.so.2 installed: AF_UNIX granted" grep -qx 'RestrictAddressFamilies=AF_UNIX' "$R/etc/systemd/system/a.service.d/zz-hardening-compat.conf"

# --- a read that fails for a reason of the run, not of the file: stop, write nothing ---------
# (openat2() refused, as under RestrictSUIDSGID=: glibc's defaults would remove a needed drop-in)
new_root enosys
printf 'passwd: files sss\ngroup: files\n' >"$R/etc/nsswitch.conf"
unit a.service 'RestrictAddressFamilies=AF_INET'
hc regenerate -q
if strace -f -o /dev/null true 2>/dev/null; then
        rc=0
        strace -f -qq -o /dev/null -e inject=openat2:error=ENOSYS "$HC_BIN" --root "$R" --rules-dir "$HC_SRCDIR/fragments" \
                regenerate >"$T/out" 2>"$T/err" || rc=$?
        check "openat2() refused: exit 1" test "$rc" = 1
        check "openat2() refused: the error names nsswitch.conf" grep -q "nsswitch.conf: cannot read: Function not implemented; stopping" "$T/err"
        check "openat2() refused: the needed drop-in stays" test -f "$R/etc/systemd/system/a.service.d/zz-hardening-compat.conf"
else
        echo "ok - # SKIP strace cannot trace here"
fi

# --- why-failed: usage, and a root without a journal (the bed tests read real failures) ------
new_root whyfailed
unit a.service 'NoNewPrivileges=yes'
check "why-failed without a unit: exit 2" test "$(rc_of hc why-failed)" = 2
check "why-failed with two units: exit 2" test "$(rc_of hc why-failed a.service b.service)" = 2
check "why-failed with an invalid name: exit 2" test "$(rc_of hc why-failed ../a.service)" = 2
check "why-failed on a unit the root does not have: exit 4" test "$(rc_of hc why-failed nope.service)" = 4
check "why-failed on a root without a journal: no failure, exit 0" \
        sh -c "'$HC_BIN' --root '$R' --rules-dir '$HC_SRCDIR/fragments' why-failed a.service | grep -qx 'a.service: the journal has no failure of this unit.'"
check "why-failed --json without a failure: failed=false, no causes" sh -c "'$HC_BIN' --root '$R' --rules-dir \
        '$HC_SRCDIR/fragments' --json=short why-failed a.service | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(not (d[\"failed\"] is False and d[\"sandbox_causes\"] == []))'"

# --- --json outputs against their documented schemas (tests/schema/*.schema.json) ---------------
# Debian's python3-jsonschema (tests/install-deps.sh), whatever python3 is first in PATH.
V="/usr/bin/python3 $HC_SRCDIR/tests/schema/validate.py"
DEMO="--root $HC_SRCDIR/examples/demo-root --rules-dir $HC_SRCDIR/fragments"
DEMO_UNITS=$(cd "$HC_SRCDIR/examples/demo-root/lib/systemd/system" && ls -- *.service | tr '\n' ' ')
check "status --json validates against status.schema.json" sh -c "'$HC_BIN' $DEMO --json=short status 2>/dev/null | $V status"
check "explain --json of every demo unit validates against explain.schema.json" \
        sh -c "'$HC_BIN' $DEMO --json=pretty explain $DEMO_UNITS 2>/dev/null | $V explain"
check "why-failed --json validates against why-failed.schema.json" \
        sh -c "'$HC_BIN' $DEMO --json=short why-failed webapp.service 2>/dev/null | $V why-failed"
check "the validator refuses what does not match (an empty object as status)" sh -c "! echo '{}' | $V status 2>/dev/null"

# --- bash completion (src/cli/hardening-compat.bash-completion) ----------------------------------
C="bash $HC_SRCDIR/tests/cli/completion.sh $HC_SRCDIR/src/cli/hardening-compat.bash-completion hardening-compat"
check "completion: the commands" test "$($C '' | paste -sd ' ')" = "regenerate status explain diff why-failed"
check "completion: options" test "$($C --r | paste -sd ' ')" = "--root= --rules-dir= --restart"
check "completion: explain offers the root's service units" \
        test "$($C "--root=$HC_SRCDIR/examples/demo-root" explain web)" = webapp.service
check "completion: why-failed too, with --root DIR" \
        test "$($C --root "$HC_SRCDIR/examples/demo-root" why-failed sc)" = scanner.service
check "--no-pager is accepted" test "$(rc_of hc --no-pager status)" = 0
check "completion: --json values" test "$($C --json '' | paste -sd ' ')" = "pretty short"

tap_summary

#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# t-arch.sh - foreign architectures (issue 6) against a real systemd: units with
# SystemCallArchitectures=native whose commands are i386 binaries fail without
# hardening-compat's drop-in and work with it; removing the architecture through dpkg's
# post-invoke hook (hooks/dpkg-post-invoke) removes the drop-ins again.
#
# The bed (Debian 12 amd64, systemd 252) gets i386 as a foreign architecture, then hello:i386
# (/usr/bin/hello) and busybox:i386 (only /bin/busybox, no applet links); apt pulls in
# libc6:i386, libgcc-s1:i386 and gcc-12-base:i386. Both are "ELF 32-bit LSB, Intel 80386"
# (e_machine 3) and run directly on the x86-64 kernel (IA32 emulation).
# Every unit is Type=oneshot with User=hcarch (a system user made here: with User=nobody
# systemd logs "Special user nobody configured, this is not safe!").
#
#   unit              SystemCallArchitectures=  ExecStart=                       drop-in
#   hc-arch-hello     native                    /usr/bin/hello (i386)            x86
#   hc-arch-busybox   native                    /bin/busybox echo busybox-ok     x86
#   hc-arch-bbscript  native                    a "#!/bin/busybox sh" script     x86
#   hc-arch-script    native                    a "#!/bin/sh" script (dash)      none
#   hc-arch-free      (unset)                   /usr/bin/hello                   none
#   hc-arch-met       native x86                /usr/bin/hello                   none
#   hc-arch-plus      native                    +/usr/bin/hello (no sandbox)     none
#
# What systemd 252 reports for an i386 binary under SystemCallArchitectures=native (observed):
#   systemctl start: "Job for hc-arch-hello.service failed because a fatal signal was delivered
#                     to the control process."
#   journal:         "hc-arch-hello.service: Main process exited, code=killed, status=31/SYS"
#                    "hc-arch-hello.service: Failed with result 'signal'."
#   systemctl show:  Result=signal ExecMainStatus=31 ExecMainCode=2 (CLD_KILLED)
#   systemctl status: "Main PID: N (code=killed, signal=SYS)"
# (systemd's seccomp filter admits no x86 system call: the execve() of the i386 file is still
# an x86-64 call and succeeds, the new program's first x86 call gets SIGSYS.) "#!/bin/busybox
# sh" scripts fail the same way. A drop-in with just "SystemCallArchitectures=x86" is merged
# into the list (systemctl show: "native x86") and the unit works: its journal has "Hello,
# world!". (The i386 busybox's `uname -m` still says x86_64: no personality change.)
#
# The tool runs on the host with --root, as it would on an image; the bed only reloads. i386
# is added and removed by the HOST's dpkg with --root=BED (the bed's database, as for an
# image) and a post-invoke hook from a scratch HOME's .dpkg.cfg (never the host's /etc/dpkg):
# dpkg runs it with DPKG_HOOK_ACTION=add-architecture/remove-architecture and
# DPKG_ROOT=BED. The packages themselves are installed and purged by apt inside the bed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"
# shellcheck source=lib/bed.sh
. "$HERE/lib/bed.sh"

SYSDIR=/etc/systemd/system
HOOK=$HC_SRCDIR/hooks/dpkg-post-invoke
FOREIGN=(hc-arch-hello hc-arch-busybox hc-arch-bbscript)     # need x86
NATIVE=(hc-arch-script hc-arch-free hc-arch-met hc-arch-plus) # need nothing
# comment FILE STRING: a comment line of FILE contains STRING
comment() { grep '^#' "$1" | grep -qF -- "$2"; }
# the drop-ins hardening-compat wrote anywhere in the bed's /etc/systemd/system
all_dropins() { find "$ROOT$SYSDIR" -name zz-hardening-compat.conf | sort; }
# said UNIT LINE: how often the unit's processes logged LINE in this boot
said() { journal "$1" | grep -cxF -- "$2" || true; }
# says UNIT LINE N: LINE appears more than N times (the stdout stream may lag a moment)
says() {
        local i
        for i in 1 2 3 4 5 6 7 8 9 10; do
                (($(said "$1" "$2") > $3)) && return 0
                if ((i == 1)); then in_bed journalctl --sync 2>/dev/null || true; fi
                sleep 0.2
        done
        return 1
}
# what each unit prints when it works
declare -A OUT=([hc-arch-hello]='Hello, world!' [hc-arch-busybox]=busybox-ok [hc-arch-bbscript]=busybox-script-ok
        [hc-arch-script]=native-script-ok [hc-arch-free]='Hello, world!' [hc-arch-met]='Hello, world!'
        [hc-arch-plus]='Hello, world!')
# i386_skip UNIT: the unit runs an i386 program on a kernel that runs none (said as a SKIP)
i386_skip() {
        [[ -z $I386_RUNS && $1 != hc-arch-script ]] || return 1
        ok "# SKIP $1.service: the kernel runs no i386 binary"
}
# works UNIT WHAT: the unit succeeds and logs its line once more
works() {
        local before
        i386_skip "$1" && return
        before=$(said "$1.service" "${OUT[$1]}")
        if starts "$1.service" && says "$1.service" "${OUT[$1]}" "$before"; then ok "$2 ($(cat "$LOG"))"; else
                not_ok "$2: $(tr '\n' ' ' <"$LOG")"; fi
}
# killed UNIT WHAT: the unit fails with SIGSYS, as systemd reports it
killed() {
        i386_skip "$1" && return
        if ! starts "$1.service" && grep -qx 'result=signal exit=31 code=2' "$LOG" &&
                journal "$1.service" | grep -qxF "$1.service: Main process exited, code=killed, status=31/SYS"; then
                ok "$2 (status=31/SYS, $(grep -m1 '^result=' "$LOG"))"
        else
                not_ok "$2: $(tr '\n' ' ' <"$LOG")"
        fi
}
# the i386 packages dpkg knows in the bed (any state but not-installed), one a line
i386_installed() {
        # shellcheck disable=SC2016  # dpkg-query's own ${Field} syntax
        in_bed dpkg-query -W -f '${db:Status-Abbrev} ${Package}:${Architecture}\n' |
                awk '$1 !~ /^.n/ && $2 ~ /:i386$/ { print $2 }' | sort
}
# host_dpkg ARG...: the host's dpkg on the bed's database, with the hook when there is one
host_dpkg() { HOME=$SCRATCH/home dpkg --root="$ROOT" "$@"; }

bed_begin arch 20
ok "bed $BED booted, IP firewall enforced"
HOOK_CFG=$SCRATCH/home/.dpkg.cfg

# --- the hook, configured for the host's dpkg in a scratch HOME ----------------------------------
mkdir -p "$SCRATCH/home"
if [[ -f $HOOK ]]; then
        run_hook=$HOOK
        [[ -x $HOOK ]] || run_hook="sh $(printf %q "$HOOK")"
        printf 'post-invoke=HARDENING_COMPAT=%q HARDENING_COMPAT_RULES_DIR=%q %s\n' \
                "$HC_BIN" "$HC_SRCDIR/fragments" "$run_hook" >"$HOOK_CFG"
        ok "dpkg post-invoke hook: $(cat "$HOOK_CFG")"
else
        not_ok "the dpkg post-invoke hook $HOOK exists"
fi
# with_hook WHAT: after a host_dpkg call, regenerate by hand when there is no hook to do it
with_hook() { [[ -e $HOOK_CFG ]] || hc regenerate -q || not_ok "$1: regenerate by hand (no hook)"; }

# --- i386 packages -------------------------------------------------------------------------------
host_dpkg --add-architecture i386 >"$LOG" 2>&1 || bail "dpkg --root BED --add-architecture i386: $(cat "$LOG")"
with_hook "add-architecture"
check "the bed's dpkg lists i386 as a foreign architecture" \
        test "$(in_bed dpkg --print-foreign-architectures)" = i386
check "add-architecture alone (no i386 binary yet) writes no drop-in" test -z "$(all_dropins)"
t0=$EPOCHREALTIME
bed__install "$BED" hello:i386 busybox:i386 || bail "apt-get install hello:i386 busybox:i386 in the bed"
ok "apt installed $(i386_installed | tr '\n' ' ')in $(bed__secs "$t0" "$EPOCHREALTIME") s"
# elf_i386 PATH: the file in the bed is a 32-bit little-endian ELF for EM_386
elf_i386() { [[ $(od -An -tx1 -N20 "$ROOT$1" | tr -d ' \n') == 7f454c460101*0300 ]]; }
check "/usr/bin/hello is an i386 ELF (class 1, e_machine 3)" elf_i386 /usr/bin/hello
check "/bin/busybox is an i386 ELF (class 1, e_machine 3)" elf_i386 /bin/busybox
# Some kernels run no 32-bit program at all (IA32 emulation off, or a hypervisor without
# it: "Exec format error" outside any unit). There no unit can be shown killed by the
# filter or working with the drop-in: those checks are skipped, saying why; the drop-ins
# and systemd's merge of them are still checked.
hello=$(in_bed /usr/bin/hello 2>&1) || true
if [[ $hello == 'Hello, world!' ]]; then
        ok "the kernel runs i386 binaries: /usr/bin/hello outside any unit says Hello, world!"
        I386_RUNS=yes
else
        ok "# SKIP the kernel runs no i386 binary (/usr/bin/hello: ${hello//$'\n'/ }): units using one are not started"
        I386_RUNS=
fi

# --- units ---------------------------------------------------------------------------------------
in_bed useradd --system -M -d /nonexistent -s /usr/sbin/nologin hcarch || bail "useradd hcarch"
printf '#!/bin/busybox sh\necho busybox-script-ok\n' | bed__put "$BED" /usr/local/bin/hc-busybox.sh 0755 ||
        bail "write hc-busybox.sh"
printf '#!/bin/sh\necho native-script-ok\n' | bed__put "$BED" /usr/local/bin/hc-native.sh 0755 ||
        bail "write hc-native.sh"
# unit NAME ARCHS EXEC: a oneshot unit; ARCHS empty: no SystemCallArchitectures= line
unit() {
        {
                printf '[Service]\nType=oneshot\nUser=hcarch\nTimeoutStartSec=15\n'
                [[ -z $2 ]] || printf 'SystemCallArchitectures=%s\n' "$2"
                printf 'ExecStart=%s\n' "$3"
        } | bed__put "$BED" "$SYSDIR/$1.service" 0644 || bail "write $SYSDIR/$1.service"
}
unit hc-arch-hello native /usr/bin/hello
unit hc-arch-busybox native '/bin/busybox echo busybox-ok'
unit hc-arch-bbscript native /usr/local/bin/hc-busybox.sh
unit hc-arch-script native /usr/local/bin/hc-native.sh
unit hc-arch-free '' /usr/bin/hello
unit hc-arch-met 'native x86' /usr/bin/hello
unit hc-arch-plus native +/usr/bin/hello
check "no hardening-compat drop-in before regenerate" test -z "$(all_dropins)"

# --- without a drop-in ---------------------------------------------------------------------------
killed hc-arch-hello "without a drop-in, hc-arch-hello.service (native, i386 /usr/bin/hello) is killed"
i386_skip hc-arch-hello ||
        why_failed hc-arch-hello "SystemCallArchitectures=native" "why-failed hc-arch-hello.service: SystemCallArchitectures=native"
killed hc-arch-busybox "without a drop-in, hc-arch-busybox.service (native, i386 /bin/busybox) is killed"
killed hc-arch-bbscript "without a drop-in, hc-arch-bbscript.service (native, #!/bin/busybox sh) is killed"
works hc-arch-script "hc-arch-script.service (native, #!/bin/sh) works"
works hc-arch-free "hc-arch-free.service (no SystemCallArchitectures=, i386 hello) works"
works hc-arch-met "hc-arch-met.service (SystemCallArchitectures=native x86, i386 hello) works"
works hc-arch-plus "hc-arch-plus.service (native, ExecStart=+ i386 hello: no filter) works"

# --- regenerate ----------------------------------------------------------------------------------
check "regenerate on the bed's root" hc regenerate -q
in_bed systemctl daemon-reload || bail "daemon-reload"
declare -A BIN=([hc-arch-hello]=/usr/bin/hello [hc-arch-busybox]=/bin/busybox [hc-arch-bbscript]=/bin/busybox)
for u in "${FOREIGN[@]}"; do
        D=$(dropin "$u.service")
        check "$u.service: the drop-in's only setting is SystemCallArchitectures=x86" \
                only_directive "$D" SystemCallArchitectures=x86
        check "$u.service: a comment names ${BIN[$u]}" comment "$D" "${BIN[$u]}"
done
check "hc-arch-bbscript.service: a comment names the script too" \
        comment "$(dropin hc-arch-bbscript.service)" /usr/local/bin/hc-busybox.sh
for u in "${NATIVE[@]}"; do
        check "no drop-in for $u.service" test ! -e "$(dropin "$u.service")"
done
if hc explain hc-arch-hello.service >"$SCRATCH/explain" 2>&1; then ok "explain hc-arch-hello.service"; else
        not_ok "explain hc-arch-hello.service: $(head -c 2000 "$SCRATCH/explain")"; fi
check "explain names /usr/bin/hello and x86" sh -c \
        "grep -qF /usr/bin/hello '$SCRATCH/explain' && grep -Eq 'x86([^-_]|$)' '$SCRATCH/explain'"
archs=$(in_bed systemctl show -p SystemCallArchitectures --value hc-arch-hello.service)
check "systemd merges the drop-in: SystemCallArchitectures=$archs" test "$archs" = 'native x86'

# --- with the drop-ins ---------------------------------------------------------------------------
works hc-arch-hello "with the drop-in, hc-arch-hello.service says Hello, world!"
works hc-arch-busybox "with the drop-in, hc-arch-busybox.service says busybox-ok"
works hc-arch-bbscript "with the drop-in, hc-arch-bbscript.service runs its busybox script"
works hc-arch-script "hc-arch-script.service still works"
works hc-arch-free "hc-arch-free.service still works"
check "a second regenerate changes nothing" sh -c "'$HC_BIN' --root '$ROOT' --rules-dir '$HC_SRCDIR/fragments' diff >/dev/null"
dropins_with_i386=$(all_dropins)
check "3 drop-ins in all" test "$(wc -l <<<"$dropins_with_i386")" = 3

# --- removing the packages, then the architecture ------------------------------------------------
# --auto-remove leaves libc6:i386, libgcc-s1:i386 and gcc-12-base:i386 installed (apt keeps
# them as it keeps their amd64 siblings), and apt-get refuses to purge them by name without
# --allow-remove-essential (libc6 and libgcc-s1 are "Protected: yes"). dpkg --remove-architecture
# refuses while any i386 package is installed: "cannot remove architecture 'i386' currently in
# use by the database".
mapfile -t i386 < <(i386_installed)
t0=$EPOCHREALTIME
bed__run "$BED" "apt-get purge ${i386[*]}" \
        env DEBIAN_FRONTEND=noninteractive apt-get -q purge -y --allow-remove-essential "${i386[@]}" ||
        bail "purge the i386 packages in the bed"
ok "apt purged ${i386[*]} in $(bed__secs "$t0" "$EPOCHREALTIME") s"
check "no i386 package is left in the bed" test -z "$(i386_installed)"
check "nothing in the bed regenerates: the 3 drop-ins are still there" \
        test "$dropins_with_i386" = "$(all_dropins)"
if host_dpkg --remove-architecture i386 >"$LOG" 2>&1; then
        ok "dpkg --root BED --remove-architecture i386 (the host's dpkg)"
        [[ ! -s $LOG ]] || sed 's/^/# dpkg: /' "$LOG"
else
        bail "dpkg --root BED --remove-architecture i386: $(tr '\n' ' ' <"$LOG")"
fi
with_hook "remove-architecture"
check "the bed's dpkg has no foreign architecture left" test -z "$(in_bed dpkg --print-foreign-architectures)"
for u in "${FOREIGN[@]}"; do
        check "the hook's regenerate removed $u.service's drop-in" test ! -e "$(dropin "$u.service")"
done
check "no hardening-compat drop-in is left" test -z "$(all_dropins)"
check "regenerate again changes nothing (diff)" sh -c "'$HC_BIN' --root '$ROOT' --rules-dir '$HC_SRCDIR/fragments' diff >/dev/null"
check "regenerate again" hc regenerate -q
check "and writes nothing" test -z "$(all_dropins)"
in_bed systemctl daemon-reload || bail "daemon-reload"
works hc-arch-script "hc-arch-script.service still works"

dump_dropins hc-arch-hello.service "${FOREIGN[@]/%/.service}" "${NATIVE[@]/%/.service}"

tap_end

#!/bin/sh
# dpkg hook tests: hooks/dpkg-post-invoke run by the real dpkg, on a scratch root, through
# the shipped hooks/dpkg.cfg.d/hardening-compat line (only its path substituted) read
# from a scratch $HOME/.dpkg.cfg. The host's /etc/dpkg is never written, and the host's
# drop-ins are never regenerated: every dpkg run has --root and --log in the scratch
# directory. dpkg still reads the host's /etc/dpkg/dpkg.cfg.d/* (it always does).
# Root is not needed: as another user, package actions get --force-not-root.
# Needs HC_BIN (the binary) and HC_SRCDIR (the source tree).
set -u

: "${HC_BIN:?}" "${HC_SRCDIR:?}"
HOOK=$HC_SRCDIR/hooks/dpkg-post-invoke
CFG=$HC_SRCDIR/hooks/dpkg.cfg.d/hardening-compat
SHIPPED=/usr/libexec/hardening-compat/dpkg-post-invoke
PREFIX='hardening-compat (dpkg hook):'
# Whatever the caller's environment says, dpkg and the hook see only what each check sets.
unset DPKG_ROOT DPKG_ADMINDIR DPKG_HOOK_ACTION HARDENING_COMPAT HARDENING_COMPAT_RULES_DIR

for p in dpkg dpkg-deb; do
        command -v "$p" >/dev/null 2>&1 || { echo "ok - # SKIP $p is not installed"; exit 0; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/hc-hooks-XXXXXX")
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/tap.sh
. "$HC_SRCDIR/tests/tap.sh"
lines() { if [ -e "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi; }
one_log_line() { # one_log_line FILE REGEX: FILE has one line of the hook's, matching REGEX,
        # and nothing else but the stand-in tool's own message (no shell or dpkg noise)
        [ "$(grep -c "^$PREFIX" "$1")" = 1 ] && grep -q "$2" "$1" &&
                ! grep -v -e "^$PREFIX" -e '^failing tool: giving up$' "$1" && return 0
        cat "$1"
        return 1
}

case $HOOK$T in
*"'"*) echo "Bail out! a single quote in '$HOOK' or '$T'"; exit 1 ;;
esac

# --- the scratch root: a hardened unit running a 32-bit x86 program ------------------------
R=$T/root
mkdir -p "$R/var/lib/dpkg" "$R/lib/systemd/system" "$R/etc/systemd/system" "$R/usr/bin"
: >"$R/var/lib/dpkg/status"
printf 'passwd: files\ngroup: files\nhosts: files\n' >"$R/etc/nsswitch.conf"
printf '[Service]\nExecStart=/usr/bin/legacy32\nSystemCallArchitectures=native\nUser=nobody\n' \
        >"$R/lib/systemd/system/legacy32.service"
# An ELF32 header: "\177ELF", ELFCLASS32, ELFDATA2LSB, EV_CURRENT; e_type ET_EXEC (2),
# e_machine EM_386 (3), e_version 1, little-endian; zeros to 64 bytes.
{
        printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000'
        printf '\002\000\003\000\001\000\000\000'
        printf '\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000'
        printf '\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000'
} >"$R/usr/bin/legacy32"
chmod 0755 "$R/usr/bin/legacy32"
DROPIN=$R/etc/systemd/system/legacy32.service.d/zz-hardening-compat.conf

# --- dpkg's configuration: the shipped snippet with the script's path substituted -------
H=$T/home
mkdir "$H"
sed "s|$SHIPPED|'$HOOK'|g" "$CFG" >"$H/.dpkg.cfg"
# A second hook after ours records every action dpkg ran hooks for, so "the tool was not
# called" below is not true merely because no hook ran at all.
# shellcheck disable=SC2016 # $DPKG_HOOK_ACTION is for the hook's shell
printf 'post-invoke=echo "$DPKG_HOOK_ACTION" >>%s\n' "'$T/actions'" >>"$H/.dpkg.cfg"

NOTROOT=
[ "$(id -u)" = 0 ] || NOTROOT=--force-not-root
dp() { # dp TOOL DPKG-ARGS...: dpkg on the scratch root, the hook running TOOL
        tool=$1; shift
        # shellcheck disable=SC2086 # $NOTROOT is empty or one word
        HOME=$H HARDENING_COMPAT=$tool HARDENING_COMPAT_RULES_DIR=$HC_SRCDIR/fragments \
                dpkg --root="$R" --log="$T/dpkg.log" $NOTROOT "$@"
}

# Programs standing in for hardening-compat.
REC=$T/recorder
# shellcheck disable=SC2016 # expanded by the recorder
printf '#!/bin/sh\nprintf "%%s|%%s\\n" "$*" "${DPKG_ADMINDIR:-}" >>%s\n' "'$T/rec'" >"$REC"
printf '#!/bin/sh\necho "failing tool: giving up" >&2\nexit 1\n' >"$T/tool-fails"
printf '#!/bin/sh\nkill -SEGV $$\n' >"$T/tool-segv"
printf '#!/bin/sh\nkill -KILL $$\n' >"$T/tool-kill"
printf 'not executable\n' >"$T/tool-noexec"
mkdir "$T/tool-dir"
chmod 0755 "$REC" "$T/tool-fails" "$T/tool-segv" "$T/tool-kill"

# --- h. the script and this test are shellcheck clean ------------------------------------
if command -v shellcheck >/dev/null 2>&1; then
        check "shellcheck hooks/dpkg-post-invoke" shellcheck -s sh "$HOOK"
        # shellcheck disable=SC2016 # $1 is for the inner shell
        check "shellcheck tests/hooks/run.sh" sh -c 'cd "$1" && shellcheck -x -s sh tests/hooks/run.sh' sh "$HC_SRCDIR"
else
        echo "ok - # SKIP shellcheck is not installed"
fi
check "the hook script is executable" test -x "$HOOK"

# --- g. the shipped dpkg configuration snippet --------------------------------------------
LINE=$(sed -n 's/^post-invoke=//p' "$CFG")
check "the snippet has exactly one line that is not a comment, a post-invoke= line" \
        test "$(grep -v '^#' "$CFG" | grep -c .)/$(grep -c '^post-invoke=' "$CFG")" = 1/1
check "the snippet's name is one dpkg reads from dpkg.cfg.d (alnum, '_', '-')" \
        sh -c "basename '$CFG' | grep -qx '[A-Za-z0-9][A-Za-z0-9_-]*'"
check "the snippet runs $SHIPPED" sh -c "printf '%s\n' '$LINE' | grep -q '$SHIPPED'"
# Never run the line with the real path: on a host with the package it would regenerate /.
ABSENT=$(printf '%s\n' "$LINE" | sed "s|$SHIPPED|'$T/absent/dpkg-post-invoke'|g")
for a in add-architecture remove-architecture configure; do
        check "snippet, script removed (conffile left): exits 0 for $a, silently" \
                sh -c "out=\$(DPKG_HOOK_ACTION=$a sh -c \"\$1\" 2>&1) && test -z \"\$out\"" - "$ABSENT"
done
FAILING=$(printf '%s\n' "$LINE" | sed "s|$SHIPPED|'$T/tool-fails'|g")
check "snippet, a failing script: still exits 0" \
        sh -c "DPKG_HOOK_ACTION=add-architecture sh -c \"\$1\" 2>/dev/null" - "$FAILING"
check "dpkg accepts the snippet as configuration" sh -c "HOME='$H' dpkg --root='$R' --print-architecture"

# --- f. the script run directly: root "/" for DPKG_ROOT="", arguments, other actions ---
: >"$T/rec"
out=$(DPKG_HOOK_ACTION=add-architecture DPKG_ROOT='' HARDENING_COMPAT=$REC "$HOOK" 2>&1); rc=$?
check "DPKG_ROOT='': exit 0, nothing on stderr" test "$rc/$out" = "0/"
check "DPKG_ROOT='': the tool gets --root / regenerate" test "$(cat "$T/rec")" = "--root / regenerate|"
: >"$T/rec"
DPKG_HOOK_ACTION=remove-architecture HARDENING_COMPAT="$REC" \
        HARDENING_COMPAT_RULES_DIR=/x/rules DPKG_ADMINDIR=/x/admin "$HOOK"
check "DPKG_ROOT unset: --root /; --rules-dir when set; DPKG_ADMINDIR passed through" \
        test "$(cat "$T/rec")" = "--root / --rules-dir /x/rules regenerate|/x/admin"
: >"$T/rec"
for a in '' unpack configure install triggers-only remove purge frobnicate; do
        DPKG_HOOK_ACTION=$a DPKG_ROOT=$R HARDENING_COMPAT=$REC "$HOOK" || not_ok "hook exits 0 for action '$a'"
done
HARDENING_COMPAT=$REC "$HOOK" || not_ok "hook exits 0 without DPKG_HOOK_ACTION"
check "other actions and no action: the tool is not run" test "$(lines "$T/rec")" = 0
out=$(DPKG_HOOK_ACTION=add-architecture DPKG_ROOT=$R HARDENING_COMPAT=$T/tool-fails sh -e "$HOOK" 2>&1); rc=$?
check "run with sh -e and a failing tool: still exit 0 and the log line" \
        sh -c "test $rc = 0 && printf '%s\n' \"\$1\" | grep -q '^$PREFIX add-architecture: .* failed with exit status 1'" - "$out"
: >"$T/rec"
DPKG_HOOK_ACTION=add-architecture DPKG_ROOT=/x HARDENING_COMPAT=$REC "$HOOK" 2>&-; rc=$?
check "stderr closed: exit 0, the tool still runs" test "$rc/$(cat "$T/rec")" = "0/--root /x regenerate|"
out=$(DPKG_HOOK_ACTION=add-architecture DPKG_ROOT=$R HARDENING_COMPAT=tool-not-in-path-$$ PATH=/usr/bin:/bin "$HOOK" 2>&1); rc=$?
check "a bare tool name not in PATH: exit 0 and the log line" \
        sh -c "test $rc = 0 && printf '%s\n' \"\$1\" | grep -q '^$PREFIX add-architecture: tool-not-in-path-$$ is not installed'" - "$out"

# --- c. dpkg's package actions do not run the tool ----------------------------------------
mkdir -p "$T/pkg/DEBIAN" "$T/pkg/usr/lib/hc-hook-test"
printf 'Package: hc-hook-test\nVersion: 1.0\nArchitecture: all\nMaintainer: hardening-compat tests <root@localhost>\nDescription: hook test\n' \
        >"$T/pkg/DEBIAN/control"
echo test >"$T/pkg/usr/lib/hc-hook-test/file"
dpkg-deb --root-owner-group --build "$T/pkg" "$T/hc-hook-test.deb" >/dev/null 2>&1 ||
        not_ok "dpkg-deb builds the test package"
: >"$T/rec"
: >"$T/actions"
check "dpkg -i of a package exits 0" dp "$REC" -i "$T/hc-hook-test.deb"
check "dpkg --configure -a exits 0" dp "$REC" --configure -a
check "dpkg --triggers-only -a exits 0" dp "$REC" --triggers-only -a
check "dpkg --unpack exits 0" dp "$REC" --unpack "$T/hc-hook-test.deb"
check "dpkg --configure exits 0" dp "$REC" --configure hc-hook-test
check "dpkg --remove exits 0" dp "$REC" --remove hc-hook-test
check "dpkg --purge exits 0" dp "$REC" --purge hc-hook-test
check "dpkg ran the post-invoke hooks for each of those" \
        test "$(tr '\n' ' ' <"$T/actions")" = "install configure triggers-only unpack configure remove purge "
check "for none of them was the tool run" test "$(lines "$T/rec")" = 0
: >"$T/rec"
check "dpkg --add-architecture arm64 (recorder) exits 0" dp "$REC" --add-architecture arm64
check "dpkg --remove-architecture arm64 (recorder) exits 0" dp "$REC" --remove-architecture arm64
want="--root $R --rules-dir $HC_SRCDIR/fragments regenerate|$R/var/lib/dpkg"
check "the architecture actions ran the tool, with dpkg's root and DPKG_ADMINDIR" \
        test "$(cat "$T/rec")" = "$want
$want"

# --- a, b. dpkg --add-architecture i386 writes the drop-in -------------------------------
check "before: no drop-in" test ! -e "$DROPIN"
dp "$HC_BIN" --add-architecture i386 >"$T/out" 2>"$T/err"; rc=$?
check "dpkg --add-architecture i386 exits 0" test "$rc" = 0
check "dpkg --add-architecture i386: nothing on stderr" test ! -s "$T/err"
check "the drop-in exists" test -f "$DROPIN"
check "its only directive is SystemCallArchitectures=x86" \
        test "$(grep -E '^[A-Za-z]+=' "$DROPIN" 2>&1)" = SystemCallArchitectures=x86
check "the tool's report came through on stdout" grep -q "legacy32.service.d/zz-hardening-compat.conf" "$T/out"
check "dpkg --print-foreign-architectures shows i386" \
        test "$(HOME=$H dpkg --root="$R" --print-foreign-architectures)" = i386
dp "$HC_BIN" --add-architecture i386 >/dev/null 2>&1; rc=$?
check "adding i386 again (a no-op, hooks still run): exit 0, drop-in kept" \
        sh -c "test $rc = 0 && grep -qx SystemCallArchitectures=x86 '$DROPIN'"

# --- d. the 32-bit program gone, dpkg --remove-architecture i386 removes the drop-in ------
rm -f "$R/usr/bin/legacy32"
check "dpkg --remove-architecture i386 exits 0" dp "$HC_BIN" --remove-architecture i386
check "the drop-in is gone" test ! -e "$DROPIN"
check "dpkg --print-foreign-architectures is empty" \
        test -z "$(HOME=$H dpkg --root="$R" --print-foreign-architectures)"

# --- e. a broken tool never breaks dpkg ---------------------------------------------------
for t in "tool-fails:failed with exit status 1" \
        "tool-segv:was killed by signal 11 (SIGSEGV)" \
        "tool-kill:was killed by signal 9 (SIGKILL)" \
        "tool-absent:is not installed or not executable" \
        "tool-noexec:is not installed or not executable" \
        "tool-dir:is not installed or not executable"; do
        tn=${t%%:*} msg=${t#*:}
        for a in add-architecture remove-architecture; do
                dp "$T/$tn" --"$a" armhf >"$T/out" 2>"$T/err"; rc=$?
                check "$tn: dpkg --$a armhf exits 0" test "$rc" = 0
                check "$tn: --$a: stderr is one line saying the tool $msg" \
                        one_log_line "$T/err" "^$PREFIX $a: .*$msg"
        done
        DPKG_HOOK_ACTION=add-architecture DPKG_ROOT=$R HARDENING_COMPAT=$T/$tn "$HOOK" >/dev/null 2>&1; rc=$?
        check "$tn: the script itself exits 0 (without the snippet's '|| true')" test "$rc" = 0
        check "$tn: armhf was added and removed" \
                test -z "$(HOME=$H dpkg --root="$R" --print-foreign-architectures)"
done

tap_summary

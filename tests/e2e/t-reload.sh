#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2016  # (sh -c scripts run in the bed)
# t-reload.sh - after a change (issue 8, part 4) against a real systemd: the tool runs INSIDE
# the bed, on its running system (root /), as a package trigger would.
#
# The bed gets our binary in /usr/local/sbin and the rules in /usr/share/hardening-compat/
# fragments.d. "passwd: files systemd" in nsswitch.conf makes every unit with an
# RestrictAddressFamilies= allow list without AF_UNIX need AF_UNIX (nss-systemd talks varlink
# to /run/systemd/userdb/); "hosts: files dns" with "nameserver 127.0.0.77" makes a unit behind
# IPAddressDeny=any that may reach 192.0.2.0/24 need IPAddressAllow=127.0.0.77.
#
#   unit                 state              drop-in                      restart needed
#   hc-reload-af         running (sleep)    RestrictAddressFamilies=AF_UNIX  yes (exec time)
#   hc-reload-t@a        running instance   (of the template's drop-in)      yes
#   hc-reload-fail       running (sleep)    RestrictAddressFamilies=AF_UNIX  yes; its restart
#                                                                            fails (ExecStartPre)
#   hc-reload-ip         running (udp loop) IPAddressAllow=127.0.0.77        no: a reload applies
#                                                                            it to the cgroup
#   hc-reload-once       active (exited)    RestrictAddressFamilies=AF_UNIX  no: nothing runs
#   hc-reload-idle       inactive           RestrictAddressFamilies=AF_UNIX  no
#
# Shown: the first run creates the drop-ins, reloads (systemd's UnitsLoadTimestamp moves, PID 1
# logs "Reloading.", the new settings are loaded), names exactly the three running units that
# need a restart and restarts nothing (MainPID and ExecMainStartTimestamp unchanged); the
# IPAddressAllow= change reaches the running loop without a restart; a second run writes
# nothing and does not reload; a chroot (with the bed's /etc, /run and /proc bind-mounted, so
# sd_booted() is true in it and PID 1's bus is reachable), DPKG_ROOT=/srv/c and
# SYSTEMD_OFFLINE=1 write but neither reload nor log; DPKG_ROOT=/ reloads; with PID 1 out of
# reach the run says so in one line and exits 1; --restart restarts the two units (new
# MainPIDs) and nothing else, and says in one line that the third failed (exit 1), on PID 1's
# private socket and on the system bus; --no-reload writes and names the units, no reload.
# Every run on the running system leaves one journal entry with
# MESSAGE_ID=ff82e858e4334eac81eb44e9d83dcf75 and its fields.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/tap.sh
. "$HERE/lib/tap.sh"
# shellcheck source=lib/bed.sh
. "$HERE/lib/bed.sh"

MSGID=ff82e858e4334eac81eb44e9d83dcf75
SYSDIR=/etc/systemd/system
RUNNING=(hc-reload-af.service hc-reload-t@a.service)    # need a restart
FAILING=hc-reload-fail.service                          # needs one, which fails
KEPT=(hc-reload-ip.service)                             # running, need none

# tool ARGS...: hardening-compat inside the bed; stdout+stderr to $OUT, exit status to $RC
tool() { RC=0; in_bed "$@" >"$OUT" 2>&1 </dev/null || RC=$?; sed 's/^/#   | /' "$OUT"; }
prop() { in_bed systemctl show -p "$1" --value "${@:2}"; }
loads() { prop UnitsLoadTimestampMonotonic; }
# journal_sync: journald has written everything sent so far (our entries, PID 1's)
journal_sync() { in_bed journalctl --sync; }
reloads() { journal_sync; in_bed journalctl -b --no-pager -o cat _PID=1 | grep -cx 'Reloading\.' || true; }
entries() { journal_sync; in_bed journalctl -b --no-pager -o cat MESSAGE_ID=$MSGID | wc -l; }
# last_entry PY: the newest entry of ours, as JSON, satisfies the python expression PY (e)
last_entry() {
        journal_sync
        in_bed journalctl -b --no-pager -o json -n 1 MESSAGE_ID=$MSGID |
                python3 -c "import json,sys; e=json.load(sys.stdin); l=lambda k: e[k] if isinstance(e.get(k), list) else ([e[k]] if k in e else []); sys.exit(0 if ($1) else 1)"
}
pids() { local u; for u in "$@"; do prop MainPID,ExecMainStartTimestampMonotonic "$u" | tr '\n' ' '; done; }
# says WHAT: the output of the last tool run has exactly the line WHAT
says() { grep -qxF -- "$1" "$OUT"; }
restart_lines() { grep -c ': running, restart it for the new sandbox to take effect$' "$OUT" || true; }
nsswitch_passwd() { in_bed sed -i "s/^passwd:.*/passwd:         $1/" /etc/nsswitch.conf; }
ip_state() { # ip_state STATE: the udp loop of hc-reload-ip reports STATE within 5 s
        local _
        for _ in $(seq 25); do [[ $(in_bed cat /run/hc-reload-ip.state 2>/dev/null) == "$1" ]] && return 0; sleep 0.2; done
        return 1
}

bed_begin reload 20
OUT=$SCRATCH/out

# --- the tool inside the bed -----------------------------------------------------------------
bed__put "$BED" /usr/local/sbin/hardening-compat 0755 <"$HC_BIN" || bail "copy the binary into the bed"
(cd "$HC_SRCDIR/fragments" && tar --owner=0 --group=0 -cf - -- *.rules) |
        in_bed sh -c 'mkdir -p /usr/share/hardening-compat/fragments.d && tar -C /usr/share/hardening-compat/fragments.d -xf -' ||
        bail "copy the rules into the bed"
# lib_packages: the host packages that ship the shared libraries the bed lacks (libjson-c5,
# libseccomp2, libsystemd0; minbase has them through systemd; a sanitizer build needs libasan8
# and libubsan1 too)
lib_packages() {
        local lib path alt
        in_bed ldd /usr/local/sbin/hardening-compat | awk '$2 == "=>" && $3 == "not" { print $1 }' |
                while read -r lib; do
                        path=$(ldd "$HC_BIN" | awk -v l="$lib" '$1 == l { print $3 }')
                        alt=${path#/usr}
                        [[ $alt != "$path" ]] || alt=/usr$path
                        { dpkg -S "$path" 2>/dev/null || dpkg -S "$alt"; } | head -n 1 | cut -d: -f1
                done | sort -u
}
mapfile -t pkgs < <(lib_packages)
# the NSS module whose AF_UNIX need the units below get (glibc skips a module that is not
# installed, and so does the tool)
pkgs+=(libnss-systemd)
if ((${#pkgs[@]})); then
        bed__install "$BED" "${pkgs[@]}" || bail "install the tool's libraries: ${pkgs[*]}"
fi
if in_bed hardening-compat --version >"$OUT" 2>&1; then ok "the tool runs in the bed: $(cat "$OUT")"; else bail "the tool runs in the bed"; fi
# libnss-systemd's postinst adds "systemd" to more lines than passwd: only passwd varies below
in_bed sed -i 's/^\(group\|shadow\|gshadow\):.*/\1:          files/' /etc/nsswitch.conf || bail "nsswitch.conf: files only"

# --- the units ---------------------------------------------------------------------------------
unit() { printf '[Service]\n%b\n' "$2" | bed__put "$BED" "$SYSDIR/$1" 0644; }
unit hc-reload-af.service 'ExecStart=/bin/sleep infinity\nRestrictAddressFamilies=AF_INET'
unit hc-reload-t@.service 'ExecStart=/bin/sleep infinity\nRestrictAddressFamilies=AF_INET'
unit hc-reload-once.service 'Type=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\nRestrictAddressFamilies=AF_INET'
unit hc-reload-idle.service 'ExecStart=/bin/sleep infinity\nRestrictAddressFamilies=AF_INET'
unit $FAILING "ExecStartPre=/bin/sh -c 'test ! -e /run/hc-reload-fail.started'\nExecStartPre=/bin/touch /run/hc-reload-fail.started\nExecStart=/bin/sleep infinity\nRestrictAddressFamilies=AF_INET"
# UDP to a denied address fails with EPERM at the BPF firewall; to an allowed one, the
# datagram leaves (nothing listens: fine).
unit hc-reload-ip.service "ExecStart=/bin/bash -c 'while :; do if echo x 2>/dev/null >/dev/udp/127.0.0.77/53; then s=reachable; else s=blocked; fi; echo \$s >/run/hc-reload-ip.state; sleep 0.2; done'\nIPAddressDeny=any\nIPAddressAllow=192.0.2.0/24"
in_bed systemctl daemon-reload
in_bed systemctl start hc-reload-af.service hc-reload-t@a.service hc-reload-once.service hc-reload-ip.service $FAILING ||
        bail "start the units"
ip_state blocked || bail "hc-reload-ip: the firewall blocks 127.0.0.77 before any drop-in"
ok "units started; the firewall blocks hc-reload-ip's datagrams to 127.0.0.77"
nsswitch_passwd 'files systemd'
printf 'nameserver 127.0.0.77\n' | bed__put "$BED" /etc/resolv.conf 0644

# --- 1. the first run: create, reload, name the units to restart, restart nothing ------------
check "before: hc-reload-af allows AF_INET only" test "$(prop RestrictAddressFamilies hc-reload-af.service)" = AF_INET
before_pids=$(pids "${RUNNING[@]}" $FAILING "${KEPT[@]}")
declare -A pid0
for u in "${RUNNING[@]}"; do pid0[$u]=$(prop MainPID "$u"); done
l0=$(loads) r0=$(reloads) e0=$(entries)
tool hardening-compat regenerate
check "regenerate exits 0" test "$RC" = 0
for u in hc-reload-af hc-reload-t@ hc-reload-fail hc-reload-ip hc-reload-once hc-reload-idle; do
        check "created the drop-in of $u" says "created $SYSDIR/$u.service.d/zz-hardening-compat.conf"
done
check "and nothing else" test "$(grep -c '^created ' "$OUT")" = 6
check "it says it reloaded systemd" says "reloaded systemd"
check "systemd reloaded: UnitsLoadTimestamp moved" test "$(loads)" != "$l0"
check "systemd reloaded: PID 1 logged one 'Reloading.'" test "$(reloads)" = $((r0 + 1))
check "after: systemd has loaded RestrictAddressFamilies=AF_INET AF_UNIX" \
        test "$(prop RestrictAddressFamilies hc-reload-af.service)" = "AF_INET AF_UNIX"
check "after: no unit needs a daemon-reload" test "$(prop NeedDaemonReload hc-reload-af.service)" = no
for u in "${RUNNING[@]}" $FAILING; do
        check "names $u as running, to restart" says "$u: running, restart it for the new sandbox to take effect"
done
check "and no other unit (not the live IP change, the exited oneshot, the inactive unit)" test "$(restart_lines)" = 3
check "restarts nothing: MainPID and ExecMainStartTimestamp unchanged" test "$(pids "${RUNNING[@]}" $FAILING "${KEPT[@]}")" = "$before_pids"
tool hardening-compat status
check "status lists the same running units as needing a restart (started before their drop-in)" \
        says "Restart needed (running since before their drop-in was written): hc-reload-af.service hc-reload-fail.service hc-reload-t@a.service"
check "status: no firewall warning in the bed (unified cgroup hierarchy, BPF firewall enforced)" \
        sh -c "! grep -q '^Warning: /sys/fs/cgroup is not the unified' '$OUT'"
check "the reload alone lets hc-reload-ip (same process) reach 127.0.0.77" ip_state reachable
check "one journal entry" test "$(entries)" = $((e0 + 1))
check "its fields: root, counts, units, reload, units to restart" last_entry \
        "e['HARDENING_COMPAT_ROOT']=='/' and e['HARDENING_COMPAT_CREATED']=='6' and e['HARDENING_COMPAT_UPDATED']=='0'
         and e['HARDENING_COMPAT_REMOVED']=='0' and e['HARDENING_COMPAT_RELOADED']=='yes' and e['PRIORITY']=='6'
         and e['SYSLOG_IDENTIFIER']=='hardening-compat'
         and sorted(l('HARDENING_COMPAT_UNIT'))==['hc-reload-af.service','hc-reload-fail.service','hc-reload-idle.service','hc-reload-ip.service','hc-reload-once.service','hc-reload-t@.service']
         and sorted(l('HARDENING_COMPAT_RESTART_NEEDED'))==['hc-reload-af.service','hc-reload-fail.service','hc-reload-t@a.service']
         and l('HARDENING_COMPAT_RESTARTED')==[]"

# --- 2. the second run: nothing written, no reload ---------------------------------------------
l0=$(loads) r0=$(reloads) e0=$(entries)
tool hardening-compat regenerate
check "second run exits 0 and prints nothing" test "$RC:$(wc -c <"$OUT")" = 0:0
check "no reload: UnitsLoadTimestamp unchanged" test "$(loads)" = "$l0"
check "no reload: no 'Reloading.' from PID 1" test "$(reloads)" = "$r0"
check "its journal entry says nothing changed, not reloaded" last_entry \
        "e['MESSAGE']=='Drop-ins regenerated: nothing changed.' and e['HARDENING_COMPAT_RELOADED']=='no' and l('HARDENING_COMPAT_UNIT')==[]"
check "(one entry)" test "$(entries)" = $((e0 + 1))
tool hardening-compat regenerate --restart --no-reload
check "--restart with --no-reload: exit 2" test "$RC" = 2
tool hardening-compat regenerate --restart --dry-run
check "--restart with --dry-run: exit 2" test "$RC" = 2

# --- 3. not the running system: a chroot, DPKG_ROOT, SYSTEMD_OFFLINE ---------------------------
# offline WHAT: the last run changed files, and neither reloaded, nor listed, nor logged
offline() {
        check "$1: exit 0, drop-ins $2" sh -c "test '$RC' = 0 && grep -q '^$2 ' '$OUT'"
        check "$1: no reload, no restart list" sh -c "! grep -q 'reloaded\|restart' '$OUT'"
        check "$1: UnitsLoadTimestamp unchanged" test "$(loads)" = "$l0"
        check "$1: no journal entry" test "$(entries)" = "$e0"
}
in_bed sh -c 'set -e; for d in usr etc var run proc dev; do mkdir -p /srv/c/$d; mount --bind /$d /srv/c/$d; done
        for l in bin sbin lib lib64; do ln -sfn usr/$l /srv/c/$l; done' || bail "chroot /srv/c"
check "in the chroot, systemd seems booted (/run/systemd/system) and / is not PID 1's root" \
        in_bed chroot /srv/c sh -c 'test -d /run/systemd/system && test "$(stat -L -c %d:%i /)" != "$(stat -L -c %d:%i /proc/1/root)"'
l0=$(loads) e0=$(entries)
nsswitch_passwd files
tool chroot /srv/c hardening-compat regenerate
offline "chroot" removed
nsswitch_passwd 'files systemd'
tool env DPKG_ROOT=/srv/c hardening-compat regenerate
offline "DPKG_ROOT=/srv/c" created
nsswitch_passwd files
tool env SYSTEMD_OFFLINE=1 hardening-compat regenerate
offline "SYSTEMD_OFFLINE=1" removed
in_bed sh -c 'for d in dev proc run var etc usr; do umount /srv/c/$d; done' || not_ok "unmount the chroot's bind mounts"

# --- 4. DPKG_ROOT=/ is the running system ---------------------------------------------------
nsswitch_passwd 'files systemd'
l0=$(loads) e0=$(entries)
tool env DPKG_ROOT=/ hardening-compat regenerate
check "DPKG_ROOT=/: created and reloaded" sh -c "test '$RC' = 0 && grep -q '^created ' '$OUT' && grep -qx 'reloaded systemd' '$OUT'"
check "DPKG_ROOT=/: UnitsLoadTimestamp moved" test "$(loads)" != "$l0"
check "DPKG_ROOT=/: the same three units to restart" test "$(restart_lines)" = 3
check "DPKG_ROOT=/: one journal entry" test "$(entries)" = $((e0 + 1))

# --- 5. a reload that fails: one line, exit 1, an error entry in the journal ----------------
# A mount namespace where neither PID 1's private socket nor the system bus can be reached
# (the root, /run/systemd/system and the journal's socket are still there).
nsswitch_passwd files
l0=$(loads) e0=$(entries)
tool unshare -m sh -c 'mount --bind /dev/null /run/systemd/private && mount -t tmpfs tmpfs /run/dbus &&
        exec hardening-compat regenerate'
check "no systemd to reach: exit 1" test "$RC" = 1
check "no systemd to reach: the drop-ins are removed all the same" test "$(grep -c '^removed ' "$OUT")" = 5
check "no systemd to reach: one line says why" sh -c "test \"\$(grep -v '^removed ' '$OUT')\" = 'hardening-compat: cannot connect to systemd: No such file or directory'"
check "no systemd to reach: no reload" test "$(loads)" = "$l0"
check "no systemd to reach: an error entry in the journal" last_entry \
        "e['PRIORITY']=='3' and e['HARDENING_COMPAT_RELOADED']=='no' and e['HARDENING_COMPAT_EXIT_STATUS']=='1' and e['HARDENING_COMPAT_REMOVED']=='5'"
check "(one entry)" test "$(entries)" = $((e0 + 1))

# --- 6. --restart -------------------------------------------------------------------------------
nsswitch_passwd 'files systemd'
kept_pids=$(pids "${KEPT[@]}") once=$(pids hc-reload-once.service)
tool hardening-compat regenerate --restart
check "--restart: exit 1 (one restart failed), created, reloaded" sh -c "test '$RC' = 1 && grep -q '^created ' '$OUT' && grep -qx 'reloaded systemd' '$OUT'"
check "--restart: one line says which restart failed" says \
        "hardening-compat: restarting '$FAILING' failed (job result: failed); see 'systemctl status $FAILING'"
for u in "${RUNNING[@]}"; do
        check "--restart: restarted $u" says "restarted $u"
done
check "--restart: nothing else restarted, none left to restart" \
        test "$(grep -c '^restarted ' "$OUT"):$(restart_lines)" = 2:0
for u in "${RUNNING[@]}"; do
        now=$(prop MainPID "$u")
        check "--restart: $u has a new MainPID ($now, was ${pid0[$u]})" test "$now" != "${pid0[$u]}" -a "$now" != 0
        check "--restart: $u runs again, with AF_UNIX" \
                test "$(prop ActiveState "$u"):$(prop RestrictAddressFamilies "$u")" = "active:AF_INET AF_UNIX"
done
check "--restart: hc-reload-ip and hc-reload-once untouched" test "$(pids "${KEPT[@]}"):$(pids hc-reload-once.service)" = "$kept_pids:$once"
check "--restart: hc-reload-idle still inactive" test "$(prop ActiveState hc-reload-idle.service)" = inactive
tool hardening-compat status
check "--restart: status no longer lists the restarted units" sh -c "grep -q '^Restart needed' '$OUT' && ! grep '^Restart needed' '$OUT' | grep -qE 'hc-reload-af|hc-reload-t@a'"
check "--restart: the journal entry names the restarted units" last_entry \
        "e['HARDENING_COMPAT_CREATED']=='5' and sorted(l('HARDENING_COMPAT_RESTARTED'))==['hc-reload-af.service','hc-reload-t@a.service']
         and l('HARDENING_COMPAT_RESTART_NEEDED')==['$FAILING'] and e['HARDENING_COMPAT_RELOADED']=='yes'
         and e['PRIORITY']=='3' and e['HARDENING_COMPAT_EXIT_STATUS']=='1'"
now=$(pids "${RUNNING[@]}")
tool hardening-compat regenerate --restart
check "--restart again: nothing changed, nothing restarted" test "$RC:$(wc -c <"$OUT"):$(pids "${RUNNING[@]}")" = "0:0:$now"

# --- 7. on the system bus (dbus-daemon), when PID 1's private socket is out of reach ----------
nsswitch_passwd files
for u in "${RUNNING[@]}"; do pid0[$u]=$(prop MainPID "$u"); done
l0=$(loads)
tool unshare -m sh -c 'mount --bind /dev/null /run/systemd/private && exec hardening-compat regenerate --restart'
check "system bus: exit 0, removed, reloaded" sh -c "test '$RC' = 0 && grep -q '^removed ' '$OUT' && grep -qx 'reloaded systemd' '$OUT'"
check "system bus: UnitsLoadTimestamp moved" test "$(loads)" != "$l0"
for u in "${RUNNING[@]}"; do
        check "system bus: restarted $u (new MainPID)" sh -c "grep -qx 'restarted $u' '$OUT' && test '$(prop MainPID "$u")' != '${pid0[$u]}'"
done
check "system bus: nothing else (the failed unit is not running)" test "$(grep -c '^restarted ' "$OUT"):$(restart_lines)" = 2:0

# --- 8. --no-reload: written and named, not reloaded ---------------------------------------
nsswitch_passwd 'files systemd'
l0=$(loads) e0=$(entries)
tool hardening-compat regenerate --no-reload
check "--no-reload: exit 0, created, not reloaded" sh -c "test '$RC' = 0 && grep -q '^created ' '$OUT' && ! grep -q '^reloaded' '$OUT'"
check "--no-reload: UnitsLoadTimestamp unchanged" test "$(loads)" = "$l0"
check "--no-reload: the running units still named" test "$(restart_lines)" = 2
check "--no-reload: journal entry with RELOADED=no" last_entry \
        "e['HARDENING_COMPAT_RELOADED']=='no' and e['HARDENING_COMPAT_CREATED']=='5' and len(l('HARDENING_COMPAT_RESTART_NEEDED'))==2"

tap_end

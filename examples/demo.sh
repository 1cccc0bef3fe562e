#!/bin/sh
# make demo: the main job on the bundled example root, without writing anything.
set -eu
bin=${1:-build/hardening-compat}
here=$(dirname "$0")
run() {
        printf '\n$ hardening-compat --root examples/demo-root %s\n' "$*"
        "$bin" --root "$here/demo-root" --rules-dir "$here/../fragments" "$@"
}
echo "Example root: examples/demo-root (an SSSD + Avahi host with six service units; vsftpd authenticates through PAM, scanner runs a 32-bit binary)."
run regenerate --dry-run
run explain webapp.service
run explain vsftpd.service
run explain scanner.service
rc=0
run diff >/dev/null || rc=$?
printf '\n(diff exit status %s: 3 means regenerate would change something)\n' "$rc"

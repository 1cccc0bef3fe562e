#!/bin/sh
# Install what building and testing hardening-compat needs, when it is missing: with
# apt-get when run as root on Debian, else a list of what to install.
set -eu

# With arguments, those packages instead (make fuzz: clang, libclang-rt-14-dev; make
# check-reliability: strace, time).
pkgs="gcc make pkg-config libjson-c-dev libsystemd-dev libdpkg-dev libseccomp-dev check libpam0g-dev systemd python3 python3-jsonschema"
[ $# -eq 0 ] || pkgs="$*"
missing=
for p in $pkgs; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing build dependencies:$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # --no-install-recommends: systemd-container and friends would edit /etc/nsswitch.conf.
        # shellcheck disable=SC2086 # a list of package names
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
        echo "missing build dependencies:$missing" >&2
        echo "install them with: apt-get install --no-install-recommends$missing" >&2
        exit 1
fi

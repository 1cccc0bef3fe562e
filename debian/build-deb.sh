#!/bin/sh
# build-deb.sh SRCDIR OUTDIR: build the hardening-compat binary package from the files of
# the tree SRCDIR, in a scratch copy, and put the .deb, .changes and .buildinfo into OUTDIR
# (created if needed); prints the .deb's path. "make deb" and tests/e2e/t-lifecycle.sh
# run it.
#
# A copy, so that no build product (debian/hardening-compat/, debian/files, build/) ever
# lands in SRCDIR, whatever state SRCDIR is in. From a git work tree the copy is what git
# would commit: tracked files as they are now, and untracked ones that are not ignored;
# otherwise every file but .git and the build directories.
# Needs the build dependencies of debian/control on this host (dpkg-buildpackage checks).
# DEB_BUILD_OPTIONS passes through (nocheck skips the tests); the build log is
# OUTDIR/build.log.
set -eu

src=${1:?usage: build-deb.sh SRCDIR OUTDIR}
out=${2:?usage: build-deb.sh SRCDIR OUTDIR}
src=$(cd "$src" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/var/tmp}/hc-deb-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
tree=$work/hardening-compat
mkdir "$tree"

if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # -z and tar --null: any file name; a tracked file deleted in the work tree is skipped.
        # shellcheck disable=SC2016 # the inner script's own "$f"
        git -C "$src" ls-files -z --cached --others --exclude-standard |
                (cd "$src" && xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done; :' sh) |
                tar -C "$src" --null -T - -cf - | tar -C "$tree" -xf -
else
        tar -C "$src" --exclude=./.git --exclude=./build --exclude='./build-*' -cf - . | tar -C "$tree" -xf -
fi
[ -f "$tree/debian/control" ] || { echo "build-deb.sh: no debian/control in $src" >&2; exit 1; }

if ! (cd "$tree" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1; then
        tail -n 40 "$out/build.log" >&2
        echo "build-deb.sh: dpkg-buildpackage failed; log: $out/build.log" >&2
        exit 1
fi
deb=
for f in "$work"/*.deb "$work"/*.ddeb "$work"/*.changes "$work"/*.buildinfo; do
        [ -e "$f" ] || continue
        cp "$f" "$out/"
        case ${f##*/} in hardening-compat_*.deb) deb=$out/${f##*/} ;; esac
done
[ -n "$deb" ] || { echo "build-deb.sh: dpkg-buildpackage made no hardening-compat .deb" >&2; exit 1; }
echo "$deb"

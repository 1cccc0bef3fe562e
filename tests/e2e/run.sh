#!/bin/bash
# make check-e2e: every tests/e2e/t-*.sh against a real systemd in an isolated test bed.
# Installs the host tools the bed needs, runs each test, and ends with one summary line.
# Needs root. HC_BIN is the hardening-compat binary, HC_SRCDIR the source tree, HC_PAM_PROBE
# the tests' PAM client (tests/e2e/pam-probe.c; the PAM tests need it).
#
#   run.sh [TEST...]    TEST: t-NAME.sh, t-NAME, NAME or a path; default: every t-*.sh here
#   make check-e2e E2E_TESTS="t-pam.sh t-pam-status.sh"   the same through make
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${HC_BIN:?}" "${HC_SRCDIR:?}"
export HC_BIN HC_SRCDIR
[[ -z ${HC_PAM_PROBE-} ]] || export HC_PAM_PROBE

tests=()
for a in "$@"; do
        for t in "$a" "$HERE/$a" "$HERE/$a.sh" "$HERE/t-$a.sh" ""; do
                [[ -n $t && -f $t && $(basename "$t") == t-*.sh ]] && break
        done
        [[ -n $t ]] || { echo "check-e2e: no test '$a' in $HERE" >&2; exit 2; }
        tests+=("$t")
done
(($#)) || tests=("$HERE"/t-*.sh)

if [[ $(id -u) != 0 ]]; then
        echo "check-e2e: needs root (it boots systemd-nspawn containers)" >&2
        exit 1
fi
missing=()
for p in mmdebstrap systemd-container zstd; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
        echo "installing test bed tools: ${missing[*]}"
        # --no-install-recommends: systemd-container recommends libnss-mymachines, which
        # would edit this host's /etc/nsswitch.conf.
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
                { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } ||
                { echo "check-e2e: cannot install ${missing[*]}" >&2; exit 1; }
fi

passed=0 failed=0
for t in "${tests[@]}"; do
        echo "=== $(basename "$t")"
        if bash "$t"; then
                passed=$((passed + 1))
        else
                failed=$((failed + 1))
                echo "=== $(basename "$t") FAILED"
        fi
done
"$HERE/testbed" stop-all >/dev/null 2>&1 || true
echo "e2e: $passed passed, $failed failed"
((failed == 0))

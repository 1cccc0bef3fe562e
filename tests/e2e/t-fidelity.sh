#!/bin/bash
# t-fidelity.sh - the fidelity oracle (tests/fidelity/oracle.sh): our model of unit loading
# and merging against systemd 252's own view, on ~800 real Debian units and generated
# variants. Prints the agreement table; fails on any disagreement.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$HERE/../fidelity/oracle.sh"

#!/usr/bin/env bash
# CTest fixture: (re)starts the shared e2e control plane in DIR, first stopping any
# cluster a crashed earlier run left there.
set -euo pipefail
dir="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ ! -f "$dir/env" ]] || "$here/cluster/down" --dir "$dir"
"$here/cluster/up" --dir "$dir"

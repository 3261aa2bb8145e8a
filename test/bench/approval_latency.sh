#!/usr/bin/env bash
# Benchmark: approval latency of node-csr-approver for a burst of serving CSRs, paired in
# the same run with a floor that approves the same kind of burst with no checks at all.
#
#   test/bench/approval_latency.sh [--dir DIR] [--count N] [--rounds R] [-- APPROVER ARGS]
#
# Starts its own local control plane in DIR (default /tmp/nca-bench-cluster; stopped at the
# end). Each round files N legitimate serving CSRs back to back, each as its node (the
# nodes exist and a static inventory lists their names and addresses), once for the floor
# and once for the approver (run as in production: deploy/'s ServiceAccount token, leader
# election on, default flags). Latency of one CSR = the moment a separate watcher sees it
# Approved minus the moment its create request was sent (CLOCK_MONOTONIC, one machine).
# The floor is csr_tool.py floor: a watch plus a PUT to /approval per pending CSR over one
# keep-alive connection, i.e. what it costs to approve at all through this API server.
# Prints p50/p99/max per side, pooled over the rounds, and the approver/floor ratios.
# NCA_BIN: the binary (default build/cmd/node-csr-approver/node-csr-approver).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir=/tmp/nca-bench-cluster count=200 rounds=3
approver_args=()
while (($#)); do
  case "$1" in
    --dir) dir="$2" && shift 2 ;;
    --count) count="$2" && shift 2 ;;
    --rounds) rounds="$2" && shift 2 ;;
    --) shift && approver_args=("$@") && break ;;
    *) echo "usage: $0 [--dir DIR] [--count N] [--rounds R] [-- APPROVER ARGS]" >&2 && exit 2 ;;
  esac
done
export NCA_BIN="${NCA_BIN:-$root/build/cmd/node-csr-approver/node-csr-approver}"
[[ -x "$NCA_BIN" ]] || { echo "no approver binary at $NCA_BIN (build first)" >&2 && exit 1; }

[[ ! -f "$dir/env" ]] || "$root/test/cluster/down" --dir "$dir"
"$root/test/cluster/up" --dir "$dir" >/dev/null
export NCA_CLUSTER_DIR="$dir"
source "$root/test/e2e/lib.sh"
source "$root/test/e2e/burst_lib.sh"
csr_tool_py="$root/test/e2e/csr_tool.py" # run directly when backgrounded: $! is then python's pid
floor_pid=""
cleanup() {
  [[ -z "$floor_pid" ]] || kill "$floor_pid" 2>/dev/null || true
  stop_all_approvers
  rm -rf "$E2E_TMP"
  "$root/test/cluster/down" --dir "$dir" >/dev/null
}
trap cleanup EXIT

total=$((count * rounds))
echo "setting up $total nodes, inventory entries and CSRs per side..."
burst_setup fl "$total"
burst_setup ap "$total"

# phase PREFIX ROUND: files CSRs PREFIX-(first..last) of ROUND while a watcher records when
# each is seen Approved; appends "latency_seconds" lines to $E2E_TMP/PREFIX.latencies.
phase() {
  local prefix="$1" round="$2" first last watcher
  first=$(((round - 1) * count + 1)) last=$((round * count))
  rm -f "$E2E_TMP/$prefix.ready"
  CSR_TOOL_READY="$E2E_TMP/$prefix.ready" python3 "$csr_tool_py" watch "$prefix" "$count" \
    >"$E2E_TMP/$prefix.$round.watch" &
  watcher=$!
  wait_for 30 test -f "$E2E_TMP/$prefix.ready"
  burst_create "$prefix" "$first" "$last" >"$E2E_TMP/$prefix.$round.created"
  local waited=0
  while kill -0 "$watcher" 2>/dev/null; do
    ((waited < 1200)) || { kill "$watcher" && echo "round $round of $prefix: not all approved in 120 s" >&2 && return 1; }
    sleep 0.1
    waited=$((waited + 1))
  done
  wait "$watcher"
  python3 - "$E2E_TMP/$prefix.$round.created" "$E2E_TMP/$prefix.$round.watch" \
    >>"$E2E_TMP/$prefix.latencies" <<'PY'
import sys
sent = dict(l.split() for l in open(sys.argv[1]))
for l in open(sys.argv[2]):
    name, _, approved, _ = l.split()
    print(f"{float(approved) - float(sent[name]):.6f}")
PY
  # Remove the round's CSRs so every round starts from the same API server state.
  kubectl get csr -o name | grep "/$prefix-" | xargs kubectl delete >/dev/null
}

bench_leads() { [[ "$(metric_value bench 'node_csr_approver_is_leader$')" == 1 ]]; }
for ((r = 1; r <= rounds; r++)); do
  echo "round $r/$rounds: floor"
  CSR_TOOL_READY="$E2E_TMP/floor.ready" python3 "$csr_tool_py" floor fl &
  floor_pid=$!
  wait_for 30 test -f "$E2E_TMP/floor.ready"
  phase fl "$r"
  kill "$floor_pid" && wait "$floor_pid" || true
  floor_pid=""

  echo "round $r/$rounds: node-csr-approver"
  start_approver bench --config-map "$(burst_config_map ap)" "${approver_args[@]}"
  wait_for 30 bench_leads
  phase ap "$r"
  stop_approver bench TERM
done

echo
python3 - "$E2E_TMP/fl.latencies" "$E2E_TMP/ap.latencies" "$count" "$rounds" <<'PY'
import math, sys
def load(f): return sorted(float(l) for l in open(f))
def pct(xs, p): return xs[max(0, math.ceil(p / 100 * len(xs)) - 1)]
fl, ap = load(sys.argv[1]), load(sys.argv[2])
print(f"approval latency, {sys.argv[3]} serving CSRs x {sys.argv[4]} rounds per side "
      f"(created -> Approved seen by a watcher), milliseconds:")
print(f"| side | n | p50 | p99 | max |")
print(f"|---|---|---|---|---|")
for name, xs in (("floor (no checks)", fl), ("node-csr-approver", ap)):
    print(f"| {name} | {len(xs)} | {pct(xs, 50) * 1000:.1f} | {pct(xs, 99) * 1000:.1f} | {xs[-1] * 1000:.1f} |")
print(f"| ratio approver/floor | | {pct(ap, 50) / pct(fl, 50):.2f} | {pct(ap, 99) / pct(fl, 99):.2f} | |")
PY

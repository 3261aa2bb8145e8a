#!/usr/bin/env bash
# Benchmark: approval latency, throughput and CPU of node-csr-approver, paired in the same
# run with a floor that approves the same CSRs with no checks at all.
#
#   test/bench/approval_latency.sh [--dir DIR] [--count N] [--rounds R] [--rate R | --backlog]
#                                  [-- APPROVER ARGS]
#
# Starts its own local control plane in DIR (default /tmp/nca-bench-cluster; stopped at the
# end). Each round files N legitimate serving CSRs, each as its node (the Nodes exist and a
# static inventory lists their names and addresses), once for the floor and once for the
# approver (run as in production: deploy/'s ServiceAccount token, leader election on,
# default flags unless APPROVER ARGS say otherwise); rounds alternate floor / approver and a
# round's CSRs are deleted before the next. Modes:
#   (default)   a burst: the N CSRs back to back over one keep-alive connection;
#   --rate R    steady: R CSRs per second on a fixed schedule;
#   --backlog   N CSRs filed while nothing approves, then the floor or the approver is
#               started: "total" is from its start to the last approval (drain time).
# Latency of one CSR = the moment a separate watcher sees it Approved minus the moment its
# create request was sent (CLOCK_MONOTONIC, one machine). "total" = first create sent (or
# the approver's start) to the last approval seen. CPU = utime + stime of the approving
# process (/proc/PID/stat) from just before the first create (backlog: its start) to the
# last approval seen, per 100 approvals. The floor is csr_tool.py floor: a watch plus a PUT
# to /approval per pending CSR over one keep-alive connection, i.e. what it costs to approve
# at all through this API server. Prints, per side, the median over the rounds of each
# round's p50, p99, total and CPU, and the approver/floor ratios.
# NCA_BIN: the binary (default build/cmd/node-csr-approver/node-csr-approver).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir=/tmp/nca-bench-cluster count=200 rounds=3 rate=0 backlog=0
approver_args=()
while (($#)); do
  case "$1" in
    --dir) dir="$2" && shift 2 ;;
    --count) count="$2" && shift 2 ;;
    --rounds) rounds="$2" && shift 2 ;;
    --rate) rate="$2" && shift 2 ;;
    --backlog) backlog=1 && shift ;;
    --) shift && approver_args=("$@") && break ;;
    *) echo "usage: $0 [--dir DIR] [--count N] [--rounds R] [--rate R | --backlog] [-- APPROVER ARGS]" >&2 && exit 2 ;;
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
floor_pid="" watcher=""
cleanup() {
  [[ -z "$floor_pid" ]] || kill "$floor_pid" 2>/dev/null || true
  [[ -z "$watcher" ]] || kill "$watcher" 2>/dev/null || true
  stop_all_approvers
  rm -rf "$E2E_TMP"
  "$root/test/cluster/down" --dir "$dir" >/dev/null
}
trap cleanup EXIT

echo "setting up $count nodes, inventory entries and CSRs per side (every round files the same names)..."
burst_setup fl "$count"
burst_setup ap "$count"

now_mono() { python3 -c 'import time; print(f"{time.monotonic():.6f}")'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
bench_leads() { [[ "$(metric_value bench 'node_csr_approver_is_leader$')" == 1 ]]; }

# start_side SIDE: starts the floor (fl) or the approver (ap); prints its pid.
start_side() {
  if [[ "$1" == fl ]]; then
    rm -f "$E2E_TMP/floor.ready"
    CSR_TOOL_READY="$E2E_TMP/floor.ready" python3 "$csr_tool_py" floor fl &
    floor_pid=$!
    wait_for 30 test -f "$E2E_TMP/floor.ready"
    echo "$floor_pid" >"$E2E_TMP/side.pid"
  else
    start_approver bench --config-map "$(burst_config_map ap)" "${approver_args[@]}"
    wait_for 30 bench_leads
    cp "$E2E_TMP/bench.pid" "$E2E_TMP/side.pid"
  fi
}
stop_side() {
  if [[ "$1" == fl ]]; then
    kill "$floor_pid" && wait "$floor_pid" || true
    floor_pid=""
  else
    stop_approver bench TERM
  fi
}

# round SIDE R: one round; leaves SIDE.R.{created,watch,run} under $E2E_TMP, where run is
# "t_start cpu_start cpu_end" (monotonic seconds, clock ticks).
round() {
  local side="$1" r="$2" t0 c0 c1 pid
  rm -f "$E2E_TMP/$side.ready"
  CSR_TOOL_READY="$E2E_TMP/$side.ready" python3 "$csr_tool_py" watch "$side" "$count" \
    >"$E2E_TMP/$side.$r.watch" &
  watcher=$!
  wait_for 30 test -f "$E2E_TMP/$side.ready"
  if ((backlog)); then
    burst_create "$side" 1 "$count" >"$E2E_TMP/$side.$r.created"
    t0="$(now_mono)"
    start_side "$side"
    pid="$(cat "$E2E_TMP/side.pid")"
    c0=0
  else
    start_side "$side"
    pid="$(cat "$E2E_TMP/side.pid")"
    t0="$(now_mono)" c0="$(cpu_ticks "$pid")"
    CSR_TOOL_RATE="$rate" burst_create "$side" 1 "$count" >"$E2E_TMP/$side.$r.created"
  fi
  local waited=0
  while kill -0 "$watcher" 2>/dev/null; do
    ((waited < 3000)) || { kill "$watcher" && echo "round $r of $side: not all approved in 300 s" >&2 && return 1; }
    sleep 0.02
    waited=$((waited + 1))
  done
  c1="$(cpu_ticks "$pid")"
  wait "$watcher"
  watcher=""
  echo "$t0 $c0 $c1" >"$E2E_TMP/$side.$r.run"
  stop_side "$side"
  # Remove the round's CSRs so every round starts from the same API server state.
  python3 "$csr_tool_py" delete "$side"
}

for ((r = 1; r <= rounds; r++)); do
  echo "round $r/$rounds: floor"
  round fl "$r"
  echo "round $r/$rounds: node-csr-approver"
  round ap "$r"
done

echo
mode="burst of $count"
((backlog)) && mode="backlog of $count"
[[ "$rate" == 0 ]] || mode="$count at $rate/s"
python3 - "$E2E_TMP" "$rounds" "$mode" "$backlog" "$(getconf CLK_TCK)" <<'PY'
import math, statistics, sys
tmp, rounds, mode, backlog, hz = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1", int(sys.argv[5])
def pct(xs, p): return xs[max(0, math.ceil(p / 100 * len(xs)) - 1)]
def one(side, r):
    sent = dict(l.split() for l in open(f"{tmp}/{side}.{r}.created"))
    approved = {l.split()[0]: float(l.split()[2]) for l in open(f"{tmp}/{side}.{r}.watch")}
    t0, c0, c1 = open(f"{tmp}/{side}.{r}.run").read().split()
    lat = sorted(approved[n] - float(sent[n]) for n in approved)
    start = float(t0) if backlog else min(float(t) for t in sent.values())
    return {"p50": pct(lat, 50) * 1000, "p99": pct(lat, 99) * 1000,
            "total": max(approved.values()) - start,
            "cpu": (int(c1) - int(c0)) / hz / len(approved) * 100, "n": len(approved)}
res = {s: [one(s, r) for r in range(1, rounds + 1)] for s in ("fl", "ap")}
med = {s: {k: statistics.median(x[k] for x in res[s]) for k in ("p50", "p99", "total", "cpu")} for s in res}
print(f"{mode} serving CSRs, {rounds} rounds per side; medians of the rounds "
      f"(latency = create sent -> Approved seen by a watcher):")
print("| side | p50 (ms) | p99 (ms) | total (s) | CPU s / 100 approvals |")
print("|---|---|---|---|---|")
for s, name in (("fl", "floor (no checks)"), ("ap", "node-csr-approver")):
    m = med[s]
    print(f"| {name} | {m['p50']:.1f} | {m['p99']:.1f} | {m['total']:.2f} | {m['cpu']:.3f} |")
f, a = med["fl"], med["ap"]
print(f"| ratio approver / floor | {a['p50'] / f['p50']:.2f} | {a['p99'] / f['p99']:.2f} | "
      f"{a['total'] / f['total']:.2f} | {a['cpu'] / max(f['cpu'], 1e-9):.2f} |")
print("per round (p50 ms, p99 ms, total s, CPU s/100):")
for s in ("fl", "ap"):
    print(f"  {s}: " + "; ".join(f"{x['p50']:.1f} {x['p99']:.1f} {x['total']:.2f} {x['cpu']:.3f}" for x in res[s]))
PY

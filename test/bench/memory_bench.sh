#!/usr/bin/env bash
# Memory at scale: RSS and idle CPU of the real daemon (`node-csr-approver run`, default
# flags, deploy/'s ServiceAccount, as test/e2e/lib.sh start_approver runs it) on an empty
# cluster and on one holding many realistic Nodes, Metal3 BareMetalHosts and CSRs.
#
#   test/bench/memory_bench.sh [--dir DIR] [--nodes 5000] [--bmhs 5000] [--csrs 10000]
#                              [--rounds 3] [--steady-wait 30] [--cpu-window 60] [BIN...]
#
# Starts a private control plane in DIR (default: a fresh temporary one; stopped at exit),
# installs the BareMetalHost CRD, and for every BIN (default: build/'s binary; several to
# compare, e.g. main's and a branch's, on the very same cluster) measures:
#  * idle RSS on the empty cluster (after /readyz and the first snapshot of caches);
#  * then, once the objects exist (make_objects.py, in parallel, as admin), per round:
#    peak RSS during the first list (VmHWM of /proc/PID/status once /readyz answers and the
#    informers are synced), steady RSS after --steady-wait seconds, and idle CPU in ms per
#    second over --cpu-window seconds (utime+stime of /proc/PID/stat, clock ticks).
# Prints one line per round and per binary and the medians over rounds, plus the reference:
# the compact JSON size of each list as the API server serves it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="" nodes=5000 bmhs=5000 csrs=10000 rounds=3 steady_wait=30 cpu_window=60
bins=()
while (($#)); do
  case "$1" in
    --dir) dir="$2" && shift 2 ;;
    --nodes) nodes="$2" && shift 2 ;;
    --bmhs) bmhs="$2" && shift 2 ;;
    --csrs) csrs="$2" && shift 2 ;;
    --rounds) rounds="$2" && shift 2 ;;
    --steady-wait) steady_wait="$2" && shift 2 ;;
    --cpu-window) cpu_window="$2" && shift 2 ;;
    -*) echo "unknown flag $1 (see the header of $0)" >&2 && exit 2 ;;
    *) bins+=("$(realpath "$1")") && shift ;;
  esac
done
((${#bins[@]})) || bins=("$root/build/cmd/node-csr-approver/node-csr-approver")
for b in "${bins[@]}"; do [[ -x "$b" ]] || { echo "no binary at $b (build first)" >&2 && exit 1; }; done
if [[ -z "$dir" ]]; then
  dir="$(mktemp -d "${TMPDIR:-/tmp}/nca-mem.XXXXXX")" && rmdir "$dir"
fi
[[ ! -f "$dir/env" ]] || "$root/test/cluster/down" --dir "$dir" >/dev/null
"$root/test/cluster/up" --dir "$dir" >/dev/null
export NCA_CLUSTER_DIR="$dir"
source "$root/test/e2e/lib.sh"
cleanup() {
  e2e_rc=$?
  stop_all_approvers
  e2e_tmp_cleanup
  "$root/test/cluster/down" --dir "$dir" >/dev/null
}
trap cleanup EXIT

kubectl apply -f "$root/test/e2e/crds/baremetalhost.yaml" >/dev/null
kubectl wait --for=condition=Established crd/baremetalhosts.metal3.io --timeout=60s >/dev/null
kubectl create namespace bench-bmh >/dev/null
ensure_deploy_rbac
tick=$(getconf CLK_TCK)
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; } # utime+stime
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

# steady PID: waits until RSS changed by less than 1 MiB over 5 s, at least --steady-wait s.
steady() {
  local pid="$1" start=$SECONDS prev cur
  prev=$(kib "$pid" VmRSS)
  while :; do
    sleep 5
    cur=$(kib "$pid" VmRSS)
    if ((SECONDS - start >= steady_wait && (cur - prev < 1024 && prev - cur < 1024))); then break; fi
    ((SECONDS - start < 300)) || break
    prev=$cur
  done
}

# measure NAME BIN: starts BIN, waits for /readyz; prints "hwm_kib rss_kib cpu_ms_per_s".
measure() {
  local name="$1" pid t0 t1 s0 s1 hwm rss
  NCA_BIN="$2" start_approver "$name" >&2
  pid=$(cat "$E2E_TMP/$name.pid")
  hwm=$(kib "$pid" VmHWM)
  steady "$pid"
  rss=$(kib "$pid" VmRSS)
  hwm=$(kib "$pid" VmHWM)
  t0=$(cpu_ticks "$pid") s0=$(date +%s.%N)
  sleep "$cpu_window"
  t1=$(cpu_ticks "$pid") s1=$(date +%s.%N)
  stop_approver "$name"
  awk -v h="$hwm" -v r="$rss" -v d="$((t1 - t0))" -v hz="$tick" -v s0="$s0" -v s1="$s1" \
    'BEGIN {printf "%d %d %.2f\n", h, r, d * 1000 / hz / (s1 - s0)}'
}

declare -A empty
for i in "${!bins[@]}"; do
  read -r _ rss _ < <(measure "empty$i" "${bins[$i]}")
  empty[$i]=$rss
done

t0=$SECONDS
python3 "$root/test/bench/make_objects.py" --dir "$dir" --kind nodes --count "$nodes" &
p1=$!
python3 "$root/test/bench/make_objects.py" --dir "$dir" --kind bmhs --count "$bmhs" &
p2=$!
python3 "$root/test/bench/make_objects.py" --dir "$dir" --kind csrs --count "$csrs" &
p3=$!
wait "$p1" && wait "$p2" && wait "$p3"
echo "created $nodes Nodes, $bmhs BareMetalHosts, $csrs CSRs in $((SECONDS - t0)) s" >&2
size() { kubectl get --raw "$1" | wc -c; }
echo "reference: compact JSON of the lists: nodes $(mib $(($(size /api/v1/nodes) / 1024))) MiB," \
  "baremetalhosts $(mib $(($(size /apis/metal3.io/v1alpha1/baremetalhosts) / 1024))) MiB," \
  "csrs $(mib $(($(size /apis/certificates.k8s.io/v1/certificatesigningrequests) / 1024))) MiB"

for i in "${!bins[@]}"; do
  : >"$E2E_TMP/r$i"
  for r in $(seq "$rounds"); do
    read -r hwm rss cpu < <(measure "loaded$i-$r" "${bins[$i]}")
    echo "$hwm $rss $cpu" >>"$E2E_TMP/r$i"
    echo "${bins[$i]} round $r: peak $(mib "$hwm") MiB, steady $(mib "$rss") MiB, idle CPU $cpu ms/s"
  done
  echo "${bins[$i]}: empty-cluster RSS $(mib "${empty[$i]}") MiB;" \
    "median of $rounds: peak (VmHWM) $(mib "$(cut -d' ' -f1 "$E2E_TMP/r$i" | median)") MiB," \
    "steady RSS $(mib "$(cut -d' ' -f2 "$E2E_TMP/r$i" | median)") MiB," \
    "idle CPU $(cut -d' ' -f3 "$E2E_TMP/r$i" | median) ms/s"
done

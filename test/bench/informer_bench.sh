#!/usr/bin/env bash
# Informer cache benchmark: memory per cached object and initial list+sync time, against a
# private local control plane (test/cluster/up), which it stops at exit.
#
#   test/bench/informer_bench.sh [--build-dir build] [--nodes 5000] [--csrs 10000] [--runs 3]
#
# Creates realistic Nodes (labels, 4 addresses, 50 images, 5 conditions, nodeInfo,
# capacity) and kubelet-serving CSRs, measures the raw (compact) JSON size per object as
# the API server serves it in a list, then runs informer_bench --runs times per resource and prints each
# run's JSON line plus a summary with medians.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build_dir="$root/build"
nodes=5000
csrs=10000
runs=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$(cd "$2" && pwd)"; shift 2 ;;
    --nodes) nodes="$2"; shift 2 ;;
    --csrs) csrs="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
done
bench="$build_dir/test/bench/informer_bench"
[[ -x "$bench" ]] || { echo "build it first: cmake --build $build_dir --target informer_bench" >&2; exit 1; }

dir="$(mktemp -d "${TMPDIR:-/tmp}/nca-bench.XXXXXX")"
rmdir "$dir"
trap '"$root/test/cluster/down" --dir "$dir" >&2 || true' EXIT
"$root/test/cluster/up" --dir "$dir" >/dev/null
source "$root/test/cluster/versions.sh"
kubectl=("$NCA_K8S_BIN/kubectl" --kubeconfig "$dir/admin.kubeconfig")

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# bench_one KIND COUNT: create, measure raw size, run the binary; prints a summary line.
bench_one() {
  local kind="$1" count="$2" t0 t1 raw_bytes out
  t0=$(date +%s.%N)
  python3 "$here/make_objects.py" --dir "$dir" --kind "$kind" --count "$count"
  t1=$(date +%s.%N)
  echo "created $count $kind in $(awk "BEGIN {printf \"%.1f\", $t1 - $t0}") s" >&2
  if [[ "$kind" == nodes ]]; then
    local images
    images=$("${kubectl[@]}" get node bench-node-00000 -o jsonpath='{.status.images[*].sizeBytes}' | wc -w)
    [[ "$images" == 50 ]] || { echo "node status was not stored (images: $images)" >&2; exit 1; }
  fi
  # Compact JSON as the API server serves a list (what the informer downloads and parses);
  # `kubectl get -o json` would add indentation.
  local path=/api/v1/nodes resource=nodes
  if [[ "$kind" == csrs ]]; then
    path=/apis/certificates.k8s.io/v1/certificatesigningrequests
    resource=certificatesigningrequests
  fi
  raw_bytes=$("${kubectl[@]}" get --raw "$path" | wc -c)
  local stored
  stored=$("${kubectl[@]}" get "$resource" -o name | wc -l)
  out=$(mktemp)
  base=$(mktemp)
  for _ in $(seq "$runs"); do
    # Fixed costs (threads, TLS, arenas): the same informer over a selector matching nothing.
    "$bench" --kubeconfig "$dir/admin.kubeconfig" --resource "$kind" \
      --label-selector nca-bench=none | tee -a "$base"
    "$bench" --kubeconfig "$dir/admin.kubeconfig" --resource "$kind" | tee -a "$out"
  done
  python3 - "$out" "$base" "$kind" "$stored" "$raw_bytes" <<'PY'
import json, statistics, sys
path, base_path, kind = sys.argv[1], sys.argv[2], sys.argv[3]
stored, raw = int(sys.argv[4]), int(sys.argv[5])
rows = [json.loads(l) for l in open(path)]
base = [json.loads(l) for l in open(base_path)]
med = lambda rs, k: statistics.median(r[k] for r in rs)
raw_per = raw / stored
rss_per = (med(rows, "rss_delta_bytes") - med(base, "rss_delta_bytes")) / stored
heap_per = (med(rows, "heap_delta_bytes") - med(base, "heap_delta_bytes")) / stored
print(json.dumps({"summary": kind, "objects": stored, "runs": len(rows),
                  "raw_json_bytes_per_object": round(raw_per),
                  "median_sync_seconds": round(med(rows, "sync_seconds"), 3),
                  "median_rss_delta_bytes": med(rows, "rss_delta_bytes"),
                  "median_baseline_rss_delta_bytes": med(base, "rss_delta_bytes"),
                  "rss_bytes_per_cached_object": round(rss_per),
                  "heap_bytes_per_cached_object": round(heap_per),
                  "rss_to_raw_ratio": round(rss_per / raw_per, 3),
                  "median_peak_rss_bytes": med(rows, "rss_peak_bytes")}))
PY
  rm -f "$out" "$base"
}

bench_one nodes "$nodes"
bench_one csrs "$csrs"

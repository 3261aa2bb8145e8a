# Bursts of legitimate serving CSRs for the HA e2e tests and the latency benchmark. Sourced
# after lib.sh. A burst PREFIX of N machines is: a static inventory (ConfigMap
# node-csr-approver/nca-burst-PREFIX, key inventory.yaml) listing machines PREFIX-1..N with
# host name PREFIX-i and one address each, Nodes PREFIX-1..N created by the admin, and one
# ECDSA serving CSR per node asking for exactly that name and address, filed as the node.
# shellcheck shell=bash

csr_tool() { python3 "$e2e_root/test/e2e/csr_tool.py" "$@"; }

burst_address() { echo "10.77.$(($1 / 200)).$(($1 % 200 + 1))"; }

# burst_setup PREFIX N: inventory ConfigMap, Nodes and CSR files under $E2E_TMP/PREFIX.
burst_setup() {
  local prefix="$1" n="$2" i dir="$E2E_TMP/$1"
  mkdir -p "$dir"
  ensure_deploy_rbac
  {
    echo "machines:"
    for ((i = 1; i <= n; i++)); do
      echo "  - {name: $prefix-$i, hostnames: [$prefix-$i], addresses: [\"$(burst_address "$i")\"]}"
    done
  } >"$dir/inventory.yaml"
  echo "{}" >"$dir/config.yaml"
  kubectl -n node-csr-approver create configmap "nca-burst-$prefix" \
    --from-file=inventory.yaml="$dir/inventory.yaml" --from-file=config.yaml="$dir/config.yaml" \
    --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  {
    echo "apiVersion: v1"
    echo "kind: List"
    echo "items:"
    for ((i = 1; i <= n; i++)); do
      echo "- {apiVersion: v1, kind: Node, metadata: {name: $prefix-$i, labels: {nca-burst: $prefix}}}"
    done
  } | kubectl apply -f - >/dev/null
  for ((i = 1; i <= n; i++)); do
    echo "$prefix-$i $(burst_address "$i")"
  done | xargs -P 2 -n 2 sh -c 'openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -nodes -keyout "$0/$1.key" -subj "/O=system:nodes/CN=system:node:$1" \
      -addext "subjectAltName=DNS:$1,IP:$2" -out "$0/$1.csr" 2>/dev/null' "$dir"
  [[ "$(find "$dir" -name '*.csr' | wc -l)" -eq "$n" ]]
}

# burst_config_map PREFIX: the --config-map value for an approver using PREFIX's inventory.
burst_config_map() { echo "node-csr-approver/nca-burst-$1"; }

# burst_create PREFIX FIRST LAST: files CSRs PREFIX-FIRST..LAST back to back; prints
# "name t_sent" lines.
burst_create() { csr_tool create "$1" "$2" "$3" "$E2E_TMP/$1"; }

# burst_status PREFIX: "total=.. approved=.. issued=.. denied=.. failed=.. approved_twice=..
# wrong_requester=..".
burst_status() { csr_tool status "$1"; }

# burst_all_issued PREFIX N: every one of the N CSRs is approved once and issued.
burst_all_issued() {
  [[ "$(burst_status "$1")" == "total=$2 approved=$2 issued=$2 denied=0 failed=0 approved_twice=0 wrong_requester=0" ]]
}

# burst_cleanup PREFIX: deletes the burst's CSRs, Nodes and ConfigMap.
burst_cleanup() {
  local names
  names="$(kubectl get csr -o name | grep "/$1-" || true)"
  [[ -z "$names" ]] || echo "$names" | xargs kubectl delete --wait=false >/dev/null
  kubectl delete nodes -l "nca-burst=$1" --wait=false >/dev/null
  kubectl -n node-csr-approver delete configmap "nca-burst-$1" --ignore-not-found >/dev/null
}

# metric_value NAME REGEX: the sum of the samples in NAME's /metrics whose series (name and
# labels) matches ^REGEX, e.g. 'x_total\{.*outcome="approve"'; 0 when there is none.
metric_value() {
  scrape_metrics "$1" | RE="^$2" awk '!/^#/ && $1 ~ ENVIRON["RE"] { sum += $NF } END { print sum + 0 }'
}

#!/usr/bin/env bash
# The local demo (README: `make demo`, which builds first; this script builds nothing):
# starts the real control plane on loopback, applies deploy/ (RBAC, ConfigMap), runs the
# approver with its ServiceAccount's token, and lets 10 machines join the way a kubelet
# does (Machine object → bootstrap client CSR → approved, issued → Node registered with its
# addresses → serving CSR as the node → approved, issued), plus one node asking for another
# node's IP (left pending). Prints what happened with timings and the approver's decision
# metrics, then stops every process it started. `--keep` leaves everything running and
# prints how to stop it.  NCA_BIN overrides the approver binary (default: build/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keep=false
[[ "${1:-}" == --keep ]] && keep=true
export NCA_BIN="${NCA_BIN:-$root/build/cmd/node-csr-approver/node-csr-approver}"
[[ -x "$NCA_BIN" ]] || {
  echo "demo: no approver binary at $NCA_BIN (run \`make demo\`, which builds it)" >&2
  exit 1
}

dir="$(mktemp -d "${TMPDIR:-/tmp}/nca-demo.XXXXXX")"
step() { printf '\n== %s\n' "$*"; }
step "starting a local control plane (etcd, kube-apiserver, kube-controller-manager) in $dir"
if ! "$root/test/cluster/up" --dir "$dir" >"$dir/up.log" 2>&1; then
  cat "$dir/up.log" >&2
  "$root/test/cluster/down" --dir "$dir" >/dev/null 2>&1 || true
  exit 1
fi
export NCA_CLUSTER_DIR="$dir"
export TMPDIR="$dir" # the approver's log and ports live in the cluster dir
# shellcheck source=../test/e2e/lib.sh
source "$root/test/e2e/lib.sh"
# shellcheck source=../test/e2e/lib/join.sh
source "$root/test/e2e/lib/join.sh"
# shellcheck source=../test/e2e/lib/approver.sh
source "$root/test/e2e/lib/approver.sh"

finish_demo() {
  local rc=$?
  if $keep && ((rc == 0)); then
    cat <<EOF

demo: left running. kubectl: export KUBECONFIG=$dir/admin.kubeconfig
      approver log: $E2E_TMP/demo.log; metrics: http://127.0.0.1:$(cat "$E2E_TMP/demo.metrics")/metrics
      stop everything with:
        kill $(cat "$E2E_TMP/demo.pid"); $root/test/cluster/down --dir $dir
EOF
  else
    stop_approver demo
    "$root/test/cluster/down" --dir "$dir" >/dev/null 2>&1 || true
    rm -rf "$dir"
    echo "demo: approver and control plane stopped, $dir removed"
  fi
  exit "$rc"
}
trap finish_demo EXIT

step "applying deploy/ (namespace, ServiceAccount, minimal RBAC, policy ConfigMap)"
kubectl apply -f "$root/deploy/" | sed 's/^/   /'

step "installing the OpenShift Machine API (a CRD) and creating 10 Machines"
kubectl apply -f "$root/test/e2e/crds/openshift-machine.yaml" >/dev/null
kubectl wait --for condition=Established crd/machines.machine.openshift.io --timeout=60s >/dev/null
for i in $(seq 0 9); do echo "worker-$i 192.0.2.$((10 + i))"; done >"$dir/machines.list"
{
  echo '{"apiVersion":"v1","kind":"List","items":['
  sep=""
  while read -r name ip; do
    printf '%s{"apiVersion":"machine.openshift.io/v1beta1","kind":"Machine","metadata":{"name":"%s","namespace":"default"},"status":{"addresses":[{"type":"InternalIP","address":"%s"},{"type":"InternalDNS","address":"%s"}]}}\n' \
      "$sep" "$name" "$ip" "$name"
    sep=,
  done <"$dir/machines.list"
  echo ']}'
} >"$dir/machines.json"
kubectl create -f "$dir/machines.json" >/dev/null
kubectl apply --server-side --subresource=status -f "$dir/machines.json" >/dev/null

step "starting node-csr-approver as ServiceAccount node-csr-approver/node-csr-approver"
fresh_approver demo --config-map node-csr-approver/node-csr-approver-config
echo "   running (pid $(cat "$E2E_TMP/demo.pid")), metrics at http://127.0.0.1:$(cat "$E2E_TMP/demo.metrics")/metrics"

step "10 machines join, 4 at a time, each as its kubelet would"
JOIN_LABEL=demo join_machines bootstrap "$dir/machines.list" "$dir/rows" 4 || true
join_table "$dir/rows" | sed 's/^/   /'
echo "   $(join_summary "$dir/rows")"

step "worker-0 asks for a serving certificate with worker-1's IP (192.0.2.11)"
node_kc="$dir/worker-0.kubeconfig"
cat >"$node_kc" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "$JOIN_API", certificate-authority: "$JOIN_CA"}}]
users: [{name: worker-0, user: {client-certificate: "$dir/rows/worker-0.d/client.crt", client-key: "$dir/rows/worker-0.d/client.key"}}]
contexts: [{name: local, context: {cluster: local, user: worker-0}}]
current-context: local
EOF
make_csr_pem "$dir/steal.key" /O=system:nodes/CN=system:node:worker-0 "DNS:worker-0,IP:192.0.2.11" >"$dir/steal.csr"
csr_manifest worker-0-steal kubernetes.io/kubelet-serving "digital signature, server auth" "$dir/steal.csr" |
  kubectl --kubeconfig "$node_kc" create -f - | sed 's/^/   /'
evaluated() { csr_events | grep -q '^worker-0-steal Pending'; }
wait_for 30 evaluated || true
kubectl get csr worker-0-steal | sed 's/^/   /'
echo "   Event: $(csr_events | awk '$1 == "worker-0-steal"' | head -1)"

one_pending() { [[ "$(metric_sum demo node_csr_approver_pending_csrs)" == 1 ]]; }
wait_for 5 one_pending || true # the gauges are refreshed every second

step "the approver's decisions (node_csr_approver_decisions_total from /metrics)"
scrape_metrics demo | grep -E '^node_csr_approver_(decisions_total|pending_csrs|is_leader)' | sed 's/^/   /'

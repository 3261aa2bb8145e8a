#!/usr/bin/env bash
# The local demo (README: `make demo`, which builds first; this script builds nothing):
# starts the real control plane on loopback, applies deploy/ (RBAC, ConfigMap), runs the
# approver with its ServiceAccount's token, and starts 4 real kubelets (the pinned upstream
# release on Kubernetes' fake container runtime, test/cluster/kubelet) for 4 OpenShift
# Machines: each files its bootstrap client CSR, registers its Node, files its serving CSR;
# the approver approves them, nobody by hand. Then what an admin sees: `kubectl logs`
# works through the API server (it verifies the kubelet's serving certificate), except on
# worker-3, whose Machine has not reported its IP yet: its serving CSR stays pending,
# `kubectl logs` fails, `explain` says why; once the Machine reports the IP the approver
# approves within a second and `kubectl logs` works. Last, worker-0 asks for worker-1's IP
# (left pending) and the decision metrics are printed; every process it started is
# stopped. `--keep` leaves everything running and prints how to stop it. NCA_BIN overrides
# the approver binary (default: build/).
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
# shellcheck source=../test/e2e/lib/kubelets.sh
source "$root/test/e2e/lib/kubelets.sh"
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

step "installing the OpenShift Machine API (a CRD) and creating 4 Machines"
kubectl apply -f "$root/test/e2e/crds/openshift-machine.yaml" >/dev/null
kubectl wait --for condition=Established crd/machines.machine.openshift.io --timeout=60s >/dev/null
# machine_json NAME [IP]: a Machine as the machine controller reports it; worker-3's cloud
# has not reported its IP yet.
machine_json() {
  local addrs='{"type":"InternalDNS","address":"'"$1"'"},{"type":"Hostname","address":"'"$1"'"}'
  [[ -z "${2:-}" ]] || addrs='{"type":"InternalIP","address":"'"$2"'"},'"$addrs"
  printf '{"apiVersion":"machine.openshift.io/v1beta1","kind":"Machine","metadata":{"name":"%s","namespace":"default"},"status":{"addresses":[%s]}}\n' "$1" "$addrs"
}
for i in 0 1 2; do machine_json "worker-$i" "198.51.100.$((10 + i))"; done >"$dir/machines.json"
machine_json worker-3 >>"$dir/machines.json"
kubectl create -f "$dir/machines.json" >/dev/null
kubectl apply --server-side --subresource=status -f "$dir/machines.json" >/dev/null
kubectl get machines.machine.openshift.io -o custom-columns='MACHINE:.metadata.name,ADDRESSES:.status.addresses[*].address' | sed 's/^/   /'

step "starting node-csr-approver as ServiceAccount node-csr-approver/node-csr-approver"
fresh_approver demo --config-map node-csr-approver/node-csr-approver-config
echo "   running (pid $(cat "$E2E_TMP/demo.pid")), metrics at http://127.0.0.1:$(cat "$E2E_TMP/demo.metrics")/metrics"

step "4 real kubelets start (upstream $NCA_K8S_VERSION on a fake container runtime); nobody approves by hand"
boots=(serviceaccount token serviceaccount token)
for i in 0 1 2 3; do
  kubelet_ctl start "worker-$i" --bootstrap "${boots[$i]}" --address "198.51.100.$((10 + i))" 2>&1 | sed 's/^/   /'
done
for i in 0 1 2 3; do bound_pod "logs-worker-$i" "worker-$i"; done
since() { python3 -c "import time; print(f'{time.time() - $(cat "$(kubelet_dir "$1")/started_at"):.1f}s')"; }
declare -A t_client=() t_serving=()
deadline=$((SECONDS + 90))
while ((SECONDS < deadline)) && { ((${#t_client[@]} < 4)) || ((${#t_serving[@]} < 3)); }; do
  for i in 0 1 2 3; do
    n="worker-$i" d="$(kubelet_dir "worker-$i")/pki"
    [[ -n "${t_client[$n]:-}" || ! -e "$d/kubelet-client-current.pem" ]] || t_client[$n]="$(since "$n")"
    [[ -n "${t_serving[$n]:-}" || ! -e "$d/kubelet-server-current.pem" ]] || t_serving[$n]="$(since "$n")"
  done
  sleep 0.2
done
printf '   %-9s %-15s %-12s %-13s %s\n' NODE BOOTSTRAP "CLIENT CERT" "SERVING CERT" "READY"
for i in 0 1 2 3; do
  n="worker-$i"
  printf '   %-9s %-15s %-12s %-13s %s\n' "$n" "${boots[$i]}" "${t_client[$n]:-none}" "${t_serving[$n]:-pending}" \
    "$(kubectl get node "$n" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)"
done
echo "   (seconds from kubelet start to the certificate on the kubelet's disk)"
kubectl get csr -o custom-columns='CSR:.metadata.name,SIGNER:.spec.signerName,REQUESTOR:.spec.username,DECISION:.status.conditions[0].reason' | sed 's/^/   /'

step "kubectl logs through the API server, which verifies each kubelet's serving certificate"
for i in 0 1 2 3; do
  kubectl wait --for=condition=Ready "pod/logs-worker-$i" --timeout=60s >/dev/null 2>&1 || true
done
show_logs() {
  local out
  out="$(kubectl logs "logs-$1" 2>&1 || true)"
  if kubelet_answered "$out"; then echo "   $1: works (the kubelet answers: $out)"; else
    echo "   $1: FAILS (${out##*: })"; fi
}
for i in 0 1 2 3; do show_logs "worker-$i"; done

step "why worker-3 has no serving certificate: node-csr-approver explain --name"
ws="$(csr_of worker-3 kubernetes.io/kubelet-serving || true)"
if [[ -n "$ws" ]]; then
  "$NCA_BIN" explain --name "$ws" --kubeconfig "$(approver_kubeconfig)" 2>&1 | grep -iE 'decision|SanIp' | head -4 | sed 's/^/   /'
fi

step "the machine controller reports worker-3's IP (198.51.100.13): the approver re-checks at once"
machine_json worker-3 198.51.100.13 >"$dir/worker-3.json"
kubectl apply --server-side --subresource=status -f "$dir/worker-3.json" >/dev/null
t0="$(date +%s.%N)"
if wait_for 30 test -e "$(kubelet_dir worker-3)/pki/kubelet-server-current.pem"; then
  echo "   worker-3: serving certificate on the kubelet's disk $(python3 -c "import time; print(f'{time.time() - $t0:.1f}')") s after the Machine update"
fi
show_logs worker-3

step "worker-0 asks for a serving certificate with worker-1's IP (198.51.100.11)"
node_kc="$dir/worker-0.kubeconfig"
w0="$(kubelet_dir worker-0)/pki/kubelet-client-current.pem"
cat >"$node_kc" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "https://127.0.0.1:$NCA_APISERVER_PORT", certificate-authority: "$dir/pki/ca.crt"}}]
users: [{name: worker-0, user: {client-certificate: "$w0", client-key: "$w0"}}]
contexts: [{name: local, context: {cluster: local, user: worker-0}}]
current-context: local
EOF
make_csr_pem "$dir/steal.key" /O=system:nodes/CN=system:node:worker-0 "DNS:worker-0,IP:198.51.100.11" >"$dir/steal.csr"
csr_manifest worker-0-steal kubernetes.io/kubelet-serving "digital signature, server auth" "$dir/steal.csr" |
  kubectl --kubeconfig "$node_kc" create -f - | sed 's/^/   /'
evaluated() { csr_events | has_line '^worker-0-steal Pending'; }
wait_for 30 evaluated || true
kubectl get csr worker-0-steal | sed 's/^/   /'
echo "   Event: $(csr_events | awk '$1 == "worker-0-steal"' | head -1)"

one_pending() { [[ "$(metric_sum demo node_csr_approver_pending_csrs)" == 1 ]]; }
wait_for 5 one_pending || true # the gauges are refreshed every second

step "the approver's decisions (node_csr_approver_decisions_total from /metrics)"
scrape_metrics demo | grep -E '^node_csr_approver_(decisions_total|pending_csrs|is_leader)' | sed 's/^/   /'

#!/usr/bin/env bash
# e2e: cluster-internal identities, live. No inventory source (the default install:
# trustNodeAddresses auto, so Node status.addresses count). A node, as its real identity
# through the Node authorizer, writes kubernetes.default.svc and the kubernetes Service's
# ClusterIP (read from the cluster) into its own Node status.addresses, then files serving
# CSRs for them: each stays pending with ClusterInternalName / ClusterInternalAddress and no
# condition. Control: the same node's CSR for its own ordinary address is approved (so the
# Node addresses are trusted and the refusals come from the rule, not from elsewhere).
# test/cluster runs kube-apiserver with --endpoint-reconciler-type none, so the test writes
# the EndpointSlice default/kubernetes itself (as the API server would, with its address
# 10.9.1.99): the node's CSR for that address is refused too.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=lib/approver.sh
source "$here/lib/approver.sh"
cd "$E2E_TMP"

n=int-node
run="$(date +%s)-$$" # CSR names unique per run: Events about an earlier run's CSRs stay behind
kubectl delete csr -l nca-e2e=internal --ignore-not-found >/dev/null
kubectl apply -f "$e2e_root/deploy/" >/dev/null  # this tree's RBAC (default/kubernetes reads)
svc_ip="$(kubectl get service kubernetes -n default -o jsonpath='{.spec.clusterIP}')"
[[ -n "$svc_ip" ]] || { fail "no ClusterIP on Service default/kubernetes"; finish; exit 1; }
echo '{}' >config.yaml
kubectl -n node-csr-approver create configmap nca-e2e-internal --from-file=config.yaml \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null

kubectl apply -f - >/dev/null <<YAML
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: kubernetes, namespace: default, labels: {kubernetes.io/service-name: kubernetes}}
addressType: IPv4
endpoints: [{addresses: [10.9.1.99]}]
ports: [{name: https, port: 6443, protocol: TCP}]
YAML
node_kc="$(identity node "$n")"
kubectl --kubeconfig "$node_kc" create -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata: {name: $n, labels: {nca-e2e: internal}}
YAML
# As the node itself (its client certificate): the Node authorizer lets it write its status.
curl -fsS --cacert "$NCA_CLUSTER_DIR/pki/ca.crt" --cert "$NCA_CLUSTER_DIR/pki/node-$n.crt" \
  --key "$NCA_CLUSTER_DIR/pki/node-$n.key" -X PATCH -H 'Content-Type: application/merge-patch+json' \
  --data '{"status":{"addresses":[{"type":"InternalIP","address":"10.9.1.20"},{"type":"InternalIP","address":"'"$svc_ip"'"},{"type":"InternalIP","address":"10.9.1.99"},{"type":"Hostname","address":"'"$n"'"},{"type":"Hostname","address":"kubernetes.default.svc"}]}}' \
  "https://127.0.0.1:$NCA_APISERVER_PORT/api/v1/nodes/$n/status" >/dev/null
reported="$(kubectl get node "$n" -o jsonpath='{.status.addresses[*].address}')"
[[ "$reported" == *kubernetes.default.svc* && "$reported" == *"$svc_ip"* ]] &&
  pass "node $n reports kubernetes.default.svc and $svc_ip itself ($reported)" ||
  fail "node status not written: $reported"

fresh_approver internal --config-map node-csr-approver/nca-e2e-internal

# file NAME SAN: a serving CSR from the node for SAN, labelled for cleanup.
file() {
  make_csr_pem "$1.key" "/O=system:nodes/CN=system:node:$n" "$2" >"$1.csr"
  csr_manifest "int-$1-$run" kubernetes.io/kubelet-serving '"digital signature", "server auth"' "$1.csr" |
    sed "s/^metadata:/metadata:\n  labels: {nca-e2e: internal}/" |
    kubectl --kubeconfig "$node_kc" create -f - >/dev/null
}
file name "DNS:$n,DNS:kubernetes.default.svc,IP:10.9.1.20"
file address "DNS:$n,IP:10.9.1.20,IP:$svc_ip"
file endpoint "DNS:$n,IP:10.9.1.20,IP:10.9.1.99"

both_evaluated() {
  csr_events >events.txt
  grep -q "^int-name-$run Pending " events.txt && grep -q "^int-address-$run Pending " events.txt &&
    grep -q "^int-endpoint-$run Pending " events.txt
}
wait_for 60 both_evaluated || fail "the attack CSRs were not evaluated within 60s"
csr_events >events.txt
for e in "int-name-$run ClusterInternalName" "int-address-$run ClusterInternalAddress" \
  "int-endpoint-$run ClusterInternalAddress"; do
  got="$(awk -v n="${e%% *}" '$1 == n && $2 == "Pending" { print $3 }' events.txt | sort -u | xargs)"
  [[ "$got" == "${e#* }" ]] && pass "${e%% *}: pending, ${e#* }" || fail "${e%% *}: want ${e#* }, got '${got:-no Event}'"
done
msg="$(kubectl get events -n default --field-selector involvedObject.name=int-address-$run -o jsonpath='{.items[*].message}')"
[[ "$msg" == *"$svc_ip"*"Service default/kubernetes"* ]] && pass "the Event names the SAN and why: $msg" ||
  fail "the Event does not name $svc_ip and the kubernetes Service: $msg"

# Control: the node's own ordinary address is approved (Node addresses are trusted here).
file own "DNS:$n,IP:10.9.1.20"
approved() { [[ "$(kubectl get csr int-own-$run -o jsonpath='{.status.conditions[?(@.type=="Approved")].status}')" == True ]]; }
wait_for 60 approved && pass "int-own-$run (DNS:$n, IP:10.9.1.20) approved: Node addresses count" ||
  fail "the control CSR int-own-$run was not approved"
conds="$(kubectl get csr "int-name-$run" "int-address-$run" "int-endpoint-$run" -o jsonpath='{.items[*].status.conditions[*].type}')"
[[ -z "$conds" ]] && pass "no condition on the refused CSRs" || fail "refused CSRs have conditions: $conds"
expect_metric internal 1 node_csr_approver_decisions_total 'outcome="approve"'

stop_approver internal
kubectl delete csr -l nca-e2e=internal --ignore-not-found >/dev/null
kubectl delete node "$n" --ignore-not-found >/dev/null
kubectl delete endpointslice kubernetes -n default --ignore-not-found >/dev/null
kubectl -n node-csr-approver delete configmap nca-e2e-internal >/dev/null
finish

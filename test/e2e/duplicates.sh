#!/usr/bin/env bash
# e2e: superseded and duplicate CSRs, and `explain --name` agreeing with the daemon, against
# the real control plane as the real identities.
#   - One node (dup-node, a real system:node identity) files two valid serving CSRs before
#     the approver runs: the newest is approved and issued, the older stays pending with
#     SupersededByNewerCSR, also after a restart of the approver re-evaluates it.
#   - The bootstrapper's CSR for a new machine (dup-new) is approved; a second bootstrap CSR
#     for the same node name from a bootstrap token stays pending with
#     ClientCertificateAlreadyIssued.
#   - `explain --name` with no --config-map (the Deployment's ConfigMap, which this test
#     fills) gives the daemon's outcome and reason for each, and names its sources.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=lib/approver.sh
source "$here/lib/approver.sh"
cd "$E2E_TMP"

cm=node-csr-approver-config
csrs=(dup-serving-a dup-serving-b dup-boot-a dup-boot-b)
cleanup() {
  stop_all_approvers
  kubectl delete csr "${csrs[@]}" --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete node dup-node --ignore-not-found >/dev/null 2>&1 || true
  kubectl apply -f "$e2e_root/deploy/07-configmap.yaml" >/dev/null 2>&1 || true
  e2e_tmp_cleanup
}
trap 'e2e_rc=$?; cleanup' EXIT
kubectl delete csr "${csrs[@]}" --ignore-not-found >/dev/null
ensure_deploy_rbac

created="$(date -u -d '-60 seconds' +%Y-%m-%dT%H:%M:%SZ)"
kubectl -n node-csr-approver create configmap "$cm" --dry-run=client -o yaml \
  --from-literal=config.yaml='{}' --from-literal=inventory.yaml="machines:
  - {name: dup-node, hostnames: [dup-node], addresses: [10.9.2.11], created: \"$created\"}
  - {name: dup-new, hostnames: [dup-new], addresses: [10.9.2.12], created: \"$created\"}
" | kubectl apply -f - >/dev/null

node_kc="$(identity node dup-node)"
kubectl --kubeconfig "$node_kc" create -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata: {name: dup-node}
YAML
# The node writes its own status through the Node authorizer (kubectl patch would GET
# nodes/status first, which the Node authorizer refuses).
curl -fsS --cacert "$NCA_CLUSTER_DIR/pki/ca.crt" --cert "$NCA_CLUSTER_DIR/pki/node-dup-node.crt" \
  --key "$NCA_CLUSTER_DIR/pki/node-dup-node.key" -X PATCH -H 'Content-Type: application/merge-patch+json' \
  --data '{"status":{"addresses":[{"type":"InternalIP","address":"10.9.2.11"},{"type":"Hostname","address":"dup-node"}]}}' \
  "https://127.0.0.1:$NCA_APISERVER_PORT/api/v1/nodes/dup-node/status" >/dev/null

serving=kubernetes.io/kubelet-serving
client=kubernetes.io/kube-apiserver-client-kubelet
# Two valid serving CSRs of one node; b is the newer (later, or the same second and a
# later name), created before any approver runs.
for c in a b; do
  make_csr_pem "serving-$c.key" /O=system:nodes/CN=system:node:dup-node "DNS:dup-node,IP:10.9.2.11" >"serving-$c.csr"
  csr_manifest "dup-serving-$c" $serving '"digital signature", "server auth"' "serving-$c.csr" |
    kubectl --kubeconfig "$node_kc" create -f - >/dev/null
done

conditions() { kubectl get csr "$1" -o jsonpath='{.status.conditions[*].type}'; }
has_event() { csr_events | has_line "^$1 Pending $2\$"; }
# issued NAME: Approved (only) and a certificate.
issued() {
  [[ "$(conditions "$1")" == Approved && -n "$(kubectl get csr "$1" -o jsonpath='{.status.certificate}')" ]]
}
# decided APPROVER REASON: the approver recorded at least one decision with REASON (Events
# are only recorded by a leader, and an approver evaluates once before it leads).
decided() { [[ "$(metric_sum "$1" node_csr_approver_decisions_total "reason=\"$2\"")" -ge 1 ]]; }

fresh_approver dup1 --config-map "node-csr-approver/$cm"
wait_for 30 issued dup-serving-b && pass "newest serving CSR approved and issued" ||
  fail "dup-serving-b not issued: $(conditions dup-serving-b)"
wait_for 30 decided dup1 SupersededByNewerCSR &&
  pass "older serving CSR pending with SupersededByNewerCSR" ||
  fail "dup1 decided no SupersededByNewerCSR"
[[ -z "$(conditions dup-serving-a)" ]] && pass "older serving CSR has no condition" ||
  fail "dup-serving-a got: $(conditions dup-serving-a)"

# A restart re-evaluates every pending CSR with the newest already issued.
stop_approver dup1
fresh_approver dup2 --config-map "node-csr-approver/$cm"
wait_for 30 decided dup2 SupersededByNewerCSR && pass "after a restart the older CSR is re-evaluated as superseded" ||
  fail "restarted approver did not decide SupersededByNewerCSR"
[[ -z "$(conditions dup-serving-a)" ]] && pass "older serving CSR still has no condition" ||
  fail "dup-serving-a got: $(conditions dup-serving-a)"

# The joining machine's bootstrap CSR, then a racing bootstrap-token holder's for the same name.
make_csr_pem boot-a.key /O=system:nodes/CN=system:node:dup-new >boot-a.csr
csr_manifest dup-boot-a $client '"digital signature", "client auth"' boot-a.csr |
  kubectl --kubeconfig "$(identity bootstrapper)" create -f - >/dev/null
wait_for 30 issued dup-boot-a && pass "first bootstrap CSR for dup-new approved and issued" ||
  fail "dup-boot-a not issued: $(conditions dup-boot-a)"
make_csr_pem boot-b.key /O=system:nodes/CN=system:node:dup-new >boot-b.csr
csr_manifest dup-boot-b $client '"digital signature", "client auth"' boot-b.csr |
  kubectl --kubeconfig "$(identity bootstrap-token)" create -f - >/dev/null
wait_for 30 has_event dup-boot-b ClientCertificateAlreadyIssued &&
  pass "second bootstrap CSR for dup-new pending with ClientCertificateAlreadyIssued" ||
  fail "dup-boot-b: $(csr_events | grep dup-boot-b || echo no Event)"
[[ -z "$(conditions dup-boot-b)" ]] && pass "second bootstrap CSR has no condition" ||
  fail "dup-boot-b got: $(conditions dup-boot-b)"

# explain --name as the README shows it (no --config-map), with the approver's read rights.
sa_kc="$(approver_kubeconfig)"
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[sys.argv[1]] if len(sys.argv) < 3 else d[sys.argv[1]][sys.argv[2]])' "$@"; }
for want in "dup-serving-a pending SupersededByNewerCSR" "dup-boot-b pending ClientCertificateAlreadyIssued" \
  "dup-serving-b ignore AlreadyDecided"; do
  read -r name outcome reason <<<"$want"
  if out="$("$NCA_BIN" explain --kubeconfig "$sa_kc" --name "$name" --output json 2>explain.err)"; then
    got="$(field outcome <<<"$out") $(field reason <<<"$out")"
    [[ "$got" == "$outcome $reason" ]] && pass "explain $name: $got, as the daemon" ||
      fail "explain $name: $got, want $outcome $reason"
    src="$(field sources config <<<"$out")"
    [[ "$src" == "ConfigMap node-csr-approver/$cm config.yaml" ]] &&
      pass "explain $name used $src" || fail "explain $name config source: $src"
  else
    fail "explain $name failed: $(cat explain.err)"
  fi
done

stop_approver dup2
finish

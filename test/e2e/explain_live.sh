#!/usr/bin/env bash
# `node-csr-approver explain --name` against the live cluster, with the approver's own
# ServiceAccount token (deploy/ RBAC): a Node with InternalIP 192.0.2.20 and a static
# inventory in the approver's ConfigMap; the node's legitimate serving CSR explains as
# approve, the same node asking for another IP as pending with SanIpNotInInventory; the
# text trace names the same checks as the JSON; a missing CSR and --name with --csr exit
# 2 with a clear message. A rejected ConfigMap is answered from NAME-last-good, as the
# controller keeps it; without that copy, ConfigUnavailable (exit 3). Nothing is written
# by explain: both CSRs stay pending.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

node=explain-live-0
cm=node-csr-approver-config
cleanup() {
  kubectl delete csr explain-live-good explain-live-attack --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete node "$node" --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete configmap "$cm-last-good" -n node-csr-approver --ignore-not-found >/dev/null 2>&1 || true
  # Back to the ConfigMap deploy/ ships, which this test replaced.
  kubectl apply -f "$e2e_root/deploy/07-configmap.yaml" >/dev/null 2>&1 || true
  stop_all_approvers
  e2e_tmp_cleanup
}
trap 'e2e_rc=$?; cleanup' EXIT

ensure_deploy_rbac
sa_kc="$(approver_kubeconfig)"

# --- the cluster as the approver would see it -------------------------------------------
kubectl create -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata:
  name: $node
YAML
kubectl patch node "$node" --subresource=status --type=merge -p \
  '{"status":{"addresses":[{"type":"InternalIP","address":"192.0.2.20"},{"type":"Hostname","address":"'"$node"'"}]}}' >/dev/null
# inventory_config_map NAME IP: ConfigMap NAME with an empty config.yaml and a static
# inventory listing $node at IP.
inventory_config_map() {
  kubectl create configmap "$1" -n node-csr-approver --dry-run=client -o yaml \
    --from-literal=config.yaml='{}' \
    --from-literal=inventory.yaml="machines: [{name: $node, hostnames: [$node], addresses: [$2]}]" |
    kubectl apply -f - >/dev/null
}
inventory_config_map "$cm" 192.0.2.20

node_kc="$(identity node "$node")"
make_csr_pem "$E2E_TMP/good.key" "/O=system:nodes/CN=system:node:$node" \
  "DNS:$node,IP:192.0.2.20" >"$E2E_TMP/good.csr"
make_csr_pem "$E2E_TMP/attack.key" "/O=system:nodes/CN=system:node:$node" \
  "DNS:$node,IP:192.0.2.99" >"$E2E_TMP/attack.csr"
for c in good attack; do
  csr_manifest "explain-live-$c" kubernetes.io/kubelet-serving "digital signature, server auth" \
    "$E2E_TMP/$c.csr" | kubectl --kubeconfig "$node_kc" create -f - >/dev/null
done

explain() {
  "${NCA_BIN:?NCA_BIN must point at the approver binary}" explain --kubeconfig "$sa_kc" \
    --config-map "node-csr-approver/$cm" "$@"
}
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# --- legitimate: approve --------------------------------------------------------------------
if out="$(explain --name explain-live-good --output json 2>"$E2E_TMP/good.err")"; then
  outcome="$(field outcome <<<"$out")"
  [[ "$outcome" == approve ]] && pass "legitimate serving CSR explains as approve" ||
    fail "legitimate CSR: outcome $outcome: $out"
else
  fail "explain of the legitimate CSR failed: $(cat "$E2E_TMP/good.err")"
fi

# --- another IP: pending, SanIpNotInInventory ------------------------------------------
if out="$(explain --name explain-live-attack --output json 2>"$E2E_TMP/attack.err")"; then
  outcome="$(field outcome <<<"$out")"
  reason="$(field reason <<<"$out")"
  [[ "$outcome" == pending && "$reason" == SanIpNotInInventory ]] &&
    pass "CSR for another IP explains as pending/SanIpNotInInventory" ||
    fail "attack CSR: $outcome/$reason: $out"
  # The text trace lists every check the JSON has.
  checks="$(python3 -c 'import json,sys; [print(c["name"]) for c in json.load(sys.stdin)["checks"]]' <<<"$out")"
  text="$(explain --name explain-live-attack 2>/dev/null)"
  missing=0
  while read -r check; do
    [[ -n "$check" && "$text" == *"$check"* ]] || missing=$((missing + 1))
  done <<<"$checks"
  if [[ -n "$checks" && $missing -eq 0 && "$text" == *"reason:"*SanIpNotInInventory* ]]; then
    pass "text output names all $(wc -l <<<"$checks") checks and the reason"
  else
    fail "text output misses $missing checks: $text"
  fi
else
  fail "explain of the attack CSR failed: $(cat "$E2E_TMP/attack.err")"
fi

# --- explain writes nothing -----------------------------------------------------------
conds="$(kubectl get csr explain-live-good explain-live-attack -o jsonpath='{.items[*].status.conditions}')"
[[ -z "$conds" ]] && pass "both CSRs still pending after explain" || fail "a CSR changed: $conds"

# --- unusable input: exit 2 with a clear message ----------------------------------------
set +e
err="$(explain --name explain-live-missing 2>&1 >/dev/null)"
rc=$?
set -e
[[ $rc -eq 2 && "$err" == *"explain-live-missing not found"* ]] &&
  pass "missing CSR: exit 2, \"$err\"" || fail "missing CSR: exit $rc: $err"

set +e
err="$("$NCA_BIN" explain --name explain-live-good --csr "$E2E_TMP/good.csr" 2>&1 >/dev/null)"
rc=$?
set -e
[[ $rc -eq 2 && "$err" == *"--csr"*"--name"*"exclude each other"* ]] &&
  pass "--name with --csr: exit 2" || fail "--name with --csr: exit $rc: $err"

set +e
err="$("$NCA_BIN" explain --name explain-live-good --kubeconfig "$E2E_TMP/nope.kubeconfig" 2>&1 >/dev/null)"
rc=$?
set -e
[[ $rc -eq 2 && "$err" == *"nope.kubeconfig"* ]] &&
  pass "unreadable kubeconfig: exit 2" || fail "unreadable kubeconfig: exit $rc: $err"

# --- a rejected ConfigMap: the controller keeps its last good copy, and so does explain ----
# The copy as the leader stores it (only the controller's keys); the ConfigMap is then
# edited into a version the controller rejects.
inventory_config_map "$cm-last-good" 192.0.2.99
kubectl create configmap "$cm" -n node-csr-approver --dry-run=client -o yaml \
  --from-literal=config.yaml='failureAction: sometimes' | kubectl apply -f - >/dev/null
set +e
out="$(explain --name explain-live-good --output json 2>"$E2E_TMP/copy.err")"
rc=$?
set -e
if [[ $rc -eq 0 ]]; then
  reason="$(field reason <<<"$out")"
  source="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["sources"]["config"])' <<<"$out")"
  [[ "$reason" == SanIpNotInInventory && "$source" == *"$cm-last-good"* ]] &&
    grep -q "keeps its last good configuration" "$E2E_TMP/copy.err" &&
    pass "rejected ConfigMap: explain answers from $cm-last-good ($reason)" ||
    fail "rejected ConfigMap: reason $reason, config source $source: $(cat "$E2E_TMP/copy.err")"
else
  fail "rejected ConfigMap with a last good copy: exit $rc: $(cat "$E2E_TMP/copy.err")"
fi
kubectl delete configmap "$cm-last-good" -n node-csr-approver >/dev/null
set +e
out="$(explain --name explain-live-good --output json 2>/dev/null)"
rc=$?
set -e
[[ $rc -eq 3 && "$(field reason <<<"$out")" == ConfigUnavailable ]] &&
  pass "rejected ConfigMap without a copy: ConfigUnavailable, exit 3" ||
  fail "rejected ConfigMap without a copy: exit $rc: $out"

finish

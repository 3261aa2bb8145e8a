#!/usr/bin/env bash
# e2e: the full kubelet join flow (test/e2e/lib/join.sh) for JOIN_MACHINES (20) machines
# with each inventory flavour, each with its own approver (deploy/'s ServiceAccount token),
# node names and addresses, cleaned up before the next:
#   nodes      no inventory source at all: Node addresses are trusted (trustNodeAddresses
#              auto). Bootstrap needs a machine, so nothing can bootstrap here: the nodes
#              hold client certificates already (test CA), register, and file serving and
#              client-renewal CSRs — both approved; a bootstrap CSR stays pending
#              (MachineNotFound).
#   static     the static inventory in a ConfigMap (--config-map): bootstrap + serving.
#   openshift  machine.openshift.io Machines; the approver starts BEFORE the CRDs exist and
#              must discover the API (--discovery-seconds) to approve anything.
#   capi       cluster.x-k8s.io Machines, half created as v1beta1 and half as v1beta2;
#              bootstrap with a bootstrap token (group system:bootstrappers).
#   bmh        metal3.io BareMetalHosts (externally provisioned, inspected hostname/NICs).
# Each: every CSR approved and issued by kube-controller-manager (none Failed), decision
# metrics equal to what happened, the pending gauge back to 0, is_leader 1.
#   NCA_CLUSTER_DIR=DIR NCA_BIN=approver test/e2e/join_flavours.sh [FLAVOUR...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=lib/join.sh
source "$here/lib/join.sh"
# shellcheck source=lib/approver.sh
source "$here/lib/approver.sh"
n="${JOIN_MACHINES:-20}"
flavours=("$@")
((${#flavours[@]})) || flavours=(nodes static openshift capi bmh)
serving='signer="kubernetes.io/kubelet-serving"'
ago() { date -u -d "-$1 seconds" +%Y-%m-%dT%H:%M:%SZ; }

remove_crds() {
  kubectl delete -f "$here/crds" --ignore-not-found --wait >/dev/null
}
install_crds() {
  kubectl apply -f "$here/crds" >/dev/null
  kubectl wait --for condition=Established -f "$here/crds" --timeout=60s >/dev/null
}

# machine_list FLAVOUR INDEX: NAME IP lines, distinct per flavour.
machine_list() {
  local i
  for ((i = 0; i < n; i++)); do echo "$1-$i 10.$2.0.$((i + 10))"; done >"$E2E_TMP/$1.list"
}

# create_objects FILE: creates the inventory objects, then sets their status through
# /status (a Machine's addresses are status, written by its controller).
create_objects() {
  kubectl create -f "$1" >/dev/null
  kubectl apply --server-side --subresource=status -f "$1" >/dev/null
}

# The inventory objects of each flavour, as a List.
objects_openshift() {
  echo '{"apiVersion":"v1","kind":"List","items":['
  local sep="" name ip
  while read -r name ip; do
    printf '%s{"apiVersion":"machine.openshift.io/v1beta1","kind":"Machine","metadata":{"name":"%s","namespace":"default"},"spec":{"providerID":"test:///%s"},"status":{"addresses":[{"type":"InternalIP","address":"%s"},{"type":"InternalDNS","address":"%s"},{"type":"Hostname","address":"%s"}]}}\n' \
      "$sep" "$name" "$name" "$ip" "$name" "$name"
    sep=,
  done <"$E2E_TMP/openshift.list"
  echo ']}'
}
objects_capi() {
  echo '{"apiVersion":"v1","kind":"List","items":['
  local sep="" name ip i=0 version
  while read -r name ip; do
    version=v1beta2
    ((i++ % 2)) || version=v1beta1
    printf '%s{"apiVersion":"cluster.x-k8s.io/%s","kind":"Machine","metadata":{"name":"%s","namespace":"default"},"spec":{"clusterName":"e2e"},"status":{"addresses":[{"type":"InternalIP","address":"%s"},{"type":"Hostname","address":"%s"}]}}\n' \
      "$sep" "$version" "$name" "$ip" "$name"
    sep=,
  done <"$E2E_TMP/capi.list"
  echo ']}'
}
objects_bmh() {
  echo '{"apiVersion":"v1","kind":"List","items":['
  local sep="" name ip provisioned
  provisioned="$(ago 30)"
  while read -r name ip; do
    printf '%s{"apiVersion":"metal3.io/v1alpha1","kind":"BareMetalHost","metadata":{"name":"%s-host","namespace":"default"},"spec":{"online":true,"externallyProvisioned":true},"status":{"hardware":{"hostname":"%s","nics":[{"name":"eth0","ip":"%s"},{"name":"eth1","ip":""}]},"operationHistory":{"provision":{"end":"%s"}}}}\n' \
      "$sep" "$name" "$name" "$ip" "$provisioned"
    sep=,
  done <"$E2E_TMP/bmh.list"
  echo ']}'
}
static_configmap() {
  local name ip created
  created="$(ago 60)"
  {
    echo "machines:"
    while read -r name ip; do
      echo "  - {name: $name, hostnames: [$name], addresses: [\"$ip\"], created: \"$created\"}"
    done <"$E2E_TMP/static.list"
  } >"$E2E_TMP/inventory.yaml"
  echo "{}" >"$E2E_TMP/config.yaml"
  kubectl -n node-csr-approver create configmap nca-e2e-static \
    --from-file=config.yaml="$E2E_TMP/config.yaml" \
    --from-file=inventory.yaml="$E2E_TMP/inventory.yaml" --dry-run=client -o yaml |
    kubectl apply -f - >/dev/null
}

# check_joined FLAVOUR MODE: runs the joins and checks the outcome and the metrics.
check_joined() {
  local f="$1" mode="$2" out="$E2E_TMP/$1.rows" names
  if JOIN_LABEL="$f" join_machines "$mode" "$E2E_TMP/$f.list" "$out" 5; then
    pass "$f: $n machines joined"
  else
    fail "$f: not every machine joined"
    grep -hv ' joined$' "$out"/*.row >&2 || true
    cat "$out"/*.log >&2 || true
  fi
  echo "     $f: $(join_summary "$out")"
  names="$(awk '{print $1}' "$E2E_TMP/$f.list")"
  local csrs=()
  for name in $names; do
    if [[ "$mode" == bootstrap ]]; then csrs+=("$name-client" "$name-serving"); else
      csrs+=("$name-serving" "$name-renewal"); fi
  done
  if bad="$(csrs_issued "${csrs[@]}")"; then
    pass "$f: all ${#csrs[@]} CSRs approved and issued, none Failed or Denied"
  else
    fail "$f: CSRs not issued: $bad"
  fi
  if [[ "$mode" == bootstrap ]]; then
    expect_metric "$f" "$n" node_csr_approver_decisions_total 'kind="client-bootstrap"' \
      'outcome="approve"' 'reason="ClientBootstrapApproved"'
  else
    expect_metric "$f" "$n" node_csr_approver_decisions_total 'kind="client-renewal"' \
      'outcome="approve"' 'reason="ClientRenewalApproved"'
  fi
  expect_metric "$f" "$n" node_csr_approver_decisions_total "$serving" 'outcome="approve"' \
    'reason="ServingApproved"'
  expect_metric "$f" 0 node_csr_approver_decisions_total 'outcome="deny"'
  expect_metric "$f" 1 node_csr_approver_is_leader
  local latency
  latency="$(metric_sum "$f" node_csr_approver_approval_latency_seconds_count)"
  [[ "$latency" == $((2 * n)) ]] && pass "$f: approval latency observed $latency times" ||
    fail "$f: approval latency observed $latency times, want $((2 * n))"
}

# delete_objects FLAVOUR: deletes the flavour's CSRs and Nodes (leftovers of an earlier
# run at the start, ours at the end).
delete_objects() {
  kubectl delete csr -l "nca-e2e-join=$1" >/dev/null
  kubectl delete node -l "nca-e2e-join=$1" >/dev/null
}

# cleanup FLAVOUR: deletes what the flavour created and stops its approver.
cleanup() {
  delete_objects "$1"
  stop_approver "$1"
}

flavour_nodes() {
  remove_crds
  machine_list nodes 1
  delete_objects nodes
  local name
  while read -r name _; do identity node "$name" >/dev/null; done <"$E2E_TMP/nodes.list"
  fresh_approver nodes
  check_joined nodes existing
  # With no inventory, a bootstrap CSR has no machine to match: it waits.
  make_csr_pem "$E2E_TMP/orphan.key" "/O=system:nodes/CN=system:node:nodes-orphan" >"$E2E_TMP/orphan.csr"
  csr_manifest nodes-orphan-client kubernetes.io/kube-apiserver-client-kubelet \
    "digital signature, client auth" "$E2E_TMP/orphan.csr" |
    kubectl --kubeconfig "$(identity bootstrapper)" create -f - >/dev/null
  orphan_pending() { csr_events | has_line '^nodes-orphan-client Pending MachineNotFound$'; }
  wait_for 30 orphan_pending && pass "nodes: bootstrap CSR without a machine pending (MachineNotFound)" ||
    fail "nodes: bootstrap CSR without a machine: $(csr_events | grep nodes-orphan || echo no Event)"
  [[ -z "$(kubectl get csr nodes-orphan-client -o jsonpath='{.status.conditions}')" ]] &&
    pass "nodes: orphan bootstrap CSR has no condition" || fail "nodes: orphan bootstrap CSR decided"
  expect_metric nodes 1 node_csr_approver_decisions_total 'kind="client-bootstrap"' \
    'outcome="pending"' 'reason="MachineNotFound"'
  kubectl delete csr nodes-orphan-client >/dev/null
  wait_for 30 pending_gauge_zero nodes && pass "nodes: pending gauge back to 0" ||
    fail "nodes: pending gauge $(metric_sum nodes node_csr_approver_pending_csrs)"
  cleanup nodes
}

flavour_static() {
  machine_list static 2
  delete_objects static
  static_configmap
  fresh_approver static --config-map node-csr-approver/nca-e2e-static
  check_joined static bootstrap
  wait_for 30 pending_gauge_zero static && pass "static: pending gauge 0" || fail "static: pending gauge"
  cleanup static
  kubectl -n node-csr-approver delete configmap nca-e2e-static >/dev/null
}

flavour_openshift() {
  machine_list openshift 3
  delete_objects openshift
  fresh_approver openshift # before the Machine API exists
  install_crds
  objects_openshift >"$E2E_TMP/openshift.json"
  create_objects "$E2E_TMP/openshift.json"
  check_joined openshift bootstrap
  grep -q 'machine.openshift.io' "$E2E_TMP/openshift.log" &&
    pass "openshift: the approver discovered the Machine API after it started" ||
    fail "openshift: no sign of Machine API discovery in the approver log"
  cleanup openshift
  kubectl delete -f "$E2E_TMP/openshift.json" --wait=false >/dev/null
}

flavour_capi() {
  machine_list capi 4
  delete_objects capi
  install_crds
  objects_capi >"$E2E_TMP/capi.json"
  create_objects "$E2E_TMP/capi.json"
  fresh_approver capi
  JOIN_BOOTSTRAP_KUBECONFIG="$(identity bootstrap-token)" check_joined capi bootstrap
  cleanup capi
  kubectl delete -f "$E2E_TMP/capi.json" --wait=false >/dev/null
}

flavour_bmh() {
  machine_list bmh 5
  delete_objects bmh
  install_crds
  objects_bmh >"$E2E_TMP/bmh.json"
  create_objects "$E2E_TMP/bmh.json"
  fresh_approver bmh
  JOIN_BOOTSTRAP_KUBECONFIG="$(identity bootstrap-token)" check_joined bmh bootstrap
  cleanup bmh
  kubectl delete -f "$E2E_TMP/bmh.json" --wait=false >/dev/null
}

ensure_deploy_rbac
for f in "${flavours[@]}"; do
  echo "# flavour $f"
  started=$SECONDS
  "flavour_$f"
  echo "     $f: $((SECONDS - started))s in all"
done
remove_crds
finish

#!/usr/bin/env bash
# e2e: deploy/ and the Helm chart against the real apiserver of test/cluster.
#
#   NCA_CLUSTER_DIR=DIR test/e2e/deploy_apply.sh     (as ctest runs it), or
#   KUBECONFIG=FILE     test/e2e/deploy_apply.sh     (any cluster; admin rights)
#
# 1. `kubectl apply --server-side --dry-run=server -f deploy/` (after the Namespace,
#    which namespaced objects need even in a dry run), then a real `kubectl apply -f
#    deploy/`, both without warnings; afterwards `kubectl diff` finds no drift.
# 2. The Deployment's pod template is admitted by Pod Security "restricted" enforcement
#    (a server-side dry-run Pod: no kubelet runs here, so no real Pod starts).
# 3. The ServiceAccount gets every right of DESIGN.md §4 and none of a list of near
#    misses, asked of the apiserver's own authorizer (SubjectAccessReview).
# 4. The chart, installed with `helm install` into an OpenShift-style namespace as
#    docs/install.md says, is admitted and grants the same; `helm uninstall` cleans up.
# 5. The approver started exactly as the Deployment starts it (args and env read from
#    deploy/, a ServiceAccount token): ready, leader, approves a legitimate serving CSR
#    (issued by kube-controller-manager), writes its Event, leaves a foreign-IP CSR,
#    exports every metric the alerts and dashboard use, exits cleanly on SIGTERM.
# deploy/ stays applied (other e2e tests use its RBAC); the chart's release is removed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [[ -n "${NCA_CLUSTER_DIR:-}" ]]; then
  # shellcheck source=lib.sh
  source "$here/lib.sh"
else
  [[ -n "${KUBECONFIG:-}" ]] || { echo "deploy_apply: set NCA_CLUSTER_DIR or KUBECONFIG" >&2; exit 1; }
  # shellcheck source=../cluster/versions.sh
  source "$root/test/cluster/versions.sh"
  KUBECTL="$NCA_K8S_BIN/kubectl"
  [[ -x "$KUBECTL" ]] || KUBECTL="$(command -v kubectl)"
  kubectl() { "$KUBECTL" "$@"; }
  e2e_root="$root"
  E2E_TMP="$(mktemp -d "${TMPDIR:-/tmp}/nca-e2e.XXXXXX")"
  trap 'e2e_rc=$?; e2e_tmp_cleanup' EXIT
  passed=0 failed=0
  pass() { echo "ok   - $*"; passed=$((passed + 1)); }
  fail() { echo "FAIL - $*" >&2; failed=$((failed + 1)); }
  finish() { echo "$passed passed, $failed failed"; ((failed == 0)); }
  wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do ((SECONDS < deadline)) || return 1; sleep 0.2; done
  }
fi
cd "$root"
ns=node-csr-approver
sa=node-csr-approver

# apply_clean WHAT ARGS...: kubectl ARGS must succeed without any warning on stderr. One
# warning is kubectl's own bookkeeping, not about our objects, and is ignored: a
# server-side apply over objects created by client-side apply (the Namespace here, or
# everything when the test is re-run) cannot take over last-applied-configuration.
apply_clean() {
  local what="$1"
  shift
  if kubectl "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"; then
    if grep -i 'warning' "$E2E_TMP/err" | has_line -v 'failed to migrate kubectl.kubernetes.io/last-applied-configuration'; then
      fail "$what: warnings: $(cat "$E2E_TMP/err")"
    else
      pass "$what"
    fi
  else
    fail "$what: $(cat "$E2E_TMP/out" "$E2E_TMP/err")"
  fi
}

# --- 1. apply ------------------------------------------------------------------------
apply_clean "server-side dry run of the Namespace" apply --server-side --dry-run=server -f deploy/00-namespace.yaml
kubectl apply -f deploy/00-namespace.yaml >/dev/null
apply_clean "kubectl apply --server-side --dry-run=server -f deploy/" apply --server-side --dry-run=server -f deploy/
apply_clean "kubectl apply -f deploy/" apply -f deploy/

exists() { kubectl get "$@" >/dev/null 2>&1; }
for obj in "serviceaccount/$sa -n $ns" "clusterrole/node-csr-approver" "clusterrolebinding/node-csr-approver" \
  "role/node-csr-approver -n $ns" "rolebinding/node-csr-approver -n $ns" \
  "role/node-csr-approver-events -n default" "rolebinding/node-csr-approver-events -n default" \
  "configmap/node-csr-approver-config -n $ns" "deployment/node-csr-approver -n $ns" \
  "service/node-csr-approver-metrics -n $ns" "poddisruptionbudget/node-csr-approver -n $ns"; do
  # shellcheck disable=SC2086
  if wait_for 30 exists $obj; then pass "exists: $obj"; else fail "missing after apply: $obj"; fi
done
if kubectl diff -f deploy/ >"$E2E_TMP/diff" 2>&1; then
  pass "kubectl diff -f deploy/: no drift after apply"
else
  fail "kubectl diff -f deploy/ after apply: $(cat "$E2E_TMP/diff")"
fi

# --- 2. Pod Security -----------------------------------------------------------------
pod_from_template() { # pod_from_template DEPLOYMENT.yaml NAMESPACE: the template as a Pod
  python3 - "$1" "$2" <<'PY'
import json, sys, yaml
d = next(x for x in yaml.safe_load_all(open(sys.argv[1])) if x and x["kind"] == "Deployment")
t = d["spec"]["template"]
print(json.dumps({"apiVersion": "v1", "kind": "Pod",
                  "metadata": {"name": "pss-check", "namespace": sys.argv[2], "labels": t["metadata"]["labels"]},
                  "spec": t["spec"]}))
PY
}
pod_from_template deploy/08-deployment.yaml "$ns" >"$E2E_TMP/pod.json"
apply_clean "the Deployment's pod passes Pod Security restricted (enforce) and its priority class" \
  create --dry-run=server -f "$E2E_TMP/pod.json"
# The enforcement is real: the same pod with capabilities kept is refused.
jq 'del(.spec.containers[0].securityContext.capabilities)' "$E2E_TMP/pod.json" >"$E2E_TMP/bad-pod.json"
if out="$(kubectl create --dry-run=server -f "$E2E_TMP/bad-pod.json" 2>&1)"; then
  fail "a pod without capabilities.drop=[ALL] was admitted in $ns: Pod Security is not enforced"
elif [[ "$out" == *PodSecurity*restricted* ]]; then
  pass "Pod Security restricted is enforced in $ns (a non-compliant pod is refused)"
else
  fail "non-compliant pod refused for another reason: $out"
fi

# --- 3. RBAC -------------------------------------------------------------------------
# can SA_NS SA VERB GROUP RESOURCE [NAME] [NAMESPACE] [SUBRESOURCE]: "true" or "false",
# from a SubjectAccessReview for the ServiceAccount's user and groups (no discovery
# needed, so it also works for inventory CRDs that are not installed).
can() {
  local sans="$1" san="$2" verb="$3" group="$4" resource="$5" name="${6:-}" namespace="${7:-}" sub="${8:-}"
  kubectl create -o jsonpath='{.status.allowed}' -f - <<JSON
{"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
 "spec": {"user": "system:serviceaccount:$sans:$san",
          "groups": ["system:serviceaccounts", "system:serviceaccounts:$sans", "system:authenticated"],
          "resourceAttributes": {"verb": "$verb", "group": "$group", "resource": "$resource",
                                 "name": "$name", "namespace": "$namespace", "subresource": "$sub"}}}
JSON
}
# Rights the approver needs (DESIGN.md §4): VERB GROUP RESOURCE NAME NAMESPACE SUBRESOURCE
granted() {
  local sans="$1" ans="$2" lease="$3"
  cat <<EOF2
get certificates.k8s.io certificatesigningrequests - - -
list certificates.k8s.io certificatesigningrequests - - -
watch certificates.k8s.io certificatesigningrequests - - -
patch certificates.k8s.io certificatesigningrequests csr-x - approval
approve certificates.k8s.io signers kubernetes.io/kubelet-serving - -
approve certificates.k8s.io signers kubernetes.io/kube-apiserver-client-kubelet - -
get - nodes - - -
list - nodes - - -
watch - nodes - - -
list machine.openshift.io machines - - -
watch machine.openshift.io machines - - -
get machine.openshift.io machines m - -
list cluster.x-k8s.io machines - - -
watch cluster.x-k8s.io machines - - -
list metal3.io baremetalhosts - - -
watch metal3.io baremetalhosts - - -
create coordination.k8s.io leases - $ans -
get coordination.k8s.io leases $lease $ans -
update coordination.k8s.io leases $lease $ans -
create - events - $ans -
patch - events - $ans -
create - events - default -
patch - events - default -
get - configmaps - $ans -
list - configmaps - $ans -
watch - configmaps - $ans -
create authentication.k8s.io tokenreviews - - -
create authorization.k8s.io subjectaccessreviews - - -
EOF2
}
# Near misses that must be refused.
refused() {
  local ans="$1" lease="$2"
  cat <<EOF2
create certificates.k8s.io certificatesigningrequests - - -
delete certificates.k8s.io certificatesigningrequests csr-x - -
patch certificates.k8s.io certificatesigningrequests csr-x - -
update certificates.k8s.io certificatesigningrequests csr-x - -
update certificates.k8s.io certificatesigningrequests csr-x - status
update certificates.k8s.io certificatesigningrequests csr-x - approval
approve certificates.k8s.io signers kubernetes.io/kube-apiserver-client - -
approve certificates.k8s.io signers example.com/any - -
approve certificates.k8s.io signers * - -
sign certificates.k8s.io signers kubernetes.io/kubelet-serving - -
update - nodes n - -
patch - nodes n - status
delete - nodes n - -
get - secrets - $ans -
list - secrets - - -
update machine.openshift.io machines m - -
delete metal3.io baremetalhosts b - -
get coordination.k8s.io leases other-lease $ans -
update coordination.k8s.io leases other-lease $ans -
delete coordination.k8s.io leases $lease $ans -
list coordination.k8s.io leases - $ans -
create - events - kube-system -
update - configmaps node-csr-approver-config $ans -
list - configmaps - kube-system -
create - pods - $ans -
create authorization.k8s.io localsubjectaccessreviews - $ans -
EOF2
}
check_rbac() { # check_rbac SA_NAMESPACE SA APPROVER_NAMESPACE LEASE LABEL
  local sans="$1" san="$2" ans="$3" lease="$4" label="$5" n_ok=0 bad=()
  while read -r verb group res name namespace sub; do
    [[ "$group" == - ]] && group=""; [[ "$name" == - ]] && name=""
    [[ "$namespace" == - ]] && namespace=""; [[ "$sub" == - ]] && sub=""
    if [[ "$(can "$sans" "$san" "$verb" "$group" "$res" "$name" "$namespace" "$sub")" == true ]]; then
      n_ok=$((n_ok + 1))
    else
      bad+=("missing: $verb $group/$res${sub:+/$sub} ${name:+name=$name} ${namespace:+ns=$namespace}")
    fi
  done < <(granted "$sans" "$ans" "$lease")
  while read -r verb group res name namespace sub; do
    [[ "$group" == - ]] && group=""; [[ "$name" == - ]] && name=""
    [[ "$namespace" == - ]] && namespace=""; [[ "$sub" == - ]] && sub=""
    if [[ "$(can "$sans" "$san" "$verb" "$group" "$res" "$name" "$namespace" "$sub")" == false ]]; then
      n_ok=$((n_ok + 1))
    else
      bad+=("too much: $verb $group/$res${sub:+/$sub} ${name:+name=$name} ${namespace:+ns=$namespace}")
    fi
  done < <(refused "$ans" "$lease")
  if ((${#bad[@]} == 0)); then
    pass "$label: $n_ok SubjectAccessReviews as expected (every needed right, none of the near misses)"
  else
    fail "$label: ${bad[*]}"
  fi
}
check_rbac "$ns" "$sa" "$ns" node-csr-approver "deploy/ RBAC"

# --- 4. the chart, OpenShift-style namespace -------------------------------------------
# As docs/install.md installs it, but with a release name of its own: deploy/'s
# cluster-scoped objects already use the default names.
helm="$("$root/test/cluster/build-helm" | tail -1)"
ons=openshift-cluster-machine-approver
rel=e2e-node-csr-approver # contains the chart name: objects are named after the release
"$helm" uninstall "$rel" -n "$ons" >/dev/null 2>&1 || true # a crashed earlier run
if "$helm" install "$rel" charts/node-csr-approver -n "$ons" --create-namespace \
  --set podSecurityContext.runAsUser=null --set podSecurityContext.runAsGroup=null \
  >"$E2E_TMP/helm.out" 2>&1; then
  pass "helm install into $ons (the documented OpenShift flags)"
else
  fail "helm install into $ons: $(cat "$E2E_TMP/helm.out")"
fi
"$helm" get manifest "$rel" -n "$ons" >"$E2E_TMP/chart.yaml"
kubectl label namespace "$ons" pod-security.kubernetes.io/enforce=restricted --overwrite >/dev/null
pod_from_template "$E2E_TMP/chart.yaml" "$ons" >"$E2E_TMP/chart-pod.json"
if jq -e '.spec.securityContext | has("runAsUser") or has("runAsGroup") | not' "$E2E_TMP/chart-pod.json" >/dev/null; then
  pass "runAsUser/runAsGroup left to the platform (OpenShift SCC) by the documented flags"
else
  fail "the documented flags did not unset runAsUser/runAsGroup: $(jq -c .spec.securityContext "$E2E_TMP/chart-pod.json")"
fi
apply_clean "the chart's pod passes Pod Security restricted in $ons" create --dry-run=server -f "$E2E_TMP/chart-pod.json"
check_rbac "$ons" "$rel" "$ons" node-csr-approver "chart RBAC in $ons"
# The Namespace stays: no namespace controller runs here, deleting it would leave it
# Terminating.
if "$helm" uninstall "$rel" -n "$ons" >"$E2E_TMP/helm.out" 2>&1 && ! exists clusterrole "$rel"; then
  pass "helm uninstall removes the chart's objects"
else
  fail "helm uninstall: $(cat "$E2E_TMP/helm.out")"
fi

# --- 5. the approver as the Deployment runs it -----------------------------------------
# argv and env read from deploy/08-deployment.yaml ($(VAR) expanded as the kubelet does),
# credentials: a token of the ServiceAccount (never admin). Only the two bind addresses
# are moved to free loopback ports (the machine is shared); any other flag the binary
# rejects is drift between deploy/ and the binary and fails here.
# shellcheck source=deployment_lib.sh
source "$here/deployment_lib.sh"
mapfile -t argv < <(deployment_argv)
if [[ "${argv[0]:-}" == run && "${argv[*]}" == *"--config-map=$ns/node-csr-approver-config"* ]]; then
  pass "the Deployment runs: node-csr-approver ${argv[*]}"
else
  fail "unexpected Deployment args: ${argv[*]}"
fi
if [[ -z "${NCA_CLUSTER_DIR:-}" ]]; then
  echo "deploy_apply: SKIPPED running the approver: it needs NCA_CLUSTER_DIR (test/cluster node identities)"
  finish
  exit
fi
if ! approver_has_run; then
  fail "no approver binary with a run command at $(approver_bin) (set NCA_BIN)"
  finish
  exit 1
fi
start_approver_as_deployment "$E2E_TMP/approver.log"
trap 'e2e_rc=$?; stop_approver || true; e2e_tmp_cleanup' EXIT
if wait_for 60 approver_ready; then
  pass "the approver started as the Deployment starts it is ready (/readyz)"
else
  fail "the approver is not ready within 60s: $(tail -20 "$E2E_TMP/approver.log")"
fi
if wait_for 30 lease_held; then
  pass "it holds the Lease node-csr-approver ($(lease_holder))"
else
  fail "no Lease holder within 30s"
fi
mport="$approver_metrics_port"

# Issue 9 item 8: /healthz waited 11.9 s behind a client sending one byte per second. With
# three clients stalled mid-request on the health port and one on the metrics port, /healthz
# must still answer within 1 s (on the old one-connection-at-a-time server: 5 s).
if took="$(python3 - "$approver_health_port" "$mport" <<'PY'
import socket, sys, time, urllib.request
health, metrics = int(sys.argv[1]), int(sys.argv[2])
held = [socket.create_connection(("127.0.0.1", p)) for p in (health, health, health, metrics)]
for s in held:
    s.sendall(b"GET /hea")
t0 = time.monotonic()
body = urllib.request.urlopen(f"http://127.0.0.1:{health}/healthz", timeout=10).read()
took = time.monotonic() - t0
print(f"{took:.3f}")
sys.exit(0 if body.startswith(b"ok") and took < 1.0 else 1)
PY
)"; then
  pass "/healthz answers in ${took}s while four clients are stalled mid-request"
else
  fail "/healthz behind stalled clients took ${took:-?}s (want < 1s)"
fi

# A serving CSR of a registered Node whose addresses match (Nodes-only inventory: no
# machine API here, so the Node's addresses count), created as the node: approved and
# issued. One asking for another IP stays unapproved.
node=deploy-e2e-node
kubectl delete node "$node" --ignore-not-found >/dev/null
kubectl delete csr deploy-e2e-serving deploy-e2e-foreign --ignore-not-found >/dev/null
kubectl create -f - >/dev/null <<NODE
{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "$node"}}
NODE
kubectl patch node "$node" --subresource=status --type=merge \
  -p '{"status":{"addresses":[{"type":"InternalIP","address":"192.0.2.77"},{"type":"Hostname","address":"'"$node"'"}]}}' >/dev/null
node_kc="$(identity node "$node")"
make_csr_pem "$E2E_TMP/n.key" "/O=system:nodes/CN=system:node:$node" "DNS:$node,IP:192.0.2.77" >"$E2E_TMP/n.csr"
csr_manifest deploy-e2e-serving kubernetes.io/kubelet-serving "digital signature, server auth" "$E2E_TMP/n.csr" |
  kubectl --kubeconfig "$node_kc" create -f - >/dev/null
make_csr_pem "$E2E_TMP/f.key" "/O=system:nodes/CN=system:node:$node" "DNS:$node,IP:192.0.2.99" >"$E2E_TMP/f.csr"
csr_manifest deploy-e2e-foreign kubernetes.io/kubelet-serving "digital signature, server auth" "$E2E_TMP/f.csr" |
  kubectl --kubeconfig "$node_kc" create -f - >/dev/null
issued() { [[ -n "$(kubectl get csr deploy-e2e-serving -o jsonpath='{.status.certificate}')" ]]; }
if wait_for 60 issued; then
  pass "a legitimate serving CSR is approved by the ServiceAccount and issued"
else
  fail "serving CSR not issued within 60s: $(kubectl get csr deploy-e2e-serving -o jsonpath='{.status}'); log: $(tail -20 "$E2E_TMP/approver.log")"
fi
event() { [[ -n "$(kubectl get events -n default --field-selector involvedObject.name=deploy-e2e-serving -o name)" ]]; }
if wait_for 20 event; then pass "an Event about the CSR is written in namespace default"; else fail "no Event about deploy-e2e-serving in default"; fi
foreign_event() { [[ -n "$(kubectl get events -n default --field-selector involvedObject.name=deploy-e2e-foreign -o name)" ]]; }
if wait_for 20 foreign_event; then
  pass "the foreign-IP CSR was evaluated (Event: $(kubectl get events -n default --field-selector involvedObject.name=deploy-e2e-foreign -o jsonpath='{.items[0].reason}'))"
else
  fail "no Event about deploy-e2e-foreign: was it evaluated?"
fi
if [[ "$(kubectl get csr deploy-e2e-foreign -o jsonpath='{.status.conditions[?(@.type=="Approved")].status}')" != True ]]; then
  pass "a serving CSR for an IP the node does not have is not approved"
else
  fail "a serving CSR for a foreign IP was approved"
fi

# Every metric the alert rules and the dashboard use exists in the live scrape.
# /metrics is HTTPS with token review: scrape as a ServiceAccount bound to deploy/'s
# metrics-reader ClusterRole.
scrape_token="$(metrics_scraper_token nca-e2e-deploy-scraper --bound)"
scraped() { scrape_deployment_metrics "$scrape_token" >"$E2E_TMP/metrics.txt"; }
wait_for 20 scraped || true
delete_metrics_scraper nca-e2e-deploy-scraper
if python3 test/alerts/metric_names.py --scrape "$E2E_TMP/metrics.txt" manifests/alerts/rules.yaml \
  manifests/dashboards/*.json >"$E2E_TMP/names.out" 2>&1; then
  pass "every metric used by the alert rules and the dashboard is in the live /metrics"
else
  fail "metrics used by alerts/dashboard missing from the live scrape: $(cat "$E2E_TMP/names.out")"
fi

# Measured use against the Deployment's requests and limits (a small cluster: a floor,
# not a sizing for thousands of nodes; test/bench measures those).
hwm_kib="$(awk '/^VmHWM:/ {print $2}' "/proc/$approver_pid/status" 2>/dev/null || echo 0)"
cpu_ticks="$(awk '{print $14 + $15}' "/proc/$approver_pid/stat" 2>/dev/null || echo 0)"
limit_mib="$(python3 -c 'import yaml,sys; d=yaml.safe_load(open("deploy/08-deployment.yaml")); m=d["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["memory"]; assert m.endswith("Mi"); print(m[:-2])')"
echo "measured: approver peak RSS $((hwm_kib / 1024)) MiB, CPU $((cpu_ticks / $(getconf CLK_TCK))) s (limit ${limit_mib}Mi)"
if ((hwm_kib > 0 && hwm_kib < limit_mib * 1024)); then
  pass "peak RSS $((hwm_kib / 1024)) MiB is under the Deployment's ${limit_mib}Mi limit"
else
  fail "peak RSS ${hwm_kib} KiB vs the Deployment's ${limit_mib}Mi limit"
fi

# SIGTERM: clean exit and the Lease released.
rc=0
stop_approver || rc=$?
if ((rc == 0)); then pass "SIGTERM: the approver exits 0"; else fail "SIGTERM: exit code $rc: $(tail -5 "$E2E_TMP/approver.log")"; fi
if ! lease_held; then pass "SIGTERM released the Lease"; else fail "the Lease still names $(kubectl get lease node-csr-approver -n "$ns" -o jsonpath='{.spec.holderIdentity}') after SIGTERM"; fi
kubectl delete csr deploy-e2e-serving deploy-e2e-foreign --ignore-not-found >/dev/null
kubectl delete node "$node" --ignore-not-found >/dev/null

finish

#!/usr/bin/env bash
# Probe for rbac_minimal.sh: exits 0 only if the approver, started exactly as deploy/'s
# Deployment starts it (ServiceAccount token), can do every job that needs RBAC:
#   - sync its caches (CSRs, Nodes, inventory APIs that are served, its ConfigMap) and
#     become ready, with no 403 from the apiserver (node_csr_approver_api_requests_total);
#   - create (the Lease is deleted first), hold and update its Lease;
#   - approve a client renewal CSR of an existing Node through /approval (signers/approve)
#     and record an Event about it in "default";
#   - reject a bad config pushed into its ConfigMap with an Event in its own namespace;
#   - keep the last good config in node-csr-approver-config-last-good: create it at start
#     (it is deleted first) and update it after a valid change;
#   - serve /metrics over HTTPS only to tokens the API server authenticates (TokenReview:
#     no token 401) and allows to get /metrics (SubjectAccessReview: a ServiceAccount
#     without deploy/'s node-csr-approver-metrics-reader binding 403, one with it 200).
# Needs NCA_CLUSTER_DIR and NCA_BIN. Leaves no approver running.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=deployment_lib.sh
source "$here/deployment_lib.sh"
ns="$deploy_ns"
node=rbac-probe-node
scraper=nca-e2e-scraper   # bound to node-csr-approver-metrics-reader
nobody=nca-e2e-nobody     # not bound
csr="rbac-probe-renewal-$$"
problem() { echo "approver_probe: $*" >&2; exit 1; }

approver_has_run || problem "no approver binary with a run command (NCA_BIN)"
kubectl delete lease node-csr-approver -n "$ns" --ignore-not-found >/dev/null
kubectl delete configmap node-csr-approver-config-last-good -n "$ns" --ignore-not-found >/dev/null
kubectl get node "$node" >/dev/null 2>&1 ||
  kubectl create -f - >/dev/null <<<"{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"$node\"}}"

start_approver_as_deployment "$E2E_TMP/approver.log"
cleanup() {
  stop_approver >/dev/null 2>&1 || true
  kubectl apply -f "$e2e_root/deploy/07-configmap.yaml" >/dev/null 2>&1 || true
  kubectl delete configmap node-csr-approver-config-last-good -n "$ns" --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete csr "$csr" --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete node "$node" --ignore-not-found >/dev/null 2>&1 || true
  delete_metrics_scraper "$scraper"
  delete_metrics_scraper "$nobody"
  e2e_tmp_cleanup
}
trap 'e2e_rc=$?; cleanup' EXIT
why() { echo "$* (log: $(tail -5 "$E2E_TMP/approver.log" | tr '\n' ' '))"; }
# Requests the API server answered 403 so far: a missing rule shows up here at once, so
# each wait below stops at the first 403 instead of running to its deadline.
# 0 while /metrics is not served yet (or refuses the scraper: a check below says so).
good="$(metrics_scraper_token "$scraper" --bound)"
bad="$(metrics_scraper_token "$nobody")"
forbidden_requests() {
  local body
  body="$(scrape_deployment_metrics "$good" 2>/dev/null)" || body=""
  awk '/^node_csr_approver_api_requests_total\{.*code="403"/ {s += $NF} END {print s + 0}' <<<"$body"
}
# job SECONDS WHAT COMMAND...: COMMAND succeeds within SECONDS, with no request refused
# and the approver still running (it exits at start-up when it cannot read its config).
job() {
  local seconds="$1" what="$2" deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@" 2>/dev/null; do
    local refused
    refused="$(forbidden_requests)"
    ((refused == 0)) || problem "$(why "$what: $refused requests answered 403")"
    kill -0 "$approver_pid" 2>/dev/null || problem "$(why "$what: the approver exited")"
    ((SECONDS < deadline)) || problem "$(why "$what: not within ${seconds}s")"
    sleep 0.2
  done
}

job 20 "ready" approver_ready
job 20 "Lease holder" lease_held
copy_has() { # copy_has TEXT: the last good copy's config.yaml contains TEXT ("" = exists)
  kubectl get configmap node-csr-approver-config-last-good -n "$ns" -o jsonpath='{.data.config\.yaml}' |
    has_line -F -- "$1"
}
job 20 "last good config copy created" copy_has ""

node_kc="$(identity node "$node")"
make_csr_pem "$E2E_TMP/r.key" "/O=system:nodes/CN=system:node:$node" >"$E2E_TMP/r.csr"
csr_manifest "$csr" kubernetes.io/kube-apiserver-client-kubelet "digital signature, client auth" \
  "$E2E_TMP/r.csr" | kubectl --kubeconfig "$node_kc" create -f - >/dev/null
approved() { [[ "$(kubectl get csr "$csr" -o jsonpath='{.status.conditions[?(@.type=="Approved")].status}')" == True ]]; }
job 30 "renewal CSR approved" approved
csr_event() { [[ -n "$(kubectl get events -n default --field-selector "involvedObject.name=$csr" -o name)" ]]; }
job 15 "Event about the CSR in default" csr_event

cm_events() { # how many times an Event about the ConfigMap was recorded (counts aggregate)
  kubectl get events -n "$ns" --field-selector involvedObject.name=node-csr-approver-config -o json |
    jq '[.items[] | (.count // 1)] | add // 0'
}
before="$(cm_events)"
kubectl patch configmap node-csr-approver-config -n "$ns" --type=merge \
  -p '{"data":{"config.yaml":"rbacProbeUnknownKey: 1\n"}}' >/dev/null
cm_event() { (($(cm_events) > before)); }
job 20 "Event about the rejected config in $ns" cm_event
kubectl patch configmap node-csr-approver-config -n "$ns" --type=merge \
  -p '{"data":{"config.yaml":"{}\n# rbac-probe\n"}}' >/dev/null
job 20 "last good config copy updated" copy_has rbac-probe

# Secure /metrics, as the approver's own ServiceAccount reviews scrapers.
[[ "$(metrics_status)" == 401 ]] || problem "$(why "/metrics without a token: $(metrics_status), want 401")"
[[ "$(metrics_status -H "Authorization: Bearer not-a-token")" == 401 ]] ||
  problem "$(why "/metrics with an invalid token: want 401")"
scraped() { [[ "$(metrics_status -H "Authorization: Bearer $good")" == 200 ]] && grep -q '^node_csr_approver_' "$E2E_TMP/scrape.out"; }
wait_for 20 scraped || problem "$(why "/metrics as $scraper (bound to the metrics-reader role): $(metrics_status -H "Authorization: Bearer $good") $(head -c 200 "$E2E_TMP/scrape.out"), want 200")"
[[ "$(metrics_status -H "Authorization: Bearer $bad")" == 403 ]] ||
  problem "$(why "/metrics as $nobody (no binding): $(metrics_status -H "Authorization: Bearer $bad"), want 403")"
if curl -fsS -m 5 "http://127.0.0.1:$approver_metrics_port/metrics" >/dev/null 2>&1; then
  problem "/metrics answered over plain HTTP"
fi

forbidden="$(forbidden_requests)"
((forbidden == 0)) || problem "$(why "$forbidden requests answered 403")"
stop_approver || problem "$(why "the approver did not exit cleanly")"
echo "approver_probe: ok"

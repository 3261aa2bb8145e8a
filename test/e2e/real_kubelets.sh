#!/usr/bin/env bash
# e2e: real kubelets (the pinned release on Kubernetes' fake CRI, test/cluster/kubelet) join
# through the approver, started exactly as deploy/'s Deployment runs it (its ServiceAccount
# token) with a static inventory (inventory.yaml in deploy/'s ConfigMap):
#   - 3 kubelets, bootstrapping with a bootstrap token (2) and with the node-bootstrapper
#     ServiceAccount (1): every client and serving CSR they file is approved by us (the
#     Approved condition carries our reason; nothing here approves by hand) and issued,
#     Nodes Ready, each kubelet serves a certificate that verifies against the signer CA
#     (openssl s_client -CAfile, hostname checked), and `kubectl logs` of a pod bound to the
#     node gets the kubelet's answer through the API server, which verifies that certificate.
#   - a restarted kubelet serves its certificate again and files no new CSR.
#   - 1 kubelet whose inventory entry lists another IP: its client CSR is approved, its
#     serving CSR stays pending, `explain --name` says SanIpNotInInventory, and kubectl logs
#     of its pod fails (no serving certificate).
#   - 1 kubelet with a self-signed serving certificate (no serving CSR): kubectl logs of its
#     pod fails with "unknown authority", so the API server does verify kubelets.
#   - the host is left as found: vm/overcommit_memory, kernel/panic, kernel/panic_on_oops
#     and /proc/mounts are the same after the kubelets stopped, and a canary file in the
#     directory they were started from is still there.
# Prints the time from kubelet start to its serving certificate on disk, per node.
#   NCA_CLUSTER_DIR=DIR NCA_BIN=approver test/e2e/real_kubelets.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=deployment_lib.sh
source "$here/deployment_lib.sh"
# shellcheck source=lib/kubelets.sh
source "$here/lib/kubelets.sh"

run="rk$(openssl rand -hex 2)"
good=("$run-0" "$run-1" "$run-2")
boots=(token serviceaccount token)
extra="$run-x"
selfsigned="$run-s"
all=("${good[@]}" "$extra" "$selfsigned")
cm=node-csr-approver-config

# Pods first, forced: a stopped kubelet never confirms a graceful deletion.
delete_pods() {
  local n
  for n in "${all[@]}"; do
    kubectl delete pod "logs-$n" --ignore-not-found --grace-period=0 --force >/dev/null 2>&1 || true
  done
}
cleanup() {
  local n
  delete_pods
  for n in "${all[@]}"; do kubelet_ctl delete "$n" >/dev/null 2>&1 || true; done
  # Their CSRs too (one stays pending), so that later suites see a clean cluster.
  csr_table "${all[@]}" 2>/dev/null | awk '{print $2}' | xargs -r "$KUBECTL" delete csr >/dev/null 2>&1 || true
  remove_static_inventory "$cm"
  stop_approver >/dev/null 2>&1 || true
  # Prints the approvers' logs after a failure, then removes E2E_TMP (lib.sh).
  e2e_tmp_cleanup
}
trap 'e2e_rc=$?; cleanup' EXIT

ensure_deploy_rbac
host_state >"$E2E_TMP/host.before"
# The kubelets are started from a directory holding a canary: a kubelet removing a container
# of the fake runtime deletes "<log path>*", which is every file in its working directory
# unless test/cluster/kubelet gives it a scratch one.
mkdir "$E2E_TMP/cwd"
echo canary >"$E2E_TMP/cwd/canary"
cd "$E2E_TMP/cwd"

# --- the approver, with every node in the inventory (the extra one at another IP) -------
{
  echo "machines:"
  for i in "${!good[@]}"; do inventory_entry "${good[$i]}" "198.51.100.$((20 + i))"; done
  inventory_entry "$extra" 198.51.100.99
  inventory_entry "$selfsigned" 198.51.100.24
} >"$E2E_TMP/inventory.yaml"
set_static_inventory "$cm" "$E2E_TMP/inventory.yaml"
# A Lease left by an approver an earlier test killed would delay leadership by its term.
kubectl -n node-csr-approver delete lease node-csr-approver --ignore-not-found >/dev/null
start_approver_as_deployment "$E2E_TMP/approver.log"
if wait_for 60 approver_ready && wait_for 30 lease_held; then pass "approver ready and leading (as deploy/ runs it)"; else
  fail "approver not ready"
  tail -20 "$E2E_TMP/approver.log" >&2
  finish
fi

# --- the kubelets ------------------------------------------------------------------------
for i in "${!good[@]}"; do
  kubelet_ctl start "${good[$i]}" --bootstrap "${boots[$i]}" --address "198.51.100.$((20 + i))"
done
kubelet_ctl start "$extra" --bootstrap token --address 198.51.100.23
kubelet_ctl start "$selfsigned" --bootstrap token --address 198.51.100.24 --self-signed

# Time from start to the serving certificate on disk, per node.
declare -A served_after=()
deadline=$((SECONDS + 180))
while ((${#served_after[@]} < ${#good[@]} && SECONDS < deadline)); do
  for n in "${good[@]}"; do
    [[ -z "${served_after[$n]:-}" ]] || continue
    if [[ -e "$(kubelet_dir "$n")/pki/kubelet-server-current.pem" ]]; then
      served_after[$n]="$(python3 -c "import time; print(f'{time.time() - $(cat "$(kubelet_dir "$n")/started_at"):.1f}')")"
    fi
  done
  sleep 0.2
done
for n in "${good[@]}"; do
  if [[ -n "${served_after[$n]:-}" ]]; then
    pass "$n: serving certificate $(printf '%ss' "${served_after[$n]}") after kubelet start"
  else
    fail "$n: no serving certificate within 180 s"
    tail -5 "$NCA_CLUSTER_DIR/logs/kubelet-$n.log" >&2
  fi
done
echo "     time to serving certificate: $(for n in "${good[@]}"; do printf '%s=%ss ' "$n" "${served_after[$n]:--}"; done)"

for n in "${good[@]}"; do
  if kubectl wait --for=condition=Ready "node/$n" --timeout=60s >/dev/null 2>&1; then
    pass "$n: Node Ready"
  else
    fail "$n: Node not Ready: $(kubectl get node "$n" -o jsonpath='{.status.conditions}' 2>&1)"
  fi
done

# --- each kubelet serves a certificate from the signer --------------------------------------
for n in "${good[@]}"; do
  if out="$(serving_cert_verifies "$n")"; then
    pass "$n: kubelet at $(kubelet_endpoint "$n") serves a certificate that verifies against the signer CA ($out)"
  else
    fail "$n: serving certificate does not verify: $out"
  fi
done

# --- kubectl logs through the API server ----------------------------------------------------
for n in "${all[@]}"; do bound_pod "logs-$n" "$n"; done
for n in "${all[@]}"; do
  kubectl wait --for=condition=Ready "pod/logs-$n" --timeout=60s >/dev/null 2>&1 ||
    fail "$n: pod logs-$n not Running"
done
# logs_say POD PATTERN: kubectl logs of POD matches PATTERN (grep -E); the output stays in
# $E2E_TMP/logs.out. Waited for: the API server re-reads its hosts file (with a new node's
# name) at most every 5 s.
logs_say() {
  kubectl logs "$1" >"$E2E_TMP/logs.out" 2>&1 || true
  grep -qE "$2" "$E2E_TMP/logs.out"
}
for n in "${good[@]}"; do
  wait_for 20 logs_say "logs-$n" "$kubelet_answer_pattern" || true
  out="$(cat "$E2E_TMP/logs.out")"
  if kubelet_answered "$out"; then pass "$n: kubectl logs reaches the kubelet, TLS verified (kubelet says: $out)"; else
    fail "$n: kubectl logs: $out"
  fi
done

# --- a restarted kubelet keeps its certificates: it serves again and files no CSR ---------------
before="$(csr_table "${good[0]}" | wc -l)"
kubelet_ctl restart "${good[0]}" 2>/dev/null
if wait_for 60 serving_cert_verifies "${good[0]}" && [[ "$(csr_table "${good[0]}" | wc -l)" == "$before" ]]; then
  pass "${good[0]}: restarted, serves its certificate again, filed no new CSR"
else
  fail "${good[0]}: after restart: $(serving_cert_verifies "${good[0]}" 2>&1 | tail -1); CSRs before $before, now $(csr_table "${good[0]}" | wc -l)"
fi

# --- the extra kubelet: client certificate yes, serving certificate no ----------------------
ex_dir="$(kubelet_dir "$extra")"
if wait_for 120 test -e "$ex_dir/pki/kubelet-client-current.pem"; then
  pass "$extra: client CSR approved (its inventory entry exists)"
else
  fail "$extra: no client certificate"
fi
serving_csr=""
wait_for 120 csr_of "$extra" kubernetes.io/kubelet-serving && serving_csr="$(csr_of "$extra" kubernetes.io/kubelet-serving)"
if [[ -n "$serving_csr" ]]; then
  explained="$("$(approver_bin)" explain --name "$serving_csr" --kubeconfig "$E2E_TMP/sa.kubeconfig" 2>&1 || true)"
  if grep -q SanIpNotInInventory <<<"$explained"; then
    pass "$extra: serving CSR $serving_csr left pending; explain says SanIpNotInInventory"
  else
    fail "$extra: explain --name $serving_csr does not say SanIpNotInInventory: $explained"
  fi
else
  fail "$extra: filed no serving CSR"
fi
if [[ ! -e "$ex_dir/pki/kubelet-server-current.pem" ]]; then pass "$extra: no serving certificate"; else
  fail "$extra: got a serving certificate"
fi
out="$(kubectl logs "logs-$extra" 2>&1 || true)"
if kubelet_answered "$out"; then fail "$extra: kubectl logs worked without a serving certificate: $out"; else
  pass "$extra: kubectl logs fails while its serving CSR is pending (${out##*: })"
fi

# --- a self-signed kubelet: the API server refuses it -------------------------------------------
wait_for 20 logs_say "logs-$selfsigned" 'certificate signed by unknown authority' || true
out="$(cat "$E2E_TMP/logs.out")"
if grep -q 'certificate signed by unknown authority' <<<"$out"; then
  pass "$selfsigned: kubectl logs refused with a self-signed kubelet certificate (unknown authority)"
else
  fail "$selfsigned: kubectl logs with a self-signed kubelet certificate: $out"
fi

# --- every CSR of these nodes: decided by us ---------------------------------------------
csr_table "${all[@]}" >"$E2E_TMP/csrs"
bad="$(awk -v extra="$extra" -v ss="$selfsigned" -v good="${good[*]}" '
  $1 == ss && $3 == "serving" { print "unexpected:", $0; next }
  $1 == extra && $3 == "serving" { if ($4 != "pending") print; next }
  $4 != "approved-by-us" || $5 != "issued" { print; next }
  { ok[$1 " " $3] = 1 }
  END {
    n = split(good, g, " ")
    for (i = 1; i <= n; i++) {
      if (!ok[g[i] " client"]) print g[i], "has no approved client CSR"
      if (!ok[g[i] " serving"]) print g[i], "has no approved serving CSR"
    }
  }' "$E2E_TMP/csrs")"
count="$(wc -l <"$E2E_TMP/csrs")"
clients="$(awk '$3 == "client" && $4 == "approved-by-us"' "$E2E_TMP/csrs" | wc -l)"
servings="$(awk '$3 == "serving" && $4 == "approved-by-us"' "$E2E_TMP/csrs" | wc -l)"
if [[ -z "$bad" && "$clients" -ge ${#all[@]} && "$servings" -ge ${#good[@]} ]]; then
  pass "$count CSRs: $clients client and $servings serving approved by the approver and issued, the extra node's serving CSR pending"
else
  fail "CSRs not as expected (node csr kind decision issued):"
  cat "$E2E_TMP/csrs" >&2
fi

# --- the host is as we found it ---------------------------------------------------------------
delete_pods
for n in "${all[@]}"; do kubelet_ctl delete "$n" >/dev/null 2>&1; done
host_state >"$E2E_TMP/host.after"
if diff "$E2E_TMP/host.before" "$E2E_TMP/host.after" >"$E2E_TMP/host.diff"; then
  pass "host sysctls and /proc/mounts unchanged after the kubelets stopped"
else
  fail "host changed: $(cat "$E2E_TMP/host.diff")"
fi
if [[ -f "$E2E_TMP/cwd/canary" ]]; then pass "nothing deleted in the directory the kubelets were started from"; else
  fail "a kubelet deleted files in the directory it was started from"
fi
finish

#!/usr/bin/env bash
# e2e (slow, ~10 min; label "slow", left out of `make test`): real kubelets rotate their
# client and serving certificates by themselves, through the approver, with no manual
# approval and no gap in `kubectl logs`.
#
# Runs its own control plane (test/cluster/up --signing-duration 5m: kube-controller-manager
# issues 5-minute certificates, which a kubelet renews after 70-90% of their life), the
# approver as deploy/ runs it with a static inventory, and 3 kubelets (bootstrap token,
# node-bootstrapper ServiceAccount, bootstrap token). While they run, `kubectl logs` of a
# pod bound to each node is asked every second; every answer must come from the kubelet
# (TLS verified by the API server). Passes when each kubelet has had its client and serving
# certificates issued at least 3 times (the first + 2 rotations), every CSR of these nodes
# was approved by us and issued, and no logs request failed.
#
#   NCA_BIN=build/cmd/node-csr-approver/node-csr-approver test/e2e/real_kubelets_rotation.sh
#   ctest --test-dir build -L slow --output-on-failure        (the same, through ctest)
# NCA_ROTATIONS (default 2) and NCA_SIGNING_DURATION (default 5m) change the bar.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rotations="${NCA_ROTATIONS:-2}"
duration="${NCA_SIGNING_DURATION:-5m}"

own="$(mktemp -d "${TMPDIR:-/tmp}/nca-rotation.XXXXXX")"
if ! "$root/test/cluster/up" --dir "$own" --signing-duration "$duration" >"$own.up.log" 2>&1; then
  cat "$own.up.log" >&2
  rm -f "$own.up.log"
  exit 1
fi
rm -f "$own.up.log"
export NCA_CLUSTER_DIR="$own"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=deployment_lib.sh
source "$here/deployment_lib.sh"
# shellcheck source=lib/kubelets.sh
source "$here/lib/kubelets.sh"

nodes=(rot-0 rot-1 rot-2)
boots=(token serviceaccount token)
probe_pid=""
cleanup() {
  [[ -z "$probe_pid" ]] || { kill "$probe_pid" 2>/dev/null; wait "$probe_pid" 2>/dev/null || true; }
  stop_approver >/dev/null 2>&1 || true
  "$root/test/cluster/down" --dir "$own" >/dev/null 2>&1 || true
  # lib.sh's cleanup where it has one (prints the approver's log after a failure).
  e2e_tmp_cleanup
}
trap 'e2e_rc=$?; cleanup' EXIT
kubectl apply -f "$root/deploy/" >/dev/null

{
  echo "machines:"
  for i in "${!nodes[@]}"; do inventory_entry "${nodes[$i]}" "198.51.100.$((30 + i))"; done
} >"$E2E_TMP/inventory.yaml"
set_static_inventory node-csr-approver-config "$E2E_TMP/inventory.yaml"
start_approver_as_deployment "$E2E_TMP/approver.log"
if wait_for 60 approver_ready && wait_for 30 lease_held; then pass "approver ready and leading"; else
  fail "approver not ready"
  tail -20 "$E2E_TMP/approver.log" >&2
  finish
fi
start=$SECONDS
for i in "${!nodes[@]}"; do
  kubelet_ctl start "${nodes[$i]}" --bootstrap "${boots[$i]}" --address "198.51.100.$((30 + i))"
done
for n in "${nodes[@]}"; do
  if wait_for 120 test -e "$(kubelet_dir "$n")/pki/kubelet-server-current.pem"; then
    pass "$n: first serving certificate after $((SECONDS - start)) s"
  else
    fail "$n: no serving certificate"
    finish
  fi
  bound_pod "logs-$n" "$n"
done
for n in "${nodes[@]}"; do
  kubectl wait --for=condition=Ready "pod/logs-$n" --timeout=60s >/dev/null || { fail "pod logs-$n not Running"; finish; }
done

# The logs probe: one request per node per second until stopped, one line per answer.
(
  while true; do
    for n in "${nodes[@]}"; do
      out="$(kubectl logs "logs-$n" --request-timeout=5s 2>&1 || true)"
      if kubelet_answered "$out"; then echo "$(date -u +%T) $n ok"; else echo "$(date -u +%T) $n FAIL $out"; fi
    done
    sleep 1
  done
) >"$E2E_TMP/probe.log" 2>&1 &
probe_pid=$!

# issued NODE KIND: how many certificates of KIND were issued to NODE (approved by us).
issued() { awk -v n="$1" -v k="$2" '$1 == n && $3 == k && $4 == "approved-by-us" && $5 == "issued"' "$E2E_TMP/csrs" | wc -l; }
rotated_enough() {
  local n
  csr_table "${nodes[@]}" >"$E2E_TMP/csrs"
  for n in "${nodes[@]}"; do
    (($(issued "$n" client) > rotations && $(issued "$n" serving) > rotations)) || return 1
  done
}
# 5-minute certificates renewed at 70-90% of their life: 2 rotations take ~8 min.
if wait_for 900 rotated_enough; then
  pass "every kubelet rotated its client and serving certificates $rotations times ($((SECONDS - start)) s)"
else
  fail "not every kubelet rotated $rotations times within 15 min"
fi
kill "$probe_pid" 2>/dev/null
wait "$probe_pid" 2>/dev/null || true
probe_pid=""
csr_table "${nodes[@]}" >"$E2E_TMP/csrs"
for n in "${nodes[@]}"; do
  echo "     $n: $(issued "$n" client) client and $(issued "$n" serving) serving certificates issued"
done
bad="$(awk '$4 != "approved-by-us" || $5 != "issued"' "$E2E_TMP/csrs")"
if [[ -z "$bad" ]]; then pass "every CSR of these nodes approved by the approver and issued ($(wc -l <"$E2E_TMP/csrs"))"; else
  fail "CSRs not approved by us or not issued:"
  echo "$bad" >&2
fi
asked="$(wc -l <"$E2E_TMP/probe.log")"
gaps="$(grep -c ' FAIL ' "$E2E_TMP/probe.log" || true)"
if ((asked > 0 && gaps == 0)); then pass "kubectl logs answered by the kubelet $asked times, never failed"; else
  fail "kubectl logs failed $gaps of $asked times:"
  grep ' FAIL ' "$E2E_TMP/probe.log" | head -10 >&2
fi
for n in "${nodes[@]}"; do kubectl delete pod "logs-$n" --grace-period=0 --force >/dev/null 2>&1 || true; done
finish

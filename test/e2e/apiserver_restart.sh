#!/usr/bin/env bash
# e2e: kube-apiserver restarts in the middle of a burst of 200 legitimate serving CSRs
# (filed as each node, retried by the client while the API server is down, like a
# kubelet would). The approver survives (same process, healthy, ready), its watches
# restart (watch_restarts_total grows), and every CSR ends approved exactly once and
# issued. Prints the outage and the recovery time (API server ready → all issued).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/burst_lib.sh"
trap 'e2e_rc=$?; stop_all_approvers; burst_cleanup ar || true; e2e_tmp_cleanup' EXIT

n=200
now_ms() { echo $(($(date +%s%N) / 1000000)); }
lines_at_least() { [[ -f "$1" && "$(wc -l <"$1")" -ge "$2" ]]; }
leads() { [[ "$(metric_value r 'node_csr_approver_is_leader$')" == 1 ]]; }
approved_at_least() { [[ "$(burst_status ar)" =~ approved=([0-9]+) ]] && ((BASH_REMATCH[1] >= $1)); }

burst_setup ar "$n"
start_approver r --config-map "$(burst_config_map ar)"
# A replica of an earlier test may have died holding the Lease: up to 15 s + retry.
wait_for 30 leads && pass "approver leads" || fail "approver did not become leader"
pid="$(cat "$E2E_TMP/r.pid")"
restarts_before="$(metric_value r node_csr_approver_watch_restarts_total)"

burst_create ar 1 "$n" >"$E2E_TMP/burst.txt" 2>"$E2E_TMP/burst.err" &
creator=$!
wait_for 30 lines_at_least "$E2E_TMP/burst.txt" 40 || fail "burst did not start"
t_stop="$(now_ms)"
"$e2e_root/test/cluster/component" restart kube-apiserver --dir "$NCA_CLUSTER_DIR"
t_ready="$(now_ms)"
pass "kube-apiserver restarted mid-burst ($(wc -l <"$E2E_TMP/burst.txt") of $n CSRs filed before it was back), ready after $((t_ready - t_stop)) ms"
if wait "$creator"; then
  t_filed="$(now_ms)"
  pass "all $n CSRs filed (the client retried through the outage) $((t_filed - t_ready)) ms after the API server was ready"
else
  fail "filing the burst failed: $(tail -3 "$E2E_TMP/burst.err")"
fi
wait_for 120 approved_at_least "$n" && t_approved="$(now_ms)"
if wait_for 120 burst_all_issued ar "$n"; then
  t_done="$(now_ms)"
  pass "all $n CSRs approved once and issued $((t_done - t_ready)) ms after the API server was ready"
else
  fail "after the restart: $(burst_status ar)"
fi

if kill -0 "$pid" 2>/dev/null && [[ "$(cat "$E2E_TMP/r.pid")" == "$pid" ]]; then
  pass "the approver process survived (pid $pid)"
else
  fail "the approver died; its log:"
  tail -20 "$E2E_TMP/r.log" >&2
fi
health="$(cat "$E2E_TMP/r.health")"
curl -fsS "http://127.0.0.1:$health/healthz" >/dev/null && curl -fsS "http://127.0.0.1:$health/readyz" >/dev/null &&
  pass "approver healthy and ready" || fail "approver not healthy/ready after the restart"
# The counter is published by the daemon's 1 s housekeeping loop.
restarts_grew() { (($(metric_value r node_csr_approver_watch_restarts_total) > restarts_before)); }
if wait_for 5 restarts_grew; then
  pass "watch_restarts_total grew: $restarts_before -> $(metric_value r node_csr_approver_watch_restarts_total)"
else
  fail "watch_restarts_total did not grow ($restarts_before)"
fi
leads && pass "approver leads again after the restart" || fail "approver lost the lead"
echo "     outage (restart until /readyz): $((t_ready - t_stop)) ms; after the API server was ready:" \
  "last CSR filed $((${t_filed:-0} - t_ready)) ms, all approved $((${t_approved:-0} - t_ready)) ms, all issued $((${t_done:-0} - t_ready)) ms"
[[ -z "${NCA_E2E_KEEP_LOGS:-}" ]] || cp "$E2E_TMP"/*.log "$NCA_E2E_KEEP_LOGS"/

stop_approver r TERM # releases the Lease for whoever runs next
finish

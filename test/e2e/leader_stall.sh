#!/usr/bin/env bash
# e2e (issue 9 item 6): a leader whose connections to the API server stall stops leading
# before the follower can take over. Replica a reaches the API server only through the
# loopback fault proxy (test/tools/fault_proxy.py), b directly. With a leading, the proxy
# is paused (a's renewals hang, nothing is answered or refused): a must stop leading within
# its renew deadline (10 s after its last successful renewal started), and b must take over
# only after that (the lease is 15 s from when b saw it change). Prints both times.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/burst_lib.sh"
ctl="$E2E_TMP/proxy"
mkdir -p "$ctl"
python3 "$NCA_SOURCE_DIR/test/tools/fault_proxy.py" --upstream "127.0.0.1:$NCA_APISERVER_PORT" \
  --control "$ctl" &
proxy_pid=$!
trap 'stop_all_approvers; burst_cleanup ls || true; kill "$proxy_pid" 2>/dev/null; wait "$proxy_pid" 2>/dev/null; rm -rf "$E2E_TMP"' EXIT

ns=node-csr-approver
lease_holder() { kubectl -n "$ns" get lease node-csr-approver -o jsonpath='{.spec.holderIdentity}'; }
leader_metric() { metric_value "$1" 'node_csr_approver_is_leader$'; }
set_mode() {
  echo "$1" >"$ctl/mode.tmp" && mv "$ctl/mode.tmp" "$ctl/mode"
  wait_for 10 grep -qx "$1" "$ctl/applied" || fail "the proxy did not apply mode $1"
}
wait_for 10 test -f "$ctl/port" || fail "the fault proxy did not start"
direct_kc="$(approver_kubeconfig)"
sed "s#https://127.0.0.1:$NCA_APISERVER_PORT#https://127.0.0.1:$(cat "$ctl/port")#" "$direct_kc" \
  >"$E2E_TMP/proxied.kubeconfig"

burst_setup ls 40
cm="$(burst_config_map ls)"

# a, through the proxy, leads (a replica of an earlier test may hold the Lease: free it).
kubectl -n "$ns" delete lease node-csr-approver --ignore-not-found >/dev/null
approver_kubeconfig() { echo "$E2E_TMP/proxied.kubeconfig"; }
start_approver a --config-map "$cm" || fail "a did not start"
# A function, so that the holder is read at every poll (not once, before the Lease exists).
holder_is() { [[ "$(lease_holder 2>/dev/null)" == "$1" ]]; }
wait_for 30 holder_is a && pass "replica a (through the fault proxy) leads" ||
  fail "a did not lead: holder '$(lease_holder)'"
approver_kubeconfig() { echo "$direct_kc"; }
start_approver b --config-map "$cm" || fail "b did not start"
[[ "$(leader_metric a)" == 1 && "$(leader_metric b)" == 0 ]] && pass "b follows" ||
  fail "leaders: a=$(leader_metric a) b=$(leader_metric b)"

# A burst of CSRs is being filed when a's connections stall: some of a's approval writes
# are caught in the proxy. Watch both is_leader gauges (a's metrics are local, not proxied).
burst_create ls 1 40 >"$E2E_TMP/burst.txt" &
creator=$!
wait_for 30 test -s "$E2E_TMP/burst.txt" || fail "the burst did not start"
set_mode pause
t0="$(date +%s%N)"
a_off="" b_on="" overlap=0
while :; do
  ms=$((($(date +%s%N) - t0) / 1000000))
  a_now="$(leader_metric a)" b_now="$(leader_metric b)"
  [[ -z "$a_off" && "$a_now" == 0 ]] && a_off=$ms
  [[ -z "$b_on" && "$b_now" == 1 ]] && b_on=$ms
  [[ "$a_now" == 1 && "$b_now" == 1 ]] && overlap=1
  [[ -n "$a_off" && -n "$b_on" ]] && break
  ((ms < 40000)) || break
  sleep 0.05
done
echo "     after stalling a's connections: a stopped leading at ${a_off:-never} ms, b took over at ${b_on:-never} ms"
[[ -n "$a_off" ]] && ((a_off <= 11000)) && pass "a stopped leading within its renew deadline (${a_off} ms)" ||
  fail "a did not stop leading within 11 s (${a_off:-never} ms)"
[[ -n "$b_on" ]] && pass "b took over (${b_on} ms)" || fail "b did not take over within 40 s"
((overlap == 0)) && [[ -n "$a_off" && -n "$b_on" ]] && ((a_off < b_on)) &&
  pass "never two leaders: a stopped $((b_on - a_off)) ms before b started" ||
  fail "a and b led at the same time (a off ${a_off:-never} ms, b on ${b_on:-never} ms)"
grep -q '"failed to renew the leader lease within the deadline"' "$E2E_TMP/a.log" &&
  pass "a logged that it could not renew within the deadline" || fail "no renew-deadline log from a"
[[ "$(lease_holder)" == b ]] && pass "Lease holder is b" || fail "Lease holder '$(lease_holder)'"

# a's held bytes (renewals, approvals) now reach the API server late: every CSR must still
# be approved exactly once (a stale write from a meets a conflict) and issued.
set_mode pass
wait "$creator" || fail "filing the burst failed"
if wait_for 60 burst_all_issued ls 40; then
  pass "all 40 CSRs approved exactly once and issued after the stall"
else
  fail "after the stall: $(burst_status ls)"
fi
stop_approver a TERM
stop_approver b TERM # releases the Lease for whoever runs next
finish

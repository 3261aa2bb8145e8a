#!/usr/bin/env bash
# e2e: two replicas with leader election. Exactly one leads (is_leader metric and the
# Lease agree). The leader is SIGKILLed in the middle of a burst of 60 legitimate serving
# CSRs (the Lease is not released): the follower takes over once the lease expires and
# every CSR ends approved exactly once and issued. Then the new leader gets SIGTERM in the
# middle of a second burst of 30: it releases the Lease, exits cleanly, and the restarted
# other replica takes over within a retry period. Prints both takeover times.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/burst_lib.sh"
trap 'e2e_rc=$?; stop_all_approvers; burst_cleanup lf || true; e2e_tmp_cleanup' EXIT

ns=node-csr-approver
lease_holder() { kubectl -n "$ns" get lease node-csr-approver -o jsonpath='{.spec.holderIdentity}'; }
is_leader() { [[ "$(metric_value "$1" 'node_csr_approver_is_leader$')" == 1 ]]; }
leads() { is_leader "$1" && [[ "$(lease_holder)" == "$1" ]]; }
approvals() { metric_value "$1" 'node_csr_approver_decisions_total\{.*outcome="approve"'; }
lines_at_least() { [[ -f "$1" && "$(wc -l <"$1")" -ge "$2" ]]; }
# takeover_ms NAME: polls NAME's is_leader every 50 ms; prints the milliseconds until it is
# 1 (at most 40 s), or fails.
takeover_ms() {
  local start now
  start="$(date +%s%N)"
  while ! is_leader "$1"; do
    now="$(date +%s%N)"
    (((now - start) / 1000000 < 40000)) || return 1
    sleep 0.05
  done
  echo $((($(date +%s%N) - start) / 1000000))
}

burst_setup lf 90
cm="$(burst_config_map lf)"

# --- one leader -------------------------------------------------------------------------
start_approver a --config-map "$cm"
# A replica of an earlier test may have died holding the Lease: up to 15 s + retry.
wait_for 30 leads a && pass "replica a acquired the Lease" || fail "replica a did not lead: holder '$(lease_holder)'"
start_approver b --config-map "$cm"
sleep 5 # b's first attempts to acquire (every 2-4.4 s) must all fail
if leads a && ! is_leader b; then
  pass "exactly one leader: a (is_leader a=1 b=0, Lease holder a)"
else
  fail "leaders: a=$(metric_value a node_csr_approver_is_leader) b=$(metric_value b node_csr_approver_is_leader) Lease=$(lease_holder)"
fi

# --- SIGKILL the leader mid-burst -------------------------------------------------------
burst_create lf 1 60 >"$E2E_TMP/burst1.txt" &
creator=$!
wait_for 30 lines_at_least "$E2E_TMP/burst1.txt" 20 || fail "burst did not start"
a_approved="$(approvals a)"
stop_approver a KILL
if kill_ms="$(takeover_ms b)"; then
  pass "after SIGKILL of the leader, b took over in ${kill_ms} ms (lease 15 s + retry)"
  ((kill_ms <= 25000)) || fail "takeover after SIGKILL took ${kill_ms} ms, more than 25 s"
else
  fail "b did not take over within 40 s of the SIGKILL"
fi
wait "$creator" || fail "creating the first burst failed"
[[ "$(lease_holder)" == b ]] && pass "Lease holder is now b" || fail "Lease holder '$(lease_holder)'"
if wait_for 60 burst_all_issued lf 60; then
  pass "all 60 CSRs of the first burst approved once and issued"
else
  fail "first burst: $(burst_status lf)"
fi
b_approved="$(approvals b)"
echo "     approvals: a ≥ $a_approved before the kill, b $b_approved after taking over"
((b_approved > 0)) && pass "the new leader approved the rest of the burst" || fail "b approved nothing"

# --- SIGTERM the leader mid-burst: it releases the Lease --------------------------------
start_approver a --config-map "$cm"
sleep 3
leads b && ! is_leader a && pass "restarted a follows b" || fail "after restarting a: Lease=$(lease_holder)"
burst_create lf 61 90 >"$E2E_TMP/burst2.txt" &
creator=$!
wait_for 30 lines_at_least "$E2E_TMP/burst2.txt" 10 || fail "second burst did not start"
b_pid="$(cat "$E2E_TMP/b.pid")"
kill -TERM "$b_pid"
if term_ms="$(takeover_ms a)"; then
  pass "after SIGTERM of the leader, a took over in ${term_ms} ms"
  ((term_ms <= 6000)) || fail "takeover after SIGTERM took ${term_ms} ms: was the Lease released?"
else
  fail "a did not take over within 40 s of the SIGTERM"
fi
if wait "$b_pid"; then pass "b exited 0 after SIGTERM"; else fail "b exited with status $?"; fi
rm -f "$E2E_TMP/b.pid"
grep -q '"stopped cleanly"' "$E2E_TMP/b.log" && pass "b logged a clean stop" || fail "b's log has no clean stop"
wait "$creator" || fail "creating the second burst failed"
if wait_for 60 burst_all_issued lf 90; then
  pass "all 90 CSRs approved once and issued"
else
  fail "after the second burst: $(burst_status lf)"
fi
echo "     takeover after SIGKILL: ${kill_ms:-?} ms; after SIGTERM: ${term_ms:-?} ms"

stop_approver a TERM # releases the Lease for whoever runs next
finish

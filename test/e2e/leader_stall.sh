#!/usr/bin/env bash
# e2e (issue 9 item 6): exactly one writer, proven with a fault rather than a kill.
# Replica a reaches the API server only through the loopback fault proxy
# (test/tools/fault_proxy.py), b directly. a is slowed (8 workers, 5 requests/s) so that it
# is in the middle of approving a burst of 40 CSRs when the proxy is paused: its renewals
# and its approval reads and writes in flight hang (bytes held, nothing answered).
#  - a stops leading within its renew deadline; b takes over only after that; never both.
#  - b reads its inventory from its own ConfigMap, which meanwhile lists only the even
#    machines (as if the odd ones had been removed while a could not see it): b approves
#    the even CSRs only.
#  - the proxy lets a's held bytes through only after a's lease has expired. An approval
#    PUT that a had already sent lands now: on a CSR b approved it meets a 409 (it carries
#    the resourceVersion a read), on an odd one it is applied — decided while a led. What
#    a must never do is decide after its leadership deadline: every approval naming a as
#    its writer has a lastUpdateTime (a's clock when it built the PUT) before a's lease
#    expired. Without the write deadline this fails: the reads a had in flight come back
#    and a writes odd CSRs that b left pending.
#  - with b's inventory complete again, every CSR is approved exactly once and issued, and
#    each approval names the replica that held the Lease when it was decided.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/burst_lib.sh"
ctl="$E2E_TMP/proxy"
mkdir -p "$ctl"
python3 "$NCA_SOURCE_DIR/test/tools/fault_proxy.py" --upstream "127.0.0.1:$NCA_APISERVER_PORT" \
  --control "$ctl" &
proxy_pid=$!
lease_watch_pid=""
cleanup() {
  e2e_rc=$?
  stop_all_approvers
  if [[ -n "$lease_watch_pid" ]]; then
    kill "$lease_watch_pid" 2>/dev/null || true
    wait "$lease_watch_pid" 2>/dev/null || true
  fi
  burst_cleanup ls || true
  kubectl -n node-csr-approver delete configmap nca-burst-ls-b --ignore-not-found >/dev/null || true
  kill "$proxy_pid" 2>/dev/null
  wait "$proxy_pid" 2>/dev/null
  e2e_tmp_cleanup
}
trap cleanup EXIT

ns=node-csr-approver
lease_holder() { kubectl -n "$ns" get lease node-csr-approver -o jsonpath='{.spec.holderIdentity}'; }
# The Lease is created only after /readyz answers, so wait for it: re-read on every try.
holds_lease() { [[ "$(lease_holder 2>/dev/null)" == "$1" ]]; }
leader_metric() { metric_value "$1" 'node_csr_approver_is_leader$'; }
approved_by() { metric_value "$1" 'node_csr_approver_decisions_total\{.*outcome="approve"'; }
reloads() { metric_value "$1" 'node_csr_approver_config_reloads_total\{result="success"'; }
set_mode() {
  echo "$1" >"$ctl/mode.tmp" && mv "$ctl/mode.tmp" "$ctl/mode"
  wait_for 10 grep -qx "$1" "$ctl/applied" || fail "the proxy did not apply mode $1"
}
# b_inventory FILE: b's ConfigMap with FILE as its inventory.
b_inventory() {
  kubectl -n "$ns" create configmap nca-burst-ls-b --from-file=inventory.yaml="$1" \
    --from-file=config.yaml="$E2E_TMP/ls/config.yaml" --dry-run=client -o yaml |
    kubectl apply -f - >/dev/null
}
# now_after T: the wall clock is past Unix time T (seconds, fractional).
now_after() { python3 -c 'import sys, time; sys.exit(time.time() <= float(sys.argv[1]))' "$1"; }
wait_for 10 test -f "$ctl/port" || fail "the fault proxy did not start"
direct_kc="$(approver_kubeconfig)"
sed "s#https://127.0.0.1:$NCA_APISERVER_PORT#https://127.0.0.1:$(cat "$ctl/port")#" "$direct_kc" \
  >"$E2E_TMP/proxied.kubeconfig"

burst_setup ls 40
grep -E '^machines:|name: ls-[0-9]*[02468],' "$E2E_TMP/ls/inventory.yaml" >"$E2E_TMP/even.yaml"
b_inventory "$E2E_TMP/ls/inventory.yaml"

# a, through the proxy, leads (a replica of an earlier test may hold the Lease: free it).
kubectl -n "$ns" delete lease node-csr-approver --ignore-not-found >/dev/null
approver_kubeconfig() { echo "$E2E_TMP/proxied.kubeconfig"; }
start_approver a --config-map "$(burst_config_map ls)" --workers 8 --kube-api-qps 5 \
  --kube-api-burst 1 || fail "a did not start"
wait_for 30 holds_lease a && pass "replica a (through the fault proxy) leads" ||
  fail "a did not lead: holder '$(lease_holder)'"
approver_kubeconfig() { echo "$direct_kc"; }
start_approver b --config-map "$ns/nca-burst-ls-b" || fail "b did not start"
[[ "$(leader_metric a)" == 1 && "$(leader_metric b)" == 0 ]] && pass "b follows" ||
  fail "leaders: a=$(leader_metric a) b=$(leader_metric b)"
# Every change of the Lease, as "holder renewTime" lines. The binary itself, not the
# kubectl function, so that $! is its pid (a function would run in a subshell whose
# kubectl child outlives the kill and holds ctest's output pipe open).
"$KUBECTL" -n "$ns" get lease node-csr-approver -w \
  -o jsonpath='{.spec.holderIdentity} {.spec.renewTime}{"\n"}' >"$E2E_TMP/lease.txt" \
  2>"$E2E_TMP/lease-watch.log" &
lease_watch_pid=$!

# The burst is filed; once a has started approving it, a's connections stall with most of
# it still to do (a writes at most 5 requests/s).
burst_create ls 1 40 >"$E2E_TMP/burst.txt" &
creator=$!
a_started() { (($(approved_by a) >= 1)) && (($(wc -l <"$E2E_TMP/burst.txt") >= 40)); }
wait_for 60 a_started || fail "a did not start approving the burst: $(burst_status ls)"
set_mode pause
t0="$(date +%s%N)"
wait "$creator" || fail "filing the burst failed"
echo "     a had approved $(approved_by a) of 40 when its connections stalled"
# What b sees from now on: the odd machines are gone.
b_reloads="$(reloads b)"
b_inventory "$E2E_TMP/even.yaml"
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
(($(reloads b) > b_reloads)) && pass "b applied its reduced inventory" ||
  fail "b did not apply its reduced inventory"

# a's lease ended 15 s after its last renewal reached the API server; b's began at its
# acquisition (the Lease watch saw both).
read -r a_end b_from < <(python3 - "$E2E_TMP/lease.txt" <<'PY'
import datetime, sys
def unix(t): return datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
a_last = b_first = None
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) != 2: continue
    if f[0] == "a": a_last = unix(f[1])
    if f[0] == "b" and b_first is None: b_first = unix(f[1])
print("%.6f %.6f" % (a_last + 15 if a_last else 0, b_first or 0))
PY
)
awk -v a="$a_end" -v b="$b_from" 'BEGIN { exit !(a > 0 && b >= a) }' &&
  pass "the Lease shows a's term ending ($a_end) before b's began ($b_from)" ||
  fail "Lease timeline: a's term ends $a_end, b's begins $b_from ($(tr '\n' ';' <"$E2E_TMP/lease.txt"))"
even_done() {
  [[ "$(csr_tool approvals ls | awk '$1 ~ /[02468]$/ && $2 == 1' | wc -l)" == 20 ]]
}
wait_for 30 even_done && pass "b approved the even CSRs that were left" ||
  fail "even CSRs not all approved: $(csr_tool approvals ls | tr '\n' ';')"

# Let a's held bytes through only once its lease has expired (and a second more: the
# decision times have whole seconds), then stop a: its workers finish what they were doing.
wait_for 30 now_after "$(awk -v a="$a_end" 'BEGIN { printf "%.6f", a + 1.5 }')" ||
  fail "the clock did not pass a's lease end"
csr_tool approvals ls >"$E2E_TMP/before_release.txt"
set_mode pass
stop_approver a TERM
csr_tool approvals ls >"$E2E_TMP/after_a.txt"
# Every approval that names a was decided while a led; some may have landed later (PATCHes
# sent before the stall, held by the proxy until now).
late_decided="$(awk -v end="$a_end" '$3 == "a" && $4 + 0 >= end' "$E2E_TMP/after_a.txt")"
[[ -z "$late_decided" ]] && pass "no approval decided by a after its lease ended" ||
  fail "a decided after its lease ended ($a_end): $(echo "$late_decided" | tr '\n' ';')"
landed_late="$(awk 'NR == FNR { if ($2 == 0) pending[$1] = 1; next } $3 == "a" && pending[$1]' \
  "$E2E_TMP/before_release.txt" "$E2E_TMP/after_a.txt" | wc -l)"
echo "     approvals by a: $(awk '$3 == "a"' "$E2E_TMP/after_a.txt" | wc -l), of which" \
  "$landed_late reached the API server only after the stall ended (PUTs it had sent)"

# b's inventory is complete again: b approves the rest.
b_inventory "$E2E_TMP/ls/inventory.yaml"
if wait_for 60 burst_all_issued ls 40; then
  pass "all 40 CSRs approved exactly once and issued"
else
  fail "after the stall: $(burst_status ls)"
fi
csr_tool approvals ls >"$E2E_TMP/final.txt"
bad="$(awk -v end="$a_end" -v from="$b_from" '
  !($2 == 1 && (($3 == "a" && $4 + 0 < end) || ($3 == "b" && $4 + 0 >= int(from)))) { print }
' "$E2E_TMP/final.txt")"
[[ -z "$bad" ]] &&
  pass "each CSR has one approval, decided by the Lease holder of the time (a: $(grep -c ' a ' "$E2E_TMP/final.txt"), b: $(grep -c ' b ' "$E2E_TMP/final.txt"))" ||
  fail "approvals not by the Lease holder of the time: $(echo "$bad" | tr '\n' ';')"
stop_approver b TERM # releases the Lease for whoever runs next
finish

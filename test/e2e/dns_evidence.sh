#!/usr/bin/env bash
# e2e: DNS as evidence (serving.resolveDNS) against a real DNS server: Debian's dnsmasq on
# 127.0.0.1 with a hosts file, authoritative for e2e.test (names it does not list are
# NXDOMAIN), started and stopped by this test by pid. No inventory source: the Nodes'
# addresses count (trustNodeAddresses auto), so a DNS name counts when its answer is the
# node's own address. One node, dns-node (10.9.2.20), files serving CSRs as itself:
#   - DNS:dns-node.e2e.test (-> 10.9.2.20, in no inventory) approved: DNS vouched for it;
#   - a name resolving to another Node's address: SanDnsResolvesElsewhere;
#   - a name DNS does not know (NXDOMAIN): SanDnsDoesNotResolve;
#   - with the server stopped (SIGSTOP: it answers nothing): DnsLookupTransient, pending and
#     no condition; once it answers again (SIGCONT) the CSR is approved with no other change.
# And the DNS metrics count found, not_found and transient lookups.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=lib/approver.sh
source "$here/lib/approver.sh"
cd "$E2E_TMP"

node=dns-node
other=dns-other
run="$(date +%s)-$$"
dnsmasq_pid=""
cleanup() {
  if [[ -n "$dnsmasq_pid" ]]; then
    kill -CONT "$dnsmasq_pid" 2>/dev/null || true
    kill "$dnsmasq_pid" 2>/dev/null || true
    wait "$dnsmasq_pid" 2>/dev/null || true
  fi
  stop_approver dns >/dev/null 2>&1 || true
  kubectl delete csr -l nca-e2e=dns --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete node "$node" "$other" --ignore-not-found >/dev/null 2>&1 || true
  kubectl -n node-csr-approver delete configmap nca-e2e-dns --ignore-not-found >/dev/null 2>&1 || true
  e2e_tmp_cleanup
}
trap 'e2e_rc=$?; cleanup' EXIT

# --- the DNS server ------------------------------------------------------------------------
dnsmasq_bin="$(command -v dnsmasq || echo /usr/sbin/dnsmasq)"
[[ -x "$dnsmasq_bin" ]] || { fail "dnsmasq not installed (scripts/install-deps.sh installs dnsmasq-base)"; finish; }
port="$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat >hosts <<HOSTS
10.9.2.20 dns-node.e2e.test dns-late.e2e.test
10.9.2.99 dns-other.e2e.test
HOSTS
"$dnsmasq_bin" --keep-in-foreground --no-daemon --conf-file=/dev/null --no-resolv --no-hosts \
  --addn-hosts="$E2E_TMP/hosts" --local=/e2e.test/ --listen-address=127.0.0.1 --bind-interfaces \
  --port="$port" --user="$(id -un)" --pid-file= --log-facility=- >dnsmasq.log 2>&1 &
dnsmasq_pid=$!
answers() { python3 - "$port" <<'PY'
import socket, struct, sys
q = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + b"".join(
    bytes([len(l)]) + l.encode() for l in "dns-node.e2e.test".split(".")) + b"\x00\x00\x01\x00\x01"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
s.sendto(q, ("127.0.0.1", int(sys.argv[1])))
r = s.recv(512)
sys.exit(0 if struct.unpack(">H", r[6:8])[0] == 1 else 1)
PY
}
wait_for 10 answers && pass "dnsmasq (pid $dnsmasq_pid) answers on 127.0.0.1:$port" ||
  { fail "dnsmasq does not answer: $(tail -3 dnsmasq.log)"; finish; }

# --- the nodes -------------------------------------------------------------------------------
kubectl apply -f "$e2e_root/deploy/" >/dev/null
node_kc="$(identity node "$node")"
for n in "$node" "$other"; do
  kubectl create -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata: {name: $n, labels: {nca-e2e: dns}}
YAML
done
set_addresses() {
  kubectl patch node "$1" --subresource=status --type=merge \
    -p '{"status":{"addresses":[{"type":"InternalIP","address":"'"$2"'"},{"type":"Hostname","address":"'"$1"'"}]}}' >/dev/null
}
set_addresses "$node" 10.9.2.20
set_addresses "$other" 10.9.2.99

cat >config.yaml <<YAML
serving:
  resolveDNS: true
  dns:
    servers: ["127.0.0.1:$port"]
    timeout: 1s
    attempts: 1
YAML
kubectl -n node-csr-approver create configmap nca-e2e-dns --from-file=config.yaml \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
fresh_approver dns --config-map node-csr-approver/nca-e2e-dns

# file NAME SANS: a serving CSR from the node, labelled for cleanup.
file() {
  make_csr_pem "$1.key" "/O=system:nodes/CN=system:node:$node" "$2" >"$1.csr"
  csr_manifest "dns-$1-$run" kubernetes.io/kubelet-serving '"digital signature", "server auth"' "$1.csr" |
    sed "s/^metadata:/metadata:\n  labels: {nca-e2e: dns}/" |
    kubectl --kubeconfig "$node_kc" create -f - >/dev/null
}
approved() { [[ "$(kubectl get csr "dns-$1-$run" -o jsonpath='{.status.conditions[?(@.type=="Approved")].status}')" == True ]]; }
reason_of() { csr_events | awk -v n="dns-$1-$run" '$1 == n && $2 == "Pending" { print $3 }' | sort -u | xargs; }
has_reason() { [[ " $(reason_of "$1") " == *" $2 "* ]]; }

file proven "DNS:dns-node.e2e.test,IP:10.9.2.20"
wait_for 30 approved proven && pass "dns-proven-$run (dns-node.e2e.test -> 10.9.2.20, in no inventory) approved: DNS vouched" ||
  fail "dns-proven-$run not approved (events: $(reason_of proven))"

file elsewhere "DNS:dns-other.e2e.test,IP:10.9.2.20"
file gone "DNS:dns-gone.e2e.test,IP:10.9.2.20"
wait_for 30 has_reason elsewhere SanDnsResolvesElsewhere && pass "a name resolving to $other's address: SanDnsResolvesElsewhere" ||
  fail "dns-elsewhere-$run: want SanDnsResolvesElsewhere, got '$(reason_of elsewhere)'"
wait_for 30 has_reason gone SanDnsDoesNotResolve && pass "an NXDOMAIN name: SanDnsDoesNotResolve" ||
  fail "dns-gone-$run: want SanDnsDoesNotResolve, got '$(reason_of gone)'"
msg="$(kubectl get events -n default --field-selector involvedObject.name=dns-elsewhere-$run -o jsonpath='{.items[*].message}')"
[[ "$msg" == *10.9.2.99*"Node $other"* ]] && pass "the Event names the address and whose it is: $msg" ||
  fail "the Event does not name 10.9.2.99 and Node $other: $msg"

# --- a server that does not answer: transient, pending, then approved once it answers ---------
# The newest serving CSR of a node wins, by creationTimestamp (seconds; names break ties):
# file it in a later second than dns-proven, which is approved.
proven_at="$(date -d "$(kubectl get csr "dns-proven-$run" -o jsonpath='{.metadata.creationTimestamp}')" +%s)"
later_second() { (($(date +%s) > proven_at)); }
wait_for 5 later_second || true
kill -STOP "$dnsmasq_pid"
file late "DNS:dns-late.e2e.test,IP:10.9.2.20"
wait_for 30 has_reason late DnsLookupTransient && pass "server silent: dns-late-$run pending with DnsLookupTransient" ||
  fail "dns-late-$run: want DnsLookupTransient, got '$(reason_of late)'"
conds="$(kubectl get csr "dns-late-$run" "dns-elsewhere-$run" "dns-gone-$run" -o jsonpath='{.items[*].status.conditions[*].type}')"
[[ -z "$conds" ]] && pass "no condition on the refused and the waiting CSRs" || fail "conditions written: $conds"
kill -CONT "$dnsmasq_pid"
wait_for 60 approved late && pass "server answers again: dns-late-$run approved (retried with backoff, nothing else changed)" ||
  fail "dns-late-$run not approved after the server came back (events: $(reason_of late))"

expect_metric dns 2 node_csr_approver_decisions_total 'outcome="approve"'
for r in found not_found transient; do
  got="$(metric_sum dns node_csr_approver_dns_lookups_total "result=\"$r\"")"
  ((got >= 1)) && pass "node_csr_approver_dns_lookups_total{result=\"$r\"} = $got" ||
    fail "no $r DNS lookup counted"
done
finish

#!/usr/bin/env bash
# e2e: live attacks. Two machines in a static inventory, atk-node (10.9.0.11) and
# atk-victim (10.9.0.10), both registered as Nodes. CSRs a compromised node, a holder of
# bootstrap credentials or some other user could file, each created as that real identity:
# none may be approved. Each must be evaluated (an Event with the expected reason code)
# and left without any condition; the API server may refuse some at create, which counts
# as refused. CSRs of other signers stay untouched. Then the metrics must match: no
# approval, one pending decision per evaluated attack, the pending gauge back to 0 once
# they are deleted, is_leader 1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=lib/approver.sh
source "$here/lib/approver.sh"
cd "$E2E_TMP"

kubectl delete csr -l nca-e2e=attack --ignore-not-found >/dev/null
ensure_deploy_rbac
created="$(date -u -d '-60 seconds' +%Y-%m-%dT%H:%M:%SZ)"
cat >inventory.yaml <<YAML
machines:
  - {name: atk-node, hostnames: [atk-node], addresses: [10.9.0.11], created: "$created"}
  - {name: atk-victim, hostnames: [atk-victim], addresses: [10.9.0.10], created: "$created"}
YAML
echo '{}' >config.yaml
kubectl -n node-csr-approver create configmap nca-e2e-attacks --from-file=config.yaml \
  --from-file=inventory.yaml --dry-run=client -o yaml | kubectl apply -f - >/dev/null
# Users that are not nodes or bootstrappers, allowed to create CSRs (else the API server
# would stop them before the approver sees anything).
kubectl create clusterrolebinding nca-e2e-attack-csr --clusterrole system:node-bootstrapper \
  --user system:node:atk-fake --user mallory --dry-run=client -o yaml | kubectl apply -f - >/dev/null

node="$(identity node atk-node)"
victim="$(identity node atk-victim)"
boot="$(identity bootstrapper)"
fake="$(identity user system:node:atk-fake some-group)" # CN of a node, not in system:nodes
mallory="$(identity user mallory)"
for n in atk-node atk-victim; do
  kubectl --kubeconfig "$(identity node $n)" create -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata: {name: $n, labels: {nca-e2e: attack}}
YAML
done
ip_of() { [[ $1 == atk-node ]] && echo 10.9.0.11 || echo 10.9.0.10; }
for n in atk-node atk-victim; do
  curl -fsS --cacert "$NCA_CLUSTER_DIR/pki/ca.crt" --cert "$NCA_CLUSTER_DIR/pki/node-$n.crt" \
    --key "$NCA_CLUSTER_DIR/pki/node-$n.key" -X PATCH -H 'Content-Type: application/merge-patch+json' \
    --data "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"$(ip_of $n)\"},{\"type\":\"Hostname\",\"address\":\"$n\"}]}}" \
    "https://127.0.0.1:$NCA_APISERVER_PORT/api/v1/nodes/$n/status" >/dev/null
done

fresh_approver attacks --config-map node-csr-approver/nca-e2e-attacks

# pem NAME KEY SUBJECT [SAN] [EXTRA-EXT]: NAME.csr with a key of type KEY (ec256, ec521, rsa1024).
pem() {
  local name="$1" key="$2" subj="$3" san="${4:-}" ext="${5:-}" args=()
  case "$key" in
    ec256) openssl ecparam -name prime256v1 -genkey -noout -out "$name.key" 2>/dev/null ;;
    ec521) openssl ecparam -name secp521r1 -genkey -noout -out "$name.key" 2>/dev/null ;;
    rsa1024) openssl genrsa -out "$name.key" 1024 2>/dev/null ;;
  esac
  [[ -n "$san" ]] && args+=(-addext "subjectAltName=$san")
  [[ -n "$ext" ]] && args+=(-addext "$ext")
  openssl req -new -key "$name.key" -subj "$subj" "${args[@]}" -out "$name.csr"
}
serving=kubernetes.io/kubelet-serving
client=kubernetes.io/kube-apiserver-client-kubelet
su='"digital signature", "server auth"'
cu='"digital signature", "client auth"'
me=/O=system:nodes/CN=system:node:atk-node

expected=()  # "CSR-NAME REASON"
refused=0
# attack NAME KUBECONFIG SIGNER USAGES REASON [EXPIRATION]: creates atk-NAME from NAME.csr.
attack() {
  local name="atk-$1" kc="$2" signer="$3" usages="$4" reason="$5" exp="${6:-}" out
  {
    csr_manifest "$name" "$signer" "$usages" "$1.csr" |
      sed "s/^metadata:/metadata:\n  labels: {nca-e2e: attack}/"
    [[ -n "$exp" ]] && echo "  expirationSeconds: $exp"
  } >"$1.yaml"
  if out="$(kubectl --kubeconfig "$kc" create -f "$1.yaml" 2>&1)"; then
    expected+=("$name $reason")
  else
    pass "$name refused by the API server at create: ${out:0:160}"
    refused=$((refused + 1))
  fi
}

# Requests the approver must ignore (not a kubelet requester): created first, so that they
# have been evaluated by the time every later one has an Event.
pem random ec256 /O=system:nodes/CN=system:node:atk-ghost
attack random "$mallory" "$client" "$cu" RequesterNotRecognized
pem other-signer ec256 "$me" "DNS:atk-node,IP:10.9.0.11"
attack other-signer "$node" example.com/foo "$su" SignerNotHandled
pem apiserver-client ec256 /O=system:masters/CN=atk-admin
attack apiserver-client "$KUBECONFIG" kubernetes.io/kube-apiserver-client "$cu" SignerNotHandled

pem other-ip ec256 "$me" "DNS:atk-node,IP:10.9.0.10"
attack other-ip "$node" $serving "$su" SanIpNotInInventory
pem other-dns ec256 "$me" "DNS:atk-victim,IP:10.9.0.11"
attack other-dns "$node" $serving "$su" SanDnsNotInInventory
pem other-cn ec256 /O=system:nodes/CN=system:node:atk-victim "DNS:atk-victim,IP:10.9.0.10"
attack other-cn "$node" $serving "$su" CommonNameMismatch
pem masters ec256 /O=system:masters/CN=system:node:atk-node "DNS:atk-node,IP:10.9.0.11"
attack masters "$node" $serving "$su" OrganizationMismatch
pem email ec256 "$me" "DNS:atk-node,IP:10.9.0.11,email:root@example.com"
attack email "$node" $serving "$su" SanEmailNotAllowed
pem uri ec256 "$me" "DNS:atk-node,IP:10.9.0.11,URI:spiffe://cluster/admin"
attack uri "$node" $serving "$su" SanUriNotAllowed
pem client-on-serving ec256 "$me" "DNS:atk-node,IP:10.9.0.11"
attack client-on-serving "$node" $serving "$cu" UsagesMismatch
pem server-on-client ec256 "$me"
attack server-on-client "$node" $client "$su" UsagesMismatch
pem takeover ec256 /O=system:nodes/CN=system:node:atk-victim
attack takeover "$boot" $client "$cu" NodeAlreadyExists
pem unknown-machine ec256 /O=system:nodes/CN=system:node:atk-ghost
attack unknown-machine "$boot" $client "$cu" MachineNotFound
pem wildcard ec256 "$me" "DNS:*.atk-node,IP:10.9.0.11"
attack wildcard "$node" $serving "$su" SanDnsWildcard
pem loopback ec256 "$me" "DNS:atk-node,IP:127.0.0.1"
attack loopback "$node" $serving "$su" SanIpForbiddenRange
pem unspecified ec256 "$me" "DNS:atk-node,IP:0.0.0.0"
attack unspecified "$node" $serving "$su" SanIpForbiddenRange
pem link-local ec256 "$me" "DNS:atk-node,IP:169.254.169.254"
attack link-local "$node" $serving "$su" SanIpForbiddenRange
pem apiserver-dns ec256 "$me" "DNS:atk-node,DNS:kubernetes.default.svc,IP:10.9.0.11"
attack apiserver-dns "$node" $serving "$su" ClusterInternalName
pem v4-mapped ec256 "$me" "DNS:atk-node,IP:::ffff:10.9.0.10"
attack v4-mapped "$node" $serving "$su" SanIpNotInInventory
pem groups-missing ec256 /O=system:nodes/CN=system:node:atk-fake "DNS:atk-fake"
attack groups-missing "$fake" $serving "$su" NodeGroupsMissing
pem rsa1024 rsa1024 "$me" "DNS:atk-node,IP:10.9.0.11"
attack rsa1024 "$node" $serving "$su" KeyTooWeak
pem p521 ec521 "$me" "DNS:atk-node,IP:10.9.0.11"
attack p521 "$node" $serving "$su" KeyTypeNotAllowed
pem two-blocks ec256 "$me" "DNS:atk-node,IP:10.9.0.11"
pem two-blocks-b ec256 "$me" "DNS:atk-node,IP:10.9.0.11"
cat two-blocks-b.csr >>two-blocks.csr
attack two-blocks "$node" $serving "$su" CsrUnparseable
pem expiration ec256 "$me" "DNS:atk-node,IP:10.9.0.11"
attack expiration "$node" $serving "$su" ExpirationTooLong 40000000
pem ou ec256 "/O=system:nodes/OU=admins/CN=system:node:atk-node" "DNS:atk-node,IP:10.9.0.11"
attack ou "$node" $serving "$su" SubjectAttributesUnexpected
pem ca-ext ec256 "$me" "DNS:atk-node,IP:10.9.0.11" "basicConstraints=critical,CA:TRUE"
attack ca-ext "$node" $serving "$su" ExtensionsUnexpected
pem client-sans ec256 /O=system:nodes/CN=system:node:atk-ghost "DNS:atk-ghost"
attack client-sans "$boot" $client "$cu" ClientCsrHasSans
pem no-sans ec256 "$me"
attack no-sans "$node" $serving "$su" ServingCsrWithoutSans
pem renew-other ec256 /O=system:nodes/CN=system:node:atk-victim
attack renew-other "$node" $client "$cu" CommonNameMismatch
pem victim-as-node ec256 "$me" "DNS:atk-node,IP:10.9.0.11"
attack victim-as-node "$victim" $serving "$su" CommonNameMismatch

# Wait until every evaluated attack has its Event (ignored ones never get one).
evaluated=()
for e in "${expected[@]}"; do
  case "${e#* }" in RequesterNotRecognized | SignerNotHandled) ;; *) evaluated+=("$e") ;; esac
done
all_evaluated() {
  csr_events >events.txt
  local e
  for e in "${evaluated[@]}"; do grep -q "^${e%% *} Pending " events.txt || return 1; done
}
wait_for 60 all_evaluated || fail "not every attack was evaluated within 60s"
csr_events >events.txt
for e in "${evaluated[@]}"; do
  got="$(awk -v n="${e%% *}" '$1 == n && $2 == "Pending" { print $3 }' events.txt | sort -u | xargs)"
  [[ "$got" == "${e#* }" ]] && pass "${e%% *}: pending, ${e#* }" ||
    fail "${e%% *}: want ${e#* }, got '${got:-no Event}'"
done
# None approved or denied (failureAction pending), and the ignored ones untouched.
kubectl get csr -l nca-e2e=attack -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.conditions[*].type}{"\n"}{end}' >conditions.txt
decided="$(awk 'NF > 1' conditions.txt)"
[[ -z "$decided" ]] && pass "no attack CSR has any condition ($(wc -l <conditions.txt) CSRs)" ||
  fail "attack CSRs with conditions: $decided"
for e in "${expected[@]}"; do
  case "${e#* }" in RequesterNotRecognized | SignerNotHandled)
    grep -q "^${e%% *} " events.txt && fail "${e%% *}: ignored CSR got an Event" ||
      pass "${e%% *}: untouched (${e#* })"
    ;;
  esac
done
total=$((${#expected[@]} + refused))
((total >= 20)) && pass "$total attack cases (${#evaluated[@]} evaluated, $refused refused at create)" ||
  fail "only $total attack cases"

expect_metric attacks 0 node_csr_approver_decisions_total 'outcome="approve"'
expect_metric attacks 0 node_csr_approver_decisions_total 'outcome="deny"'
expect_metric attacks "${#evaluated[@]}" node_csr_approver_decisions_total 'outcome="pending"'
expect_metric attacks 1 node_csr_approver_is_leader
# Events go through the asynchronous recorder: one created per evaluated CSR, none lost.
created="$(metric_sum attacks node_csr_approver_events_total 'result="created"')"
((created >= ${#evaluated[@]})) && pass "Events created through the recorder: $created" ||
  fail "only $created Events created for ${#evaluated[@]} evaluated CSRs"
expect_metric attacks 0 node_csr_approver_events_total 'result="failed"'
expect_metric attacks 0 node_csr_approver_events_total 'result="queue_full"'
# The flood-guard gauges follow the cache: bootstrap attacks counted, then 0 once deleted.
boot_gauge() { [[ "$(metric_sum attacks node_csr_approver_pending_bootstrap_csrs)" != 0 ]]; }
wait_for 20 boot_gauge && pass "pending bootstrap gauge counts the bootstrap attacks ($(metric_sum attacks node_csr_approver_pending_bootstrap_csrs))" ||
  fail "pending bootstrap gauge 0 while bootstrap attack CSRs are pending"
gauge_ok() { [[ "$(metric_sum attacks node_csr_approver_pending_csrs)" != 0 ]]; }
wait_for 20 gauge_ok && pass "pending gauge counts the attack CSRs ($(metric_sum attacks node_csr_approver_pending_csrs))" ||
  fail "pending gauge 0 while attack CSRs are pending"
kubectl delete csr -l nca-e2e=attack >/dev/null
wait_for 30 pending_gauge_zero attacks && pass "pending gauge back to 0 after deleting them" ||
  fail "pending gauge $(metric_sum attacks node_csr_approver_pending_csrs) after deleting the attack CSRs"
boot_zero() { [[ "$(metric_sum attacks node_csr_approver_pending_bootstrap_csrs)" == 0 ]]; }
wait_for 30 boot_zero && pass "pending bootstrap gauge back to 0 after deleting them" ||
  fail "pending bootstrap gauge $(metric_sum attacks node_csr_approver_pending_bootstrap_csrs) after deleting the attack CSRs"

stop_approver attacks
kubectl delete node atk-node atk-victim --ignore-not-found >/dev/null
kubectl delete clusterrolebinding nca-e2e-attack-csr >/dev/null
kubectl -n node-csr-approver delete configmap nca-e2e-attacks >/dev/null
finish

#!/usr/bin/env bash
# Smoke test of the local control plane: a kubelet-serving CSR created as the node is
# stamped with the node's identity, approved by an admin, and issued by the real
# kube-controller-manager with the subject and SANs asked for; approving without the
# `approve` verb on signers is refused with 403.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

node_kc="$(identity node worker-0)"
make_csr_pem "$E2E_TMP/w0.key" "/O=system:nodes/CN=system:node:worker-0" \
  "DNS:worker-0,IP:192.0.2.10" >"$E2E_TMP/w0.csr"
csr_manifest smoke-serving kubernetes.io/kubelet-serving "digital signature, server auth" \
  "$E2E_TMP/w0.csr" | kubectl --kubeconfig "$node_kc" create -f - >/dev/null

user="$(kubectl get csr smoke-serving -o jsonpath='{.spec.username}')"
groups="$(kubectl get csr smoke-serving -o jsonpath='{.spec.groups}')"
[[ "$user" == system:node:worker-0 && "$groups" == *'"system:nodes"'* ]] &&
  pass "apiserver stamped the requester: $user $groups" || fail "requester was '$user' $groups"

# An identity that may update /approval but lacks `approve` on signers.
kubectl create clusterrole smoke-approval-only --verb=get,list,update \
  --resource=certificatesigningrequests,certificatesigningrequests/approval >/dev/null
kubectl create clusterrolebinding smoke-approval-only --clusterrole=smoke-approval-only \
  --user=smoke-no-signer >/dev/null
nosigner_kc="$(identity user smoke-no-signer)"
if out="$(kubectl --kubeconfig "$nosigner_kc" certificate approve smoke-serving 2>&1)"; then
  fail "approval without signers/approve succeeded: $out"
elif [[ "$out" == *Forbidden* && "$out" == *'not permitted to approve requests with signerName "kubernetes.io/kubelet-serving"'* ]]; then
  pass "approval without signers/approve refused with 403"
else
  fail "unexpected refusal: $out"
fi
[[ -z "$(kubectl get csr smoke-serving -o jsonpath='{.status.conditions}')" ]] &&
  pass "CSR still pending after the refused approval" || fail "CSR changed by a refused approval"

kubectl certificate approve smoke-serving >/dev/null
issued() { [[ -n "$(kubectl get csr smoke-serving -o jsonpath='{.status.certificate}')" ]]; }
if wait_for 60 issued; then
  pass "kube-controller-manager issued the certificate"
  kubectl get csr smoke-serving -o jsonpath='{.status.certificate}' | base64 -d >"$E2E_TMP/w0.crt"
  subject="$(openssl x509 -in "$E2E_TMP/w0.crt" -noout -subject -nameopt RFC2253)"
  sans="$(openssl x509 -in "$E2E_TMP/w0.crt" -noout -ext subjectAltName | tail -1 | xargs)"
  [[ "$subject" == "subject=CN=system:node:worker-0,O=system:nodes" ]] &&
    pass "issued subject: $subject" || fail "issued subject: $subject"
  [[ "$sans" == "DNS:worker-0, IP Address:192.0.2.10" ]] &&
    pass "issued SANs: $sans" || fail "issued SANs: $sans"
  openssl verify -CAfile "$NCA_CLUSTER_DIR/pki/ca.crt" "$E2E_TMP/w0.crt" >/dev/null &&
    pass "certificate chains to the cluster signer" || fail "certificate does not verify"
else
  fail "no certificate issued within 60s"
fi

kubectl delete csr smoke-serving >/dev/null
kubectl delete clusterrolebinding smoke-approval-only >/dev/null
kubectl delete clusterrole smoke-approval-only >/dev/null
finish

# Helpers for e2e suites that run real kubelets (test/cluster/kubelet). Sourced after
# test/e2e/lib.sh (needs kubectl, E2E_TMP, NCA_CLUSTER_DIR).
# shellcheck shell=bash

kubelet_ctl() { "$e2e_root/test/cluster/kubelet" "$@" --dir "$NCA_CLUSTER_DIR"; }
kubelet_dir() { echo "$NCA_CLUSTER_DIR/kubelets/$1"; }
kubelet_env() { sed -n "s/^$2=//p" "$(kubelet_dir "$1")/node.env"; }
kubelet_endpoint() { echo "$(kubelet_env "$1" NODE_IP):$(kubelet_env "$1" NODE_PORT)"; }

# host_state: what a kubelet would change on the host if it were not namespaced.
host_state() {
  local f
  for f in vm/overcommit_memory kernel/panic kernel/panic_on_oops; do echo "$f=$(cat "/proc/sys/$f")"; done
  cat /proc/mounts
}

# inventory_entry NAME IP: one machine of a static inventory, created a minute ago (its
# bootstrap window is open).
inventory_entry() {
  echo "  - {name: $1, hostnames: [$1], addresses: [\"$2\"], created: \"$(date -u -d '-60 seconds' +%Y-%m-%dT%H:%M:%SZ)\"}"
}

# set_static_inventory CONFIGMAP FILE: puts FILE as key inventory.yaml into the approver's
# ConfigMap (deploy/'s policy stays as shipped); remove_static_inventory takes it out again.
set_static_inventory() {
  kubectl -n node-csr-approver patch configmap "$1" --type merge -p "$(python3 -c \
    'import json,sys; print(json.dumps({"data": {"inventory.yaml": open(sys.argv[1]).read()}}))' "$2")" >/dev/null
}
remove_static_inventory() {
  kubectl -n node-csr-approver patch configmap "$1" --type json \
    -p '[{"op":"remove","path":"/data/inventory.yaml"}]' >/dev/null 2>&1 || true
}

# serving_cert_verifies NAME: the kubelet's TLS certificate chains to the signer CA and
# names the node; prints its subject and SANs.
serving_cert_verifies() {
  local out
  out="$(openssl s_client -connect "$(kubelet_endpoint "$1")" -CAfile "$NCA_CLUSTER_DIR/pki/ca.crt" \
    -verify_return_error -verify_hostname "$1" </dev/null 2>&1)" || { echo "$out" | tail -5; return 1; }
  grep -q 'Verify return code: 0 (ok)' <<<"$out" || { echo "$out" | tail -5; return 1; }
  openssl x509 -noout -subject -ext subjectAltName <<<"$out" 2>/dev/null | tr '\n' ' ' | sed 's/  */ /g'
}

# bound_pod POD NODE: a pod bound to NODE (no scheduler runs here).
bound_pod() {
  kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1, namespace: default}
spec:
  nodeName: $2
  containers: [{name: c, image: fake-cri/none}]
YAML
}

# kubelet_answered OUTPUT: kubectl logs got an answer from the kubelet itself. The fake
# runtime writes no log file, so the kubelet answers that it cannot read it; any TLS
# failure (unknown authority, no certificate) is the API server's error instead.
kubelet_answer_pattern='failed to (read|open) log file|is a directory|no such file'
kubelet_answered() { grep -qE "$kubelet_answer_pattern" <<<"$1"; }

# csr_of NODE SIGNER: the name of the newest CSR of NODE for SIGNER (subject CN).
csr_of() {
  local name
  name="$(csr_table "$1" | awk -v k="$([[ "$2" == *serving ]] && echo serving || echo client)" '$3 == k {n = $2} END {print n}')"
  [[ -n "$name" ]] && echo "$name"
}

# csr_table NODE...: one line per CSR whose subject is system:node:NODE, oldest first:
#   NODE CSR client|serving approved-by-us|approved-by-other|denied|pending issued|failed|-
csr_table() {
  kubectl get csr -o json | python3 -c '
import base64, json, subprocess, sys
nodes = set(sys.argv[1:])
items = sorted(json.load(sys.stdin)["items"], key=lambda c: c["metadata"]["creationTimestamp"])
for c in items:
    signer = c["spec"]["signerName"]
    if signer == "kubernetes.io/kubelet-serving":
        kind = "serving"
    elif signer == "kubernetes.io/kube-apiserver-client-kubelet":
        kind = "client"
    else:
        continue
    pem = base64.b64decode(c["spec"]["request"])
    subj = subprocess.run(["openssl", "req", "-noout", "-subject", "-nameopt", "sep_multiline"],
                          input=pem, capture_output=True).stdout.decode()
    cn = next((l.strip()[3:] for l in subj.splitlines() if l.strip().startswith("CN=")), "")
    node = cn.removeprefix("system:node:")
    if node not in nodes:
        continue
    conds = {k["type"]: k for k in c.get("status", {}).get("conditions", [])}
    if "Approved" in conds:
        ours = conds["Approved"].get("reason") == "NodeCSRApproverApproved" and \
            "passed every check" in conds["Approved"].get("message", "")
        decision = "approved-by-us" if ours else "approved-by-other"
    elif "Denied" in conds:
        decision = "denied"
    else:
        decision = "pending"
    issued = "failed" if "Failed" in conds else ("issued" if c.get("status", {}).get("certificate") else "-")
    print(node, c["metadata"]["name"], kind, decision, issued)
' "$@"
}

#!/usr/bin/env bash
# The local demo (README: `make demo`): starts the real control plane on loopback, files
# a kubelet-serving CSR as a node, shows it Pending → Approved → Issued, and stops every
# process it started. `--keep` leaves the control plane running and prints how to stop it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keep=false
[[ "${1:-}" == --keep ]] && keep=true

dir="$(mktemp -d "${TMPDIR:-/tmp}/nca-demo.XXXXXX")"
cleanup() {
  if $keep; then
    echo "demo: left running; stop with: $root/test/cluster/down --dir $dir"
  else
    "$root/test/cluster/down" --dir "$dir"
    echo "demo: control plane stopped, $dir removed"
  fi
}
trap cleanup EXIT
eval "$("$root/test/cluster/up" --dir "$dir")"
source "$dir/env"
kubectl() { "$NCA_K8S_BIN/kubectl" "$@"; }
step() { printf '\n== %s\n' "$*"; }

step "a machine's kubelet (system:node:demo-worker) files a serving CSR"
node_kc="$("$root/test/cluster/identity" node demo-worker --dir "$dir")"
openssl ecparam -name prime256v1 -genkey -noout -out "$dir/demo.key" 2>/dev/null
openssl req -new -key "$dir/demo.key" -subj "/O=system:nodes/CN=system:node:demo-worker" \
  -addext "subjectAltName=DNS:demo-worker,IP:192.0.2.50" -out "$dir/demo.csr"
kubectl --kubeconfig "$node_kc" create -f - <<YAML
apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: {name: demo-serving}
spec:
  signerName: kubernetes.io/kubelet-serving
  usages: [digital signature, server auth]
  request: $(base64 -w0 "$dir/demo.csr")
YAML
kubectl get csr demo-serving

step "approve it (the approver's job; here by hand)"
kubectl certificate approve demo-serving
deadline=$((SECONDS + 60))
until [[ -n "$(kubectl get csr demo-serving -o jsonpath='{.status.certificate}')" ]]; do
  ((SECONDS < deadline)) || { echo "demo: not issued within 60s" >&2; exit 1; }
  sleep 0.2
done
kubectl get csr demo-serving

step "kube-controller-manager issued this certificate"
kubectl get csr demo-serving -o jsonpath='{.status.certificate}' | base64 -d |
  openssl x509 -noout -subject -ext subjectAltName -enddate

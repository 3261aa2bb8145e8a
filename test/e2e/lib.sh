# Helpers for e2e shell tests. Sourced. Expects NCA_CLUSTER_DIR (a running test/cluster).
# shellcheck shell=bash
set -euo pipefail
e2e_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ -n "${NCA_CLUSTER_DIR:-}" && -f "$NCA_CLUSTER_DIR/env" ]] || {
  echo "e2e: NCA_CLUSTER_DIR must point at a running test/cluster (test/cluster/up)" >&2
  exit 1
}
# shellcheck disable=SC1091
source "$NCA_CLUSTER_DIR/env"
export KUBECONFIG="$NCA_CLUSTER_DIR/admin.kubeconfig"
KUBECTL="$NCA_K8S_BIN/kubectl"
kubectl() { "$KUBECTL" "$@"; }
identity() { "$e2e_root/test/cluster/identity" "$@" --dir "$NCA_CLUSTER_DIR"; }

E2E_TMP="$(mktemp -d "${TMPDIR:-/tmp}/nca-e2e.XXXXXX")"
trap 'rm -rf "$E2E_TMP"' EXIT

passed=0
failed=0
pass() { echo "ok   - $*"; passed=$((passed + 1)); }
fail() { echo "FAIL - $*" >&2; failed=$((failed + 1)); }
finish() {
  echo "$passed passed, $failed failed"
  ((failed == 0))
}

# wait_for SECONDS COMMAND...: polls until COMMAND succeeds; non-zero on timeout.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# make_csr_pem KEYFILE SUBJECT [SAN]: an ECDSA P-256 key and PEM CSR on stdout.
make_csr_pem() {
  local key="$1" subj="$2" san="${3:-}"
  openssl ecparam -name prime256v1 -genkey -noout -out "$key" 2>/dev/null
  if [[ -n "$san" ]]; then
    openssl req -new -key "$key" -subj "$subj" -addext "subjectAltName=$san"
  else
    openssl req -new -key "$key" -subj "$subj"
  fi
}

# csr_manifest NAME SIGNER USAGES PEMFILE: a CertificateSigningRequest object.
csr_manifest() {
  cat <<YAML
apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: $1
spec:
  signerName: $2
  usages: [$3]
  request: $(base64 -w0 "$4")
YAML
}

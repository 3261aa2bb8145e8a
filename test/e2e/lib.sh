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
trap 'e2e_rc=$?; stop_all_approvers; e2e_tmp_cleanup' EXIT

# e2e_tmp_cleanup: for EXIT traps (set e2e_rc=$? first). When the test failed (a FAIL or
# a non-zero exit) prints the tail of every log in $E2E_TMP (the approvers' among them) so
# that ctest --output-on-failure shows them; then removes $E2E_TMP, unless NCA_E2E_KEEP=1
# (always keep) or NCA_E2E_KEEP=failed (keep after a failure) says to keep it.
e2e_tmp_cleanup() {
  local bad=0 f
  ((${e2e_rc:-0} == 0 && ${failed:-0} == 0)) || bad=1
  if ((bad)); then
    for f in "$E2E_TMP"/*.log; do
      [[ -e "$f" ]] || continue
      echo "---- last 40 lines of $(basename "$f") ----" >&2
      tail -40 "$f" >&2
    done
  fi
  if [[ "${NCA_E2E_KEEP:-}" == 1 || ("${NCA_E2E_KEEP:-}" == failed && bad -eq 1) ]]; then
    echo "e2e: kept $E2E_TMP" >&2
  else
    rm -rf "$E2E_TMP"
  fi
}

passed=0
failed=0
pass() { echo "ok   - $*"; passed=$((passed + 1)); }
fail() { echo "FAIL - $*" >&2; failed=$((failed + 1)); }
finish() {
  echo "$passed passed, $failed failed"
  ((failed == 0))
}

# has_line GREP-ARGS...: stdin has a line grep matches. Use it instead of `producer | grep
# -q`: under pipefail that fails at random, because grep -q exits at the first match and
# the producer, still writing, dies of SIGPIPE (seen as Events "not found" once a cluster
# held enough of them). stdin is read to its end first.
has_line() {
  local input
  input="$(cat)"
  [[ -n "$input" ]] && grep -q "$@" <<<"$input"
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

# --- the approver under test ------------------------------------------------------------
# ensure_deploy_rbac: applies deploy/ (namespace, ServiceAccount, RBAC, ConfigMap, ...) once.
ensure_deploy_rbac() {
  kubectl get serviceaccount -n node-csr-approver node-csr-approver >/dev/null 2>&1 ||
    kubectl apply -f "$e2e_root/deploy/" >/dev/null
}

# approver_kubeconfig: a kubeconfig with a token of deploy/'s ServiceAccount, so the RBAC
# we ship is what the approver runs with.
approver_kubeconfig() {
  local file="$NCA_CLUSTER_DIR/identities/approver-sa.kubeconfig" token
  if [[ ! -f "$file" ]]; then
    ensure_deploy_rbac
    token="$(kubectl -n node-csr-approver create token node-csr-approver --duration=24h)"
    cat >"$file" <<KC
apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "https://127.0.0.1:$NCA_APISERVER_PORT", certificate-authority: "$NCA_CLUSTER_DIR/pki/ca.crt"}}]
users: [{name: approver, user: {token: "$token"}}]
contexts: [{name: local, context: {cluster: local, user: approver}}]
current-context: local
KC
    chmod 600 "$file"
  fi
  echo "$file"
}

# start_approver NAME [ARGS...]: runs the approver binary ($NCA_BIN) as NAME with the
# ServiceAccount token, health on a free port, /metrics plain HTTP (--metrics-secure=false:
# these suites are about other things; approver_probe.sh tests the secure path); waits
# for /readyz. Sets APPROVER_PID_<NAME>
# via files under $E2E_TMP: $E2E_TMP/NAME.{pid,log,health,metrics}.
start_approver() {
  local name="$1"
  shift
  local kc health metrics
  kc="$(approver_kubeconfig)"
  health="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  metrics="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  "${NCA_BIN:?NCA_BIN must point at the approver binary}" run --kubeconfig "$kc" \
    --namespace node-csr-approver --identity "$name" \
    --health-bind-address "127.0.0.1:$health" --metrics-bind-address "127.0.0.1:$metrics" \
    --metrics-secure=false \
    "$@" >"$E2E_TMP/$name.log" 2>&1 &
  echo $! >"$E2E_TMP/$name.pid"
  echo "$health" >"$E2E_TMP/$name.health"
  echo "$metrics" >"$E2E_TMP/$name.metrics"
  if ! wait_for 60 curl -fsS "http://127.0.0.1:$health/readyz"; then
    echo "approver $name did not become ready; its log:" >&2
    tail -20 "$E2E_TMP/$name.log" >&2
    return 1
  fi
}

# stop_approver NAME [SIGNAL]: stops it by pid (TERM by default) and waits for the exit.
stop_approver() {
  local name="$1" sig="${2:-TERM}" pid
  [[ -f "$E2E_TMP/$name.pid" ]] || return 0
  pid="$(cat "$E2E_TMP/$name.pid")"
  kill "-$sig" "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$E2E_TMP/$name.pid"
}

stop_all_approvers() {
  local f
  for f in "$E2E_TMP"/*.pid; do
    [[ -e "$f" ]] && stop_approver "$(basename "$f" .pid)" KILL
  done
  return 0
}

scrape_metrics() { curl -fsS "http://127.0.0.1:$(cat "$E2E_TMP/$1.metrics")/metrics"; }

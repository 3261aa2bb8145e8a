# Starting the approver exactly as deploy/08-deployment.yaml starts it, outside a pod:
# argv and env read from the manifest ($(VAR) expanded as the kubelet does), credentials
# from a token of the deploy/ ServiceAccount (never admin). Only the two bind addresses
# move to free loopback ports (the machine is shared); any other flag the binary rejects
# is drift between deploy/ and the binary. Sourced after lib.sh (needs kubectl, E2E_TMP).
# shellcheck shell=bash

deploy_ns=node-csr-approver
deploy_sa=node-csr-approver

deployment_argv() { # the approver's argv as deploy/ runs it, one per line
  python3 - "$e2e_root/deploy/08-deployment.yaml" "$deploy_ns" <<'PY'
import re, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
c = d["spec"]["template"]["spec"]["containers"][0]
env = {"NCA_NAMESPACE": sys.argv[2]}
for e in c.get("env", []):
    if "value" in e:
        env[e["name"]] = e["value"]
for a in c.get("args", []):
    print(re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env.get(m.group(1), m.group(0)), a))
PY
}

deployment_env() { # NAME=VALUE per env entry (downward API: metadata.namespace only)
  python3 - "$e2e_root/deploy/08-deployment.yaml" "$deploy_ns" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
for e in d["spec"]["template"]["spec"]["containers"][0].get("env", []):
    if "value" in e:
        print(f'{e["name"]}={e["value"]}')
    elif e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "metadata.namespace":
        print(f'{e["name"]}={sys.argv[2]}')
    else:
        sys.exit(f"deployment_lib: env {e['name']} comes from a source this test does not emulate")
PY
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

approver_bin() { echo "${NCA_BIN:-$e2e_root/build/cmd/node-csr-approver/node-csr-approver}"; }
approver_has_run() { local b; b="$(approver_bin)"; [[ -x "$b" ]] && "$b" run --help >/dev/null 2>&1; }

# start_approver_as_deployment LOG: starts it in the background; sets approver_pid,
# approver_metrics_port, approver_health_port.
start_approver_as_deployment() {
  local log="$1" argv envs i token server
  mapfile -t argv < <(deployment_argv)
  mapfile -t envs < <(deployment_env)
  approver_metrics_port="$(free_port)"
  approver_health_port="$(free_port)"
  for i in "${!argv[@]}"; do
    case "${argv[$i]}" in
      --metrics-bind-address=*) argv[i]="--metrics-bind-address=127.0.0.1:$approver_metrics_port" ;;
      --health-bind-address=*) argv[i]="--health-bind-address=127.0.0.1:$approver_health_port" ;;
    esac
  done
  token="$(kubectl create token "$deploy_sa" -n "$deploy_ns" --duration=1h)"
  server="$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')"
  kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' |
    base64 -d >"$E2E_TMP/sa-ca.crt"
  if [[ ! -s "$E2E_TMP/sa-ca.crt" ]]; then
    cp "$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.certificate-authority}')" "$E2E_TMP/sa-ca.crt"
  fi
  cat >"$E2E_TMP/sa.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "$server", certificate-authority: "$E2E_TMP/sa-ca.crt"}
users:
- name: sa
  user: {token: "$token"}
contexts:
- name: c
  context: {cluster: c, user: sa}
current-context: c
KC
  env "${envs[@]}" "$(approver_bin)" "${argv[@]}" --kubeconfig="$E2E_TMP/sa.kubeconfig" >"$log" 2>&1 &
  approver_pid=$!
}

stop_approver() { # SIGTERM and wait; returns the exit code
  local rc=0
  [[ -n "${approver_pid:-}" ]] || return 0
  kill -TERM "$approver_pid" 2>/dev/null || true
  wait "$approver_pid" || rc=$?
  approver_pid=""
  return "$rc"
}

# /metrics of the approver started above is HTTPS (self-signed) and needs a bearer token
# that may get /metrics. metrics_scraper_token NAME [--bound]: a token of ServiceAccount
# NAME in $deploy_ns (created if missing); with --bound NAME is bound to deploy/'s
# node-csr-approver-metrics-reader ClusterRole (binding NAME-metrics).
metrics_scraper_token() {
  local sa="$1"
  kubectl get serviceaccount "$sa" -n "$deploy_ns" >/dev/null 2>&1 ||
    kubectl create serviceaccount "$sa" -n "$deploy_ns" >/dev/null
  if [[ "${2:-}" == --bound ]]; then
    kubectl get clusterrolebinding "$sa-metrics" >/dev/null 2>&1 ||
      kubectl create clusterrolebinding "$sa-metrics" --clusterrole=node-csr-approver-metrics-reader \
        --serviceaccount="$deploy_ns:$sa" >/dev/null
  fi
  kubectl create token "$sa" -n "$deploy_ns" --duration=1h
}
delete_metrics_scraper() { # delete_metrics_scraper NAME
  kubectl delete clusterrolebinding "$1-metrics" --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete serviceaccount "$1" -n "$deploy_ns" --ignore-not-found >/dev/null 2>&1 || true
}
# metrics_status [CURL ARGS...]: the HTTP status of GET /metrics (body in $E2E_TMP/scrape.out).
metrics_status() {
  curl -ksS -o "$E2E_TMP/scrape.out" -w '%{http_code}' "$@" \
    "https://127.0.0.1:$approver_metrics_port/metrics" 2>/dev/null || true
}
# scrape_deployment_metrics TOKEN: the /metrics text, scraped as TOKEN's owner.
scrape_deployment_metrics() {
  curl -kfsS -H "Authorization: Bearer $1" "https://127.0.0.1:$approver_metrics_port/metrics"
}

approver_ready() { curl -fsS "http://127.0.0.1:$approver_health_port/readyz" >/dev/null; }
lease_holder() { kubectl get lease node-csr-approver -n "$deploy_ns" -o jsonpath='{.spec.holderIdentity}' 2>/dev/null; }
lease_held() { [[ -n "$(lease_holder)" ]]; }

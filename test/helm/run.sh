#!/usr/bin/env bash
# Helm chart tests: lint, render with default and non-default values and check what
# comes out, schema rejection of wrong values, the chart's default render equal to
# deploy/ (RBAC and every object), and the comparison itself able to fail.
# helm is built from its Go module by test/cluster/build-helm (cached). Exits non-zero
# on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
helm="$(test/cluster/build-helm | tail -1)"
chart=charts/node-csr-approver
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
passed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { fail=1; echo "FAIL $*" >&2; }
render() { "$helm" template node-csr-approver "$chart" -n node-csr-approver "$@"; }

# --- lint --------------------------------------------------------------------------
if "$helm" lint --strict "$chart" >"$tmp/lint" 2>&1; then ok "helm lint --strict"; else cat "$tmp/lint" >&2; bad "helm lint --strict"; fi
if "$helm" lint --strict "$chart" -f test/helm/values-nondefault.yaml >"$tmp/lint2" 2>&1; then
  ok "helm lint --strict with non-default values"
else
  cat "$tmp/lint2" >&2; bad "helm lint with non-default values"
fi

# --- default render ----------------------------------------------------------------
if render >"$tmp/default.yaml" 2>"$tmp/err"; then ok "helm template (defaults)"; else cat "$tmp/err" >&2; bad "helm template (defaults)"; fi
if python3 - "$tmp/default.yaml" "$chart/Chart.yaml" <<'PY'; then ok "default render: image tag = appVersion, no monitoring objects, no namespace"; else bad "default render contents"; fi
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
app = yaml.safe_load(open(sys.argv[2]))["appVersion"]
kinds = sorted(d["kind"] for d in docs)
want = sorted(["ServiceAccount", "ClusterRole", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Role",
               "RoleBinding", "Role", "RoleBinding", "ConfigMap", "Deployment", "Service",
               "PodDisruptionBudget"])
assert kinds == want, f"kinds {kinds} != {want}"
dep = next(d for d in docs if d["kind"] == "Deployment")
c = dep["spec"]["template"]["spec"]["containers"][0]
assert c["image"] == f"node-csr-approver:{app}", c["image"]
cm = next(d for d in docs if d["kind"] == "ConfigMap")
assert list(cm["data"]) == ["config.yaml"] and yaml.safe_load(cm["data"]["config.yaml"]) is None, cm["data"]
assert "--dry-run=true" not in c["args"] and not any(a.startswith("--workers") for a in c["args"]), c["args"]
assert "--metrics-secure=true" in c["args"] and not any(a.startswith("--metrics-cert-dir") for a in c["args"]), c["args"]
reader = next(d for d in docs if d["metadata"]["name"] == "node-csr-approver-metrics-reader")
assert reader["kind"] == "ClusterRole" and reader["rules"] == [{"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]
for d in docs:
    assert d["kind"] == "ClusterRole" or d["kind"] == "ClusterRoleBinding" or d["metadata"]["namespace"] in ("node-csr-approver", "default"), d["metadata"]
PY

# --- deploy/ and the chart install the same thing ----------------------------------
if python3 test/helm/compare.py rbac deploy "$tmp/default.yaml"; then ok "chart default RBAC == deploy/ RBAC"; else bad "chart default RBAC != deploy/"; fi
if python3 test/helm/compare.py objects deploy "$tmp/default.yaml"; then ok "chart default objects == deploy/ objects"; else bad "chart default objects != deploy/"; fi
# The comparison must notice a difference: move the Events Role, rename the Lease.
render --set rbac.eventsNamespace=kube-system >"$tmp/moved.yaml"
if python3 test/helm/compare.py rbac deploy "$tmp/moved.yaml" 2>/dev/null; then bad "compare.py rbac missed Events granted in kube-system"; else ok "compare.py rbac notices a moved Events Role"; fi
render --set leaderElection.leaseName=other >"$tmp/lease.yaml"
if python3 test/helm/compare.py rbac deploy "$tmp/lease.yaml" 2>/dev/null; then bad "compare.py rbac missed a renamed Lease grant"; else ok "compare.py rbac notices a renamed Lease grant"; fi
render --set logLevel=debug >"$tmp/debug.yaml"
if python3 test/helm/compare.py objects deploy "$tmp/debug.yaml" 2>/dev/null; then bad "compare.py objects missed a changed flag"; else ok "compare.py objects notices a changed flag"; fi

# --- /metrics: self-signed (default) and plain ServiceMonitor endpoints ------------------
if python3 - <(render --set serviceMonitor.enabled=true) <(render --set serviceMonitor.enabled=true --set metrics.secure=false) <<'PY'; then ok "ServiceMonitor: https + token + insecureSkipVerify when self-signed, http when metrics.secure=false"; else bad "ServiceMonitor scheme/tls"; fi
import sys, yaml
def endpoint_and_args(path):
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    sm = next(d for d in docs if d["kind"] == "ServiceMonitor")
    dep = next(d for d in docs if d["kind"] == "Deployment")
    return sm["spec"]["endpoints"][0], dep["spec"]["template"]["spec"]["containers"][0]["args"]
ep, args = endpoint_and_args(sys.argv[1])
assert ep["scheme"] == "https" and ep["tlsConfig"] == {"insecureSkipVerify": True} and "bearerTokenFile" in ep, ep
ep, args = endpoint_and_args(sys.argv[2])
assert ep["scheme"] == "http" and "tlsConfig" not in ep and "bearerTokenFile" not in ep, ep
assert "--metrics-secure=false" in args, args
PY

# --- non-default render -------------------------------------------------------------
if "$helm" template rel "$chart" -n ignored -f test/helm/values-nondefault.yaml >"$tmp/custom.yaml" 2>"$tmp/err"; then
  ok "helm template (non-default values)"
else
  cat "$tmp/err" >&2; bad "helm template (non-default values)"
fi
if python3 - "$tmp/custom.yaml" manifests/alerts/rules.yaml manifests/dashboards/node-csr-approver.json <<'PY'; then ok "non-default render: overrides, toggles, extraObjects, rules from the one source"; else bad "non-default render contents"; fi
import json, re, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
by = {}
for d in docs:
    by.setdefault(d["kind"], []).append(d)
ns = "openshift-cluster-machine-approver"
for d in docs:
    if d["kind"] in ("ClusterRole", "ClusterRoleBinding", "Namespace"):
        continue
    want = "default" if d["metadata"]["name"] in ("csr-approver-events", "csr-approver-apiserver-service") else ns
    assert d["metadata"].get("namespace") == want, (d["kind"], d["metadata"])
assert by["Namespace"][0]["metadata"]["name"] == ns
assert by["Namespace"][0]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
dep = by["Deployment"][0]
spec = dep["spec"]["template"]["spec"]
c = spec["containers"][0]
assert dep["spec"]["replicas"] == 3
assert c["image"].endswith("@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), c["image"]
for a in ["--config-map=$(NCA_NAMESPACE)/csr-approver-config", "--lease-name=csr-approver-leader", "--workers=4",
          "--dry-run=true", "--log-level=debug", "--metrics-bind-address=:9191", "--health-bind-address=:8181",
          "--some-future-flag=1"]:
    assert a in c["args"], (a, c["args"])
assert {"name": "NCA_LOG_LEVEL", "value": "debug"} in c["env"]
assert spec["serviceAccountName"] == "approver" and "priorityClassName" not in spec
assert spec["affinity"]["nodeAffinity"] and "podAntiAffinity" not in spec["affinity"]
assert dep["metadata"]["labels"]["team"] == "platform"
role = next(r for r in by["Role"] if r["metadata"]["name"] == "csr-approver")
assert any(r.get("resourceNames") == ["csr-approver-leader"] for r in role["rules"]), role["rules"]
assert by["PodDisruptionBudget"][0]["spec"]["minAvailable"] == 2
sm = by["ServiceMonitor"][0]
assert sm["spec"]["jobLabel"] == "app.kubernetes.io/name" and sm["spec"]["endpoints"][0]["interval"] == "15s"
assert sm["metadata"]["labels"]["release"] == "prometheus"
ep = sm["spec"]["endpoints"][0]
assert ep["scheme"] == "https" and ep["bearerTokenFile"].endswith("/serviceaccount/token"), ep
assert ep["tlsConfig"] == {"serverName": "csr-approver-metrics.openshift-cluster-machine-approver.svc"}, ep
assert "--metrics-cert-dir=/etc/node-csr-approver/metrics-certs" in c["args"], c["args"]
assert spec["volumes"] == [{"name": "metrics-certs", "secret": {"secretName": "approver-metrics-tls"}}], spec.get("volumes")
assert c["volumeMounts"][0]["mountPath"] == "/etc/node-csr-approver/metrics-certs"
pr = by["PrometheusRule"][0]
src = yaml.safe_load(open(sys.argv[2]))
for g in src["groups"]:
    for r in g["rules"]:
        r["annotations"]["runbook_url"] = re.sub(r"^[^#]*#", "https://docs.example.com/node-csr-approver/operations.md#", r["annotations"]["runbook_url"])
assert pr["spec"] == src, "PrometheusRule spec is not manifests/alerts/rules.yaml (runbook base replaced)"
cm = next(d for d in by["ConfigMap"] if d["metadata"]["name"] == "csr-approver-dashboard")
assert json.loads(cm["data"]["node-csr-approver.json"]) == json.load(open(sys.argv[3]))
values = yaml.safe_load(open("test/helm/values-nondefault.yaml"))
cfg = next(d for d in by["ConfigMap"] if d["metadata"]["name"] == "csr-approver-config")["data"]
assert yaml.safe_load(cfg["config.yaml"]) == values["config"], cfg["config.yaml"]
assert yaml.safe_load(cfg["inventory.yaml"]) == values["staticInventory"], cfg["inventory.yaml"]
assert next(d for d in by["ConfigMap"] if d["metadata"]["name"] == "rel-extra")["data"] == {"hello": "world"}
assert by["Secret"][0]["stringData"] == {"release": "rel"}
PY

# --- the PrometheusRule with defaults is the generated manifest ----------------------
render --set prometheusRule.enabled=true >"$tmp/rules.yaml"
if python3 - "$tmp/rules.yaml" manifests/prometheusrule.yaml <<'PY'; then ok "chart PrometheusRule spec == manifests/prometheusrule.yaml spec"; else bad "chart PrometheusRule differs from manifests/prometheusrule.yaml"; fi
import sys, yaml
a = next(d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "PrometheusRule")
b = yaml.safe_load(open(sys.argv[2]))
assert a["spec"] == b["spec"]
PY
if manifests/generate.sh --check; then ok "chart files/ are identical to manifests/ sources"; else bad "chart files/ drifted from manifests/"; fi

# --- every policy key documented in docs/policy.md is in the schema and the ConfigMap ---
if python3 - docs/policy.md "$chart/values.schema.json" deploy/07-configmap.yaml <<'PY'; then ok "policy keys: docs/policy.md == values.schema.json == deploy/ ConfigMap's commented reference"; else bad "policy keys differ between docs/policy.md, the chart schema and deploy/07-configmap.yaml"; fi
import json, re, sys, yaml
section = open(sys.argv[1]).read().split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
doc = set(re.findall(r"^\| `([a-zA-Z.]+)` \|", section, re.M))
def flat(props, prefix=""):
    out = set()
    for k, v in props.items():
        if v.get("type") == "object" and "properties" in v:
            out |= flat(v["properties"], prefix + k + ".")
        else:
            out.add(prefix + k)
    return out
schema = flat(json.load(open(sys.argv[2]))["properties"]["config"]["properties"])
cm = yaml.safe_load(open(sys.argv[3]))["data"]["config.yaml"]
# The reference block: the commented lines after the first "#" line on its own.
ref_lines = cm.split("\n#\n", 1)[1].splitlines()
ref = yaml.safe_load("\n".join(l[2:] if l.startswith("# ") else "" for l in ref_lines))
def keys(d, prefix=""):
    out = set()
    for k, v in d.items():
        out |= keys(v, prefix + k + ".") if isinstance(v, dict) and v else {prefix + k}
    return out
cmkeys = keys(ref)
ok = True
for name, got in (("values.schema.json", schema), ("deploy/07-configmap.yaml", cmkeys)):
    if got != doc:
        ok = False
        print(f"{name}: missing {sorted(doc - got)}, extra {sorted(got - doc)}", file=sys.stderr)
sys.exit(0 if ok and len(doc) > 15 else 1)
PY

# --- schema rejects wrong values -------------------------------------------------------
reject() { # reject DESCRIPTION HELM-ARGS...: the render must fail with a schema error
  local what="$1"
  shift
  if render "$@" >/dev/null 2>"$tmp/err"; then
    bad "schema accepted $what"
  elif grep -q "values don't meet the specifications of the schema\|at '/" "$tmp/err"; then
    ok "schema rejects $what"
  else
    cat "$tmp/err" >&2
    bad "render failed for $what, but not by the schema"
  fi
}
reject "replicaCount as a string" --set-string replicaCount=two
reject "image.tag latest" --set image.tag=latest
reject "a malformed image digest" --set image.digest=sha256:abc
reject "an unknown logLevel" --set logLevel=verbose
reject "leaderElection.enabled as a string" --set-string leaderElection.enabled=yes
reject "workers = 0" --set workers=0
reject "workers as a string" --set-string workers=four
reject "a port out of range" --set metrics.port=70000
reject "an unknown top-level key" --set replicas=2
reject "a typo in serviceMonitor" --set serviceMonitor.enable=true
reject "config as a list" --set 'config[0]=a'
reject "an unknown policy key" --set config.serving.trustNodeAdresses=never
reject "a bad trustNodeAddresses" --set config.serving.trustNodeAddresses=sometimes
reject "rsaMinBits below 2048" --set config.keys.rsaMinBits=1024
reject "an unknown ECDSA curve" --set 'config.keys.ecdsaCurves[0]=P-521'
reject "a duration without unit" --set-string config.bootstrap.creationWindow=7200
reject "pendingGuard.limit as a word" --set config.pendingGuard.limit=many
reject "failureAction approve" --set config.failureAction=approve
reject "a per-reason action approve" --set config.failureActions.SanIpNotInInventory=approve
reject "kinds.serving as a string" --set-string config.kinds.serving=no
reject "a static machine without a name" --set 'staticInventory.machines[0].hostnames[0]=x'
reject "extraArgs as a string" --set-string extraArgs=--x
reject "a bad scrape interval" --set serviceMonitor.interval=often
if render --set config.pendingGuard.limit=auto --set config.failureActions.NodeNotFound=deny >/dev/null 2>"$tmp/err"; then
  ok "schema accepts pendingGuard.limit=auto and a per-reason override"
else
  cat "$tmp/err" >&2; bad "schema refused valid policy values"
fi
# And the render refuses combinations the schema cannot express.
if render --set createConfigMap=false >/dev/null 2>&1; then bad "createConfigMap=false without configMapName rendered"; else ok "createConfigMap=false needs configMapName"; fi
if render --set serviceMonitor.enabled=true --set service.enabled=false >/dev/null 2>&1; then bad "ServiceMonitor without Service rendered"; else ok "serviceMonitor needs the Service"; fi

echo "test/helm: $passed passed$( ((fail)) && echo ", FAILURES above")"
exit "$fail"

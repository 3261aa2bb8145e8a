#!/usr/bin/env bash
# e2e: every RBAC rule of deploy/ is needed. For each rule of each Role and ClusterRole in
# deploy/, the role is replaced by a copy without that rule, PROBE runs and must FAIL
# (the rule was needed), then the role is restored.
#
#   NCA_CLUSTER_DIR=DIR test/e2e/rbac_minimal.sh [--probe 'COMMAND'] [--with-inventory-crds]
#
# The PROBE gets RBAC_ROLE_KIND, RBAC_ROLE_NAME, RBAC_ROLE_NAMESPACE and RBAC_RULE (the
# removed rule as JSON) in its environment.
# - Default probe: a SubjectAccessReview for each right the removed rule granted; it
#   fails when at least one is now refused. This proves no rule is redundant (another
#   rule, or a rule added later, granting the same thing), not yet that the daemon uses it.
# - With --probe test/e2e/approver_probe.sh --with-inventory-crds (a ctest entry of its
#   own): the approver itself, started as the Deployment starts it, must fail at some job
#   (cache sync without 403s, Lease create/update, approval, Events in both namespaces,
#   config reload) without each rule. The inventory CRDs are installed for the run, so
#   that their rules are exercised, and removed afterwards (a served inventory API
#   makes Node addresses untrusted for the other e2e tests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
cd "$e2e_root"
probe=""
crds=0
while (($#)); do
  case "$1" in
    --probe) probe="${2:?--probe needs a command}"; shift 2 ;;
    --with-inventory-crds) crds=1; shift ;;
    *) echo "rbac_minimal: unknown argument $1" >&2; exit 2 ;;
  esac
done
# The same inventory CRDs as the join tests (one set, so the tests cannot disagree).
crd_file="$e2e_root/test/e2e/crds"
ns=node-csr-approver

scraper=rbac-minimal-scraper # holds deploy/'s non-resource ClusterRoles (see below)
restore() {
  kubectl apply -f deploy/ >/dev/null 2>&1 || true
  kubectl delete clusterrolebinding -l nca-e2e=rbac-minimal --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete serviceaccount "$scraper" -n "$ns" --ignore-not-found >/dev/null 2>&1 || true
  if ((crds)); then kubectl delete -f "$crd_file" --ignore-not-found >/dev/null 2>&1 || true; fi
}
trap 'e2e_rc=$?; restore; e2e_tmp_cleanup' EXIT
kubectl apply -f deploy/ >/dev/null
if ((crds)); then
  kubectl apply -f "$crd_file" >/dev/null
  kubectl wait --for=condition=Established -f "$crd_file" --timeout=60s >/dev/null
fi

# ClusterRoles of deploy/ that grant non-resource URLs (node-csr-approver-metrics-reader)
# are for other identities (Prometheus), not bound in deploy/: the default probe checks
# them for a scratch ServiceAccount bound to each.
kubectl create serviceaccount "$scraper" -n "$ns" >/dev/null 2>&1 || true
python3 - deploy <<'PY' | while read -r role; do
import glob, os, sys, yaml
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.yaml"))):
    for d in yaml.safe_load_all(open(f)):
        if d and d["kind"] == "ClusterRole" and any("nonResourceURLs" in r for r in d["rules"]):
            print(d["metadata"]["name"])
PY
  kubectl create clusterrolebinding "rbac-minimal-$role" --clusterrole="$role" \
    --serviceaccount="$ns:$scraper" >/dev/null 2>&1 || true
  kubectl label clusterrolebinding "rbac-minimal-$role" nca-e2e=rbac-minimal --overwrite >/dev/null
done

# One JSON line per (role, rule index): kind, name, namespace, index, rule, and the
# reduced role object.
python3 - deploy >"$E2E_TMP/cases.jsonl" <<'PY'
import glob, json, os, sys, yaml
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.yaml"))):
    for d in yaml.safe_load_all(open(f)):
        if not d or d["kind"] not in ("Role", "ClusterRole"):
            continue
        for i, rule in enumerate(d["rules"]):
            reduced = json.loads(json.dumps(d))
            del reduced["rules"][i]
            print(json.dumps({"kind": d["kind"], "name": d["metadata"]["name"],
                              "namespace": d["metadata"].get("namespace", ""), "index": i,
                              "rule": rule, "reduced": reduced, "original": d}))
PY

sar() { # sar VERB GROUP RESOURCE SUBRESOURCE NAME NAMESPACE ("-" = empty): "true" if allowed
  local a=() x
  for x in "$@"; do [[ "$x" == - ]] && a+=("") || a+=("$x"); done
  set -- "${a[@]}"
  kubectl create -o jsonpath='{.status.allowed}' -f - <<JSON
{"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
 "spec": {"user": "system:serviceaccount:$ns:node-csr-approver",
          "groups": ["system:serviceaccounts", "system:serviceaccounts:$ns", "system:authenticated"],
          "resourceAttributes": {"verb": "$1", "group": "$2", "resource": "$3", "subresource": "$4",
                                 "name": "$5", "namespace": "$6"}}}
JSON
}
nonresource_sar() { # nonresource_sar VERB PATH: "true" if the scratch scraper may
  kubectl create -o jsonpath='{.status.allowed}' -f - <<JSON
{"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
 "spec": {"user": "system:serviceaccount:$ns:$scraper",
          "groups": ["system:serviceaccounts", "system:serviceaccounts:$ns", "system:authenticated"],
          "nonResourceAttributes": {"verb": "$1", "path": "$2"}}}
JSON
}
default_probe() { # succeeds when every right of RBAC_RULE is still granted
  local line
  local n=0
  while read -r line; do
    n=$((n + 1))
    if [[ "$line" == "nonresource "* ]]; then
      # shellcheck disable=SC2086
      [[ "$(nonresource_sar ${line#nonresource })" == true ]] || return 1
      continue
    fi
    # shellcheck disable=SC2086
    [[ "$(sar $line)" == true ]] || return 1
  done < <(python3 - <<'PY'
import json, os
r = json.loads(os.environ["RBAC_RULE"])
ns = os.environ["RBAC_ROLE_NAMESPACE"] or "-"
for url in r.get("nonResourceURLs", []):
    for v in r["verbs"]:
        print("nonresource", v, url)
for g in r.get("apiGroups", [""]) if "resources" in r else []:
    for res in r["resources"]:
        res, _, sub = res.partition("/")
        for name in r.get("resourceNames", ["-"]):
            for v in r["verbs"]:
                # "-" for empty fields, so that `read` keeps the columns
                print(v, g or "-", res, sub or "-", name, ns)
PY
  )
  ((n > 0))
}

# Baseline: with the full roles the probe must pass for every rule, or its failure below
# would prove nothing.
while read -r case; do
  export RBAC_ROLE_KIND="$(jq -r .kind <<<"$case")" RBAC_ROLE_NAME="$(jq -r .name <<<"$case")"
  export RBAC_ROLE_NAMESPACE="$(jq -r .namespace <<<"$case")" RBAC_RULE="$(jq -c .rule <<<"$case")"
  if [[ -n "$probe" ]]; then bash -c "$probe" >"$E2E_TMP/probe.out" 2>&1 && ok=1 || ok=0; else default_probe && ok=1 || ok=0; fi
  ((ok)) || { fail "baseline: the probe fails with the full roles (rule $RBAC_RULE): $(cat "$E2E_TMP/probe.out" 2>/dev/null)"; finish; exit 1; }
  [[ -z "$probe" ]] || break # one baseline run of an expensive probe is enough
done <"$E2E_TMP/cases.jsonl"
pass "baseline: the probe passes with the roles of deploy/"


n=0
while read -r case; do
  n=$((n + 1))
  kind="$(jq -r .kind <<<"$case")"
  name="$(jq -r .name <<<"$case")"
  namespace="$(jq -r .namespace <<<"$case")"
  rule="$(jq -c .rule <<<"$case")"
  if ! jq .reduced <<<"$case" | kubectl replace -f - >/dev/null; then
    fail "could not replace $kind $name with the reduced role"
    continue
  fi
  export RBAC_ROLE_KIND="$kind" RBAC_ROLE_NAME="$name" RBAC_ROLE_NAMESPACE="$namespace" RBAC_RULE="$rule"
  if [[ -n "$probe" ]]; then
    if bash -c "$probe" >"$E2E_TMP/probe.out" 2>&1; then still=1; else still=0; fi
  else
    if default_probe; then still=1; else still=0; fi
  fi
  jq .original <<<"$case" | kubectl replace -f - >/dev/null
  if ((still)); then
    fail "$kind $name${namespace:+ ($namespace)}: the probe still passes without rule $rule: it is not needed"
  else
    pass "$kind $name${namespace:+ ($namespace)}: without rule $rule the probe fails${probe:+: $(grep -m1 -o 'approver_probe: [^(]*' "$E2E_TMP/probe.out" || head -c 120 "$E2E_TMP/probe.out")}"
  fi
done <"$E2E_TMP/cases.jsonl"
((n > 0)) || fail "no Role or ClusterRole rules found in deploy/"
finish

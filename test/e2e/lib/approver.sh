# Helpers around the approver under test, for the join and attack e2e scripts. Sourced
# after test/e2e/lib.sh.
# shellcheck shell=bash

# fresh_approver NAME [ARGS...]: starts the approver after removing a Lease a killed
# earlier run may have left (deploy/'s RBAC allows only the default Lease name, so every
# test uses it), with fast API discovery; waits until it leads.
fresh_approver() {
  local name="$1"
  shift
  kubectl -n node-csr-approver delete lease node-csr-approver --ignore-not-found >/dev/null
  start_approver "$name" --discovery-seconds 2 "$@" || return 1
  wait_for 30 is_leader "$name"
}

is_leader() { [[ "$(metric_sum "$1" node_csr_approver_is_leader)" == 1 ]]; }

# metric_sum APPROVER METRIC [LABEL=\"VALUE\"...]: the sum of METRIC's samples whose labels
# include every given pair (e.g. 'outcome="approve"'), as an integer; 0 when none.
metric_sum() {
  local name="$1" metric="$2"
  shift 2
  scrape_metrics "$name" | awk -v m="$metric" -v pats="$*" '
    BEGIN { k = split(pats, p, " ") }
    $1 == m || index($1, m "{") == 1 {
      ok = 1
      for (i = 1; i <= k; i++) if (index($1, p[i]) == 0) ok = 0
      if (ok) s += $NF
    }
    END { printf "%d\n", s }'
}

# expect_metric APPROVER WANT METRIC [LABELS...]: pass/fail on metric_sum == WANT.
expect_metric() {
  local name="$1" want="$2" got
  shift 2
  got="$(metric_sum "$name" "$@")"
  if [[ "$got" == "$want" ]]; then
    pass "metric $* = $want"
  else
    fail "metric $* = $got, want $want"
  fi
}

# pending_gauge_zero APPROVER: both kubelet signers' pending gauges are 0.
pending_gauge_zero() { [[ "$(metric_sum "$1" node_csr_approver_pending_csrs)" == 0 ]]; }

# csrs_issued NAME...: every named CSR is Approved, has a certificate and no Failed or
# Denied condition. Prints the offenders.
csrs_issued() {
  kubectl get csr "$@" -o json | python3 -c '
import json, sys
bad = []
for c in json.load(sys.stdin)["items"]:
    types = [x["type"] for x in c.get("status", {}).get("conditions", [])]
    if "Approved" not in types or "Failed" in types or "Denied" in types \
            or not c.get("status", {}).get("certificate"):
        bad.append("%s %s" % (c["metadata"]["name"], types))
print("\n".join(bad))
sys.exit(1 if bad else 0)'
}

# csr_events: "CSR-NAME REASON-CODE" per Event the approver recorded on a CSR (in default).
csr_events() {
  kubectl get events -n default --field-selector involvedObject.kind=CertificateSigningRequest \
    -o jsonpath='{range .items[*]}{.involvedObject.name}{" "}{.reason}{" "}{.message}{"\n"}{end}' |
    awk '{ sub(/:$/, "", $3); print $1, $2, $3 }'
}

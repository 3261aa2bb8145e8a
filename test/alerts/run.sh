#!/usr/bin/env bash
# Alert rule tests: promtool syntax check of the source and of the generated
# PrometheusRule, promtool unit tests (each alert fires and stays silent), generated
# copies in sync, every runbook_url anchor present in docs/operations.md, every metric
# name used by rules and dashboards documented there. Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
command -v promtool >/dev/null || { echo "test/alerts: promtool is required (Debian package prometheus)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
step() { echo "== $*"; }

step "promtool check rules manifests/alerts/rules.yaml"
promtool check rules manifests/alerts/rules.yaml || fail=1

step "promtool check rules on manifests/prometheusrule.yaml's spec"
python3 - manifests/prometheusrule.yaml "$tmp/spec.yaml" <<'PY' || fail=1
import sys, yaml
obj = yaml.safe_load(open(sys.argv[1]))
assert obj["kind"] == "PrometheusRule", obj["kind"]
yaml.safe_dump(obj["spec"], open(sys.argv[2], "w"))
PY
promtool check rules "$tmp/spec.yaml" || fail=1

step "promtool test rules test/alerts/rules_test.yaml"
promtool test rules test/alerts/rules_test.yaml || fail=1

step "every alert tested firing and silent"
python3 test/alerts/coverage.py manifests/alerts/rules.yaml test/alerts/rules_test.yaml || fail=1

step "generated copies up to date"
manifests/generate.sh --check || fail=1

step "runbook_url anchors exist in docs/operations.md"
python3 - manifests/alerts/rules.yaml docs/operations.md <<'PY' || fail=1
import re, sys, yaml
rules = yaml.safe_load(open(sys.argv[1]))
doc = open(sys.argv[2]).read()
# GitHub heading anchors: lower-case, punctuation dropped, spaces to dashes.
anchors = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
           for h in re.findall(r"^#+ (.*)$", doc, re.M)}
bad = 0
for g in rules["groups"]:
    for r in g["rules"]:
        url = r.get("annotations", {}).get("runbook_url", "")
        frag = url.split("#", 1)[1] if "#" in url else ""
        if not url.split("#")[0].endswith("docs/operations.md") or frag not in anchors:
            print(f"runbook: {r['alert']}: {url!r} has no section in docs/operations.md", file=sys.stderr)
            bad = 1
print("runbook: every runbook_url resolves" if not bad else "", end="\n" if not bad else "")
sys.exit(bad)
PY

step "metric names used by rules and dashboards are documented"
python3 test/alerts/metric_names.py --docs docs/operations.md manifests/alerts/rules.yaml manifests/dashboards/*.json || fail=1

step "metric_names.py --scrape accepts a complete scrape and rejects one missing a metric"
# A synthetic scrape in the text format, built from the documented names (histograms
# as _bucket/_sum/_count): the checker used against the live /metrics must tell apart.
python3 - docs/operations.md "$tmp/full.txt" "$tmp/partial.txt" <<'PY' || fail=1
import re, sys
doc = open(sys.argv[1]).read()
rows = re.findall(r"^\| `(node_csr_approver_[a-z0-9_]+)` \| (\w+) \|", doc, re.M)
assert len(rows) == 22, f"expected 22 documented metrics, found {len(rows)}"
def scrape(skip):
    out = []
    for name, kind in rows:
        if name == skip:
            continue
        out.append(f"# TYPE {name} {kind}")
        if kind == "histogram":
            out += [f'{name}_bucket{{le="+Inf"}} 1', f"{name}_sum 0.1", f"{name}_count 1"]
        else:
            out.append(f"{name} 1")
    return "\n".join(out) + "\n"
open(sys.argv[2], "w").write(scrape(None))
open(sys.argv[3], "w").write(scrape("node_csr_approver_is_leader"))
PY
python3 test/alerts/metric_names.py --scrape "$tmp/full.txt" manifests/alerts/rules.yaml manifests/dashboards/*.json || fail=1
if python3 test/alerts/metric_names.py --scrape "$tmp/partial.txt" manifests/alerts/rules.yaml manifests/dashboards/*.json 2>/dev/null; then
  echo "metric_names.py did not notice node_csr_approver_is_leader missing from a scrape" >&2
  fail=1
fi

if ((fail)); then
  echo "test/alerts: FAILED" >&2
  exit 1
fi
echo "test/alerts: all passed"

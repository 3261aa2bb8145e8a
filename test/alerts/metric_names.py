#!/usr/bin/env python3
"""Checks the node_csr_approver_* metric names that alerts and dashboards use.

usage: metric_names.py --docs OPERATIONS.md FILE...
       metric_names.py --scrape METRICS.txt FILE...

FILE... are rule files, PrometheusRules or dashboard JSON: every node_csr_approver_*
name in them (histogram _bucket/_sum/_count suffixes stripped) must be documented in
OPERATIONS.md (a `node_csr_approver_NAME` in backquotes), or, with --scrape, present in
a Prometheus text-format scrape of /metrics (e.g. `curl -s localhost:9090/metrics`).
The e2e suite runs the --scrape form against a live approver.
"""
import re
import sys

NAME = re.compile(r"\bnode_csr_approver_[a-z0-9_]+")
HIST = ("_bucket", "_sum", "_count")


def base(name: str, histograms: set) -> str:
    for s in HIST:
        if name.endswith(s) and name[: -len(s)] in histograms:
            return name[: -len(s)]
    return name


def used_names(files, histograms):
    out = {}
    for path in files:
        with open(path) as f:
            for n in NAME.findall(f.read()):
                out.setdefault(base(n, histograms), set()).add(path)
    return out


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[1] not in ("--docs", "--scrape"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, ref, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(ref) as f:
        text = f.read()
    if mode == "--docs":
        known = set(re.findall(r"`(node_csr_approver_[a-z0-9_]+)`", text))
        histograms = {n for n in known if n.endswith("_seconds")}
    else:
        known = set()
        histograms = set()
        for line in text.splitlines():
            m = re.match(r"# TYPE (node_csr_approver_[a-z0-9_]+) (\w+)", line)
            if m:
                known.add(m.group(1))
                if m.group(2) in ("histogram", "summary"):
                    histograms.add(m.group(1))
            elif line and not line.startswith("#"):
                known.add(base(re.split(r"[{ ]", line, maxsplit=1)[0], histograms))
    used = used_names(files, histograms)
    missing = {n: p for n, p in used.items() if n not in known}
    for n, paths in sorted(missing.items()):
        print(f"metric_names: {n} (used in {', '.join(sorted(paths))}) not in {ref}", file=sys.stderr)
    if not used:
        print("metric_names: no node_csr_approver_* name found in the files", file=sys.stderr)
        return 1
    if not missing:
        print(f"metric_names: all {len(used)} metric names used are in {ref}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Checks that every alert in a rule file is unit-tested both ways.

usage: coverage.py RULES.yaml TESTS.yaml

For each alert of RULES, TESTS must hold at least one alert_rule_test where it fires
(non-empty exp_alerts) and one where it stays silent (empty exp_alerts); a test case
naming an alert that does not exist is an error too. Exit 1 with a list otherwise.
"""
import sys

import yaml


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        rules = yaml.safe_load(f)
    with open(sys.argv[2]) as f:
        tests = yaml.safe_load(f)
    alerts = {r["alert"] for g in rules["groups"] for r in g["rules"] if "alert" in r}
    fires, silent = set(), set()
    problems = []
    for case in tests.get("tests", []):
        for t in case.get("alert_rule_test", []):
            name = t["alertname"]
            if name not in alerts:
                problems.append(f"test case {case.get('name', '?')!r} names unknown alert {name}")
            (fires if t.get("exp_alerts") else silent).add(name)
    for a in sorted(alerts):
        if a not in fires:
            problems.append(f"{a}: no test where it fires")
        if a not in silent:
            problems.append(f"{a}: no test where it stays silent")
    for p in problems:
        print(f"coverage: {p}", file=sys.stderr)
    if not problems:
        print(f"coverage: {len(alerts)} alerts, each tested firing and silent")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

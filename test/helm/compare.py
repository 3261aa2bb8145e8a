#!/usr/bin/env python3
"""Compares what deploy/ and a rendered chart install.

usage: compare.py rbac    DEPLOY_DIR RENDERED.yaml
       compare.py objects DEPLOY_DIR RENDERED.yaml

rbac:    the effective rights of the approver's ServiceAccount must be identical: every
         Role/ClusterRole reached through a binding to the ServiceAccount is expanded into
         atomic grants (scope, apiGroup, resource, resourceName, verb), so the check does
         not care how rules are grouped or roles named, only what is granted and where.
objects: every object of deploy/ except the Namespace (the chart leaves namespaces to
         `helm install -n`) exists in the render with the same kind, namespace and name
         and an identical body, once Helm's bookkeeping labels are removed (ConfigMaps:
         the same data keys; the chart renders the policy from values).
Exit 1 with the differences listed.
"""
import glob
import os
import sys

import yaml

HELM_LABELS = {"app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "helm.sh/chart"}


def load(path):
    files = sorted(glob.glob(os.path.join(path, "*.yaml"))) if os.path.isdir(path) else [path]
    docs = []
    for f in files:
        with open(f) as fh:
            docs += [d for d in yaml.safe_load_all(fh) if d]
    return docs


def sa_of(docs):
    sas = [d for d in docs if d["kind"] == "ServiceAccount"]
    if len(sas) != 1:
        sys.exit(f"compare: expected one ServiceAccount, found {len(sas)}")
    return sas[0]["metadata"]["namespace"], sas[0]["metadata"]["name"]


def grants(docs):
    ns, name = sa_of(docs)
    roles = {}
    for d in docs:
        if d["kind"] == "ClusterRole":
            roles[("ClusterRole", None, d["metadata"]["name"])] = d.get("rules") or []
        elif d["kind"] == "Role":
            roles[("Role", d["metadata"]["namespace"], d["metadata"]["name"])] = d.get("rules") or []
    out = set()
    for b in docs:
        if b["kind"] not in ("ClusterRoleBinding", "RoleBinding"):
            continue
        if not any(s.get("kind") == "ServiceAccount" and s.get("name") == name and s.get("namespace") == ns
                   for s in b.get("subjects") or []):
            continue
        bns = b["metadata"].get("namespace") if b["kind"] == "RoleBinding" else None
        ref = b["roleRef"]
        key = (ref["kind"], bns if ref["kind"] == "Role" else None, ref["name"])
        if key not in roles:
            sys.exit(f"compare: {b['kind']} {b['metadata']['name']} refers to missing {key}")
        scope = "cluster" if bns is None else f"namespace/{bns}"
        for r in roles[key]:
            for g in r.get("apiGroups") or [""]:
                for res in r.get("resources") or []:
                    for rn in r.get("resourceNames") or ["*"]:
                        for v in r.get("verbs") or []:
                            out.add((scope, g or "core", res, rn, v))
            for url in r.get("nonResourceURLs") or []:
                for v in r.get("verbs") or []:
                    out.add((scope, "nonResourceURL", url, "*", v))
    return out


def strip(obj):
    if isinstance(obj, dict):
        return {k: strip(v) for k, v in obj.items() if k not in HELM_LABELS}
    if isinstance(obj, list):
        return [strip(v) for v in obj]
    return obj


def body(d):
    d = strip(d)
    meta = d.get("metadata", {})
    d["metadata"] = {k: meta[k] for k in ("name", "namespace") if k in meta}
    if d["kind"] == "ConfigMap":
        d["data"] = sorted((d.get("data") or {}).keys())
    return d


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("rbac", "objects"):
        print(__doc__, file=sys.stderr)
        return 2
    a, b = load(sys.argv[2]), load(sys.argv[3])
    problems = []
    if sys.argv[1] == "rbac":
        ga, gb = grants(a), grants(b)
        for g in sorted(ga - gb):
            problems.append(f"only deploy/ grants {g}")
        for g in sorted(gb - ga):
            problems.append(f"only the chart grants {g}")
        if not ga:
            problems.append("deploy/ grants nothing to its ServiceAccount")
        if not problems:
            print(f"compare rbac: identical, {len(ga)} atomic grants")
    else:
        def key(d):
            return (d["kind"], d["metadata"].get("namespace"), d["metadata"]["name"])
        rendered = {key(d): body(d) for d in b}
        n = 0
        for d in a:
            if d["kind"] == "Namespace":
                continue
            n += 1
            k = key(d)
            if k not in rendered:
                problems.append(f"{k} is in deploy/ but not rendered by the chart")
            elif body(d) != rendered[k]:
                problems.append(f"{k} differs:\n--- deploy/\n{yaml.safe_dump(body(d))}--- chart\n{yaml.safe_dump(rendered[k])}")
        if not problems:
            print(f"compare objects: all {n} objects of deploy/ rendered identically")
    for p in problems:
        print(f"compare: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

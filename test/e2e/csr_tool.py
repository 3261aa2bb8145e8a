#!/usr/bin/env python3
"""CSR load and observation tool for the e2e tests and benchmarks (stdlib only).

Talks to the test cluster's API server over one keep-alive HTTPS connection with the admin
client certificate, so bursts are not limited by process start-up:

  create  PREFIX FIRST LAST DIR   creates serving CSRs PREFIX-i from DIR/PREFIX-i.csr as
                                  system:node:PREFIX-i (admin impersonation: the API server
                                  stamps the impersonated user into spec.username/groups);
                                  retries through API server outages; prints "name t_sent".
                                  Each carries the label csr-tool/prefix=PREFIX.
                                  $CSR_TOOL_RATE (CSRs/s, default 0 = back to back) paces
                                  the sends on a fixed schedule from the first one.
  watch   PREFIX COUNT [--issued] prints "name t_added t_approved t_issued" once COUNT CSRs
                                  named PREFIX-* have been seen Approved (and issued, with
                                  --issued), times as seen by this watcher; CSRs already
                                  decided when it starts are not counted.
  floor   PREFIX                  the benchmark floor: approves every pending CSR named
                                  PREFIX-* as soon as it is seen, with no checks at all.
  status  PREFIX                  one line of counts for CSRs named PREFIX-*.
  delete  PREFIX                  deletes the CSRs `create` filed for PREFIX in one request
                                  (a collection DELETE on their label) and waits, at most
                                  60 s, until none is listed.
  approvals PREFIX                one line per CSR named PREFIX-*: "name approvals writer
                                  decided": how many Approved conditions it has, the replica
                                  named by the first one's message ("[by replica X]", "-" if
                                  none) and when that replica decided (the condition's
                                  lastUpdateTime, the writer's clock, as whole Unix seconds;
                                  "-" if none).

watch and floor create the file named by $CSR_TOOL_READY once their watch is established.
Times are CLOCK_MONOTONIC seconds (time.monotonic), comparable across processes.
Connection settings come from NCA_CLUSTER_DIR (env: NCA_APISERVER_PORT, pki/admin.*).
"""
import base64
import http.client
import json
import os
import signal
import ssl
import sys
import time

GROUP = "/apis/certificates.k8s.io/v1/certificatesigningrequests"
PREFIX_LABEL = "csr-tool/prefix"


def cluster():
    d = os.environ["NCA_CLUSTER_DIR"]
    port = None
    with open(os.path.join(d, "env")) as f:
        for line in f:
            if line.startswith("NCA_APISERVER_PORT="):
                port = int(line.strip().split("=", 1)[1])
    ctx = ssl.create_default_context(cafile=os.path.join(d, "pki/ca.crt"))
    ctx.load_cert_chain(os.path.join(d, "pki/admin.crt"), os.path.join(d, "pki/admin.key"))
    return port, ctx


class Api:
    """One keep-alive connection; reconnects after errors."""

    def __init__(self, timeout=10):
        self.port, self.ctx = cluster()
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPSConnection(
                "127.0.0.1", self.port, context=self.ctx, timeout=self.timeout)
        h = {"Accept": "application/json"}
        if body is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        try:
            self.conn.request(method, path, body=json.dumps(body) if body is not None else None,
                              headers=h)
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        return resp.status, json.loads(data) if data else {}

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def csr_state(obj):
    conds = obj.get("status", {}).get("conditions") or []
    types = [c.get("type") for c in conds]
    return types, bool(obj.get("status", {}).get("certificate"))


def cmd_create(prefix, first, last, directory):
    api = Api()
    rate = float(os.environ.get("CSR_TOOL_RATE", "0") or 0)
    start = time.monotonic()
    for i in range(int(first), int(last) + 1):
        name = f"{prefix}-{i}"
        if rate > 0:  # a fixed schedule: a slow send is not made up by a faster rate
            due = start + (i - int(first)) / rate
            if due > time.monotonic():
                time.sleep(due - time.monotonic())
        with open(os.path.join(directory, name + ".csr"), "rb") as f:
            request = base64.b64encode(f.read()).decode()
        body = {"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
                "metadata": {"name": name, "labels": {PREFIX_LABEL: prefix}},
                "spec": {"signerName": "kubernetes.io/kubelet-serving",
                         "usages": ["digital signature", "server auth"], "request": request}}
        headers = {"Impersonate-User": f"system:node:{name}",
                   "Impersonate-Group": "system:nodes"}
        sent = time.monotonic()
        deadline = sent + 120
        while True:
            try:
                code, resp = api.request("POST", GROUP, body, headers)
            except (OSError, http.client.HTTPException):
                code, resp = 0, {}
            if code == 201 or code == 409:  # 409: an earlier attempt got through
                break
            if code not in (0, 429, 500, 502, 503, 504) or time.monotonic() > deadline:
                sys.exit(f"create {name}: HTTP {code} {resp.get('message', '')}")
            time.sleep(0.2)
        print(f"{name} {sent:.6f}", flush=True)


def watch_events(api, path):
    """Yields (type, object) from a watch, starting with a list (type LISTED)."""
    code, lst = api.request("GET", path)
    if code != 200:
        sys.exit(f"list: HTTP {code}")
    for obj in lst.get("items", []):
        yield "LISTED", obj
    rv = lst["metadata"]["resourceVersion"]
    conn = http.client.HTTPSConnection("127.0.0.1", api.port, context=api.ctx)
    conn.request("GET", f"{path}?watch=1&resourceVersion={rv}&allowWatchBookmarks=false")
    resp = conn.getresponse()
    if resp.status != 200:
        sys.exit(f"watch: HTTP {resp.status}")
    if os.environ.get("CSR_TOOL_READY"):  # tells the caller the watch is established
        open(os.environ["CSR_TOOL_READY"], "w").close()
    while True:
        line = resp.readline()
        if not line:
            sys.exit("watch ended")
        ev = json.loads(line)
        yield ev["type"], ev["object"]


def cmd_watch(prefix, count, want_issued):
    count = int(count)
    seen = {}  # name -> [added, approved, issued]
    done = 0
    for kind, obj in watch_events(Api(), GROUP):
        now = time.monotonic()
        name = obj["metadata"]["name"]
        if not name.startswith(prefix + "-"):
            continue
        if kind == "LISTED" and csr_state(obj)[0]:
            continue  # decided before we started: an earlier round's
        t = seen.setdefault(name, [now, None, None])
        types, issued = csr_state(obj)
        was_done = t[1] is not None and (t[2] is not None or not want_issued)
        if "Approved" in types and t[1] is None:
            t[1] = now
        if issued and t[2] is None:
            t[2] = now
        if not was_done and t[1] is not None and (t[2] is not None or not want_issued):
            done += 1
        if done >= count:
            break
    for name, (a, b, c) in sorted(seen.items()):
        print(f"{name} {a:.6f} {b or 0:.6f} {c or 0:.6f}")


def cmd_floor(prefix):
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # even mid-read
    writer = Api()
    approved = set()
    for _, obj in watch_events(Api(), GROUP):
        name = obj["metadata"]["name"]
        if not name.startswith(prefix + "-") or name in approved:
            continue
        if csr_state(obj)[0]:
            continue
        obj.setdefault("status", {}).setdefault("conditions", []).append(
            {"type": "Approved", "status": "True", "reason": "BenchmarkFloor",
             "message": "approved without checks"})
        for _ in range(3):  # the API server may close an idle keep-alive connection
            try:
                code, _ = writer.request("PUT", f"{GROUP}/{name}/approval", obj)
                break
            except (OSError, http.client.HTTPException):
                code = 0
        if code == 200:
            approved.add(name)


def cmd_status(prefix):
    code, lst = Api().request("GET", GROUP)
    if code != 200:
        sys.exit(f"list: HTTP {code}")
    n = approved = issued = denied = failed = multi = wrong_user = 0
    for obj in lst.get("items", []):
        name = obj["metadata"]["name"]
        if not name.startswith(prefix + "-"):
            continue
        n += 1
        types, has_cert = csr_state(obj)
        approved += "Approved" in types
        issued += has_cert
        denied += "Denied" in types
        failed += "Failed" in types
        multi += types.count("Approved") > 1
        spec = obj["spec"]
        wrong_user += (spec.get("username") != f"system:node:{name}" or
                       "system:nodes" not in spec.get("groups", []) or
                       "system:authenticated" not in spec.get("groups", []))
    print(f"total={n} approved={approved} issued={issued} denied={denied} failed={failed} "
          f"approved_twice={multi} wrong_requester={wrong_user}")


def cmd_delete(prefix):
    api = Api(timeout=60)
    selector = f"?labelSelector={PREFIX_LABEL}%3D{prefix}"
    code, resp = api.request("DELETE", GROUP + selector)
    if code != 200:
        sys.exit(f"delete {prefix}: HTTP {code} {resp.get('message', '')}")
    deadline = time.monotonic() + 60
    while True:
        code, lst = api.request("GET", GROUP + selector + "&limit=1")
        if code == 200 and not lst.get("items"):
            return
        if time.monotonic() > deadline:
            sys.exit(f"delete {prefix}: CSRs still listed after 60 s")
        time.sleep(0.1)


def unix_seconds(rfc3339):
    """'2026-12-02T01:02:03Z' or with fractional seconds -> Unix seconds (float)."""
    import datetime
    t = rfc3339.replace("Z", "+00:00")
    return datetime.datetime.fromisoformat(t).timestamp()


def cmd_approvals(prefix):
    code, lst = Api().request("GET", GROUP)
    if code != 200:
        sys.exit(f"list: HTTP {code}")
    for obj in sorted(lst.get("items", []), key=lambda o: o["metadata"]["name"]):
        name = obj["metadata"]["name"]
        if not name.startswith(prefix + "-"):
            continue
        approved = [c for c in obj.get("status", {}).get("conditions") or []
                    if c.get("type") == "Approved"]
        writer, decided = "-", "-"
        if approved:
            msg = approved[0].get("message", "")
            marker = msg.rfind("[by replica ")
            if marker >= 0 and msg.endswith("]"):
                writer = msg[marker + len("[by replica "):-1]
            if approved[0].get("lastUpdateTime"):
                decided = "%.0f" % unix_seconds(approved[0]["lastUpdateTime"])
        print(f"{name} {len(approved)} {writer} {decided}")


def main():
    args = sys.argv[1:]
    cmds = {"create": (cmd_create, 4), "floor": (cmd_floor, 1), "status": (cmd_status, 1),
            "approvals": (cmd_approvals, 1), "delete": (cmd_delete, 1)}
    if args and args[0] == "watch" and len(args) in (3, 4):
        want_issued = len(args) == 4 and args[3] == "--issued"
        return cmd_watch(args[1], args[2], want_issued)
    if not args or args[0] not in cmds or len(args) - 1 != cmds[args[0]][1]:
        sys.exit(__doc__)
    cmds[args[0]][0](*args[1:])


if __name__ == "__main__":
    main()

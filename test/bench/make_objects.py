#!/usr/bin/env python3
"""Creates N realistic Nodes (with status), Metal3 BareMetalHosts (with status) or CSRs
on a test cluster, in parallel.

  make_objects.py --dir CLUSTER_DIR --kind nodes|bmhs|csrs --count N [--workers 8]

POSTs straight to the API server with the admin client certificate (test/cluster layout:
DIR/env, DIR/pki/{ca.crt,admin.crt,admin.key}): kubectl creates List items one request
at a time, which is too slow for 10,000 objects. Nodes are created with their status
(the Node create strategy keeps it, as a kubelet registering does); the caller checks.
BareMetalHosts go to namespace "bench-bmh" (which must exist, as must their CRD): POSTed,
then their status PUT through the status subresource (a create drops it), shaped like an
inspected, provisioned host (hardware details, 4 NICs, storage, CPU, firmware).
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import ssl
import subprocess
import tempfile
import threading

def env(cluster_dir):
    out = {}
    with open(os.path.join(cluster_dir, "env")) as f:
        for line in f:
            k, _, v = line.strip().partition("=")
            out[k] = v
    return out

def node(i):
    name = f"bench-node-{i:05d}"
    zone = f"zone-{i % 3}"
    images = [{
        "names": [f"registry.example.com/team-{k % 7}/image-{k:02d}@sha256:{(i * 131 + k):064x}",
                  f"registry.example.com/team-{k % 7}/image-{k:02d}:v1.{k}.{i % 10}"],
        "sizeBytes": 10_000_000 + k * 1_234_567,
    } for k in range(50)]
    def cond(t, status, reason, msg):
        return {"type": t, "status": status, "lastHeartbeatTime": "2026-11-23T14:00:00Z",
                "lastTransitionTime": "2026-11-20T09:00:00Z", "reason": reason, "message": msg}
    res = {"cpu": "16", "ephemeral-storage": "203070420Ki", "hugepages-1Gi": "0",
           "hugepages-2Mi": "0", "memory": "65843164Ki", "pods": "110"}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "labels": {
            "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux", "node-role.kubernetes.io/worker": "",
            "node.kubernetes.io/instance-type": "m5.4xlarge",
            "topology.kubernetes.io/region": "eu-west-1", "topology.kubernetes.io/zone": zone},
            "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                            "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
        "spec": {"podCIDR": f"10.{(i >> 8) & 255}.{i & 255}.0/24",
                 "podCIDRs": [f"10.{(i >> 8) & 255}.{i & 255}.0/24"],
                 "providerID": f"aws:///eu-west-1a/i-{i:017x}"},
        "status": {
            "addresses": [{"type": "InternalIP", "address": f"10.0.{(i >> 8) & 255}.{i & 255}"},
                          {"type": "ExternalIP", "address": f"203.0.{(i >> 8) & 255}.{i & 255}"},
                          {"type": "Hostname", "address": name},
                          {"type": "InternalDNS", "address": f"{name}.eu-west-1.compute.internal"}],
            "capacity": res, "allocatable": dict(res, cpu="15890m", memory="64692188Ki"),
            "conditions": [
                cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                cond("NetworkUnavailable", "False", "RouteCreated", "RouteController created a route"),
                cond("Ready", "True", "KubeletReady", "kubelet is posting ready status")],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {"machineID": f"{i:032x}", "systemUUID": f"ec2{i:05d}-0000-0000-0000-000000000000",
                         "bootID": f"{i * 7:08x}-1111-2222-3333-444444444444",
                         "kernelVersion": "6.1.112-124.190.amzn2023.x86_64",
                         "osImage": "Amazon Linux 2023.6.20241010", "containerRuntimeVersion": "containerd://1.7.22",
                         "kubeletVersion": "v1.36.3", "kubeProxyVersion": "v1.36.3",
                         "operatingSystem": "linux", "architecture": "amd64"},
            "images": images,
        },
    }

def bmh(i):
    name = f"bench-host-{i:05d}"
    nics = [{"name": f"eno{k + 1}", "mac": f"52:54:00:{(i >> 8) & 255:02x}:{i & 255:02x}:{k:02x}",
             "ip": f"10.{k}.{(i >> 8) & 255}.{i & 255}", "model": "0x8086 0x1572", "speedGbps": 25,
             "pxe": k == 0, "vlanId": 0, "vlans": []} for k in range(4)]
    disks = [{"name": f"/dev/sd{chr(97 + k)}", "model": "PERC H730P", "vendor": "DELL",
              "serialNumber": f"{i:08x}{k:04x}ffff", "sizeBytes": 959656755200, "rotational": False,
              "hctl": f"0:2:{k}:0", "wwn": f"0x6d0946606f{i:06x}{k:02x}",
              "wwnWithExtension": f"0x6d0946606f{i:06x}{k:02x}6e7d"} for k in range(3)]
    return {
        "apiVersion": "metal3.io/v1alpha1", "kind": "BareMetalHost",
        "metadata": {"name": name, "namespace": "bench-bmh",
                     "labels": {"infraenvs.agent-install.openshift.io": "bench", "rack": f"r{i % 40:02d}"},
                     "annotations": {"inspect.metal3.io": "", "bmac.agent-install.openshift.io/role": "worker"}},
        "spec": {"online": True, "bootMACAddress": nics[0]["mac"], "automatedCleaningMode": "metadata",
                 "bmc": {"address": f"redfish-virtualmedia://10.250.{(i >> 8) & 255}.{i & 255}/redfish/v1/Systems/1",
                         "credentialsName": f"{name}-bmc-secret", "disableCertificateVerification": True},
                 "rootDeviceHints": {"deviceName": "/dev/sda"},
                 "consumerRef": {"apiVersion": "machine.openshift.io/v1beta1", "kind": "Machine",
                                 "name": f"bench-worker-{i:05d}", "namespace": "openshift-machine-api"}},
        "status": {
            "operationalStatus": "OK", "errorMessage": "", "errorType": "", "errorCount": 0,
            "goodCredentials": {"credentials": {"name": f"{name}-bmc-secret", "namespace": "bench-bmh"},
                                "credentialsVersion": str(1000 + i)},
            "hardwareProfile": "unknown", "lastUpdated": "2026-11-23T14:00:00Z", "poweredOn": True,
            "operationHistory": {s: {"start": "2026-11-20T09:00:00Z", "end": "2026-11-20T09:10:00Z"}
                                 for s in ("register", "inspect", "provision", "deprovision")},
            "provisioning": {"ID": f"{i:08x}-aaaa-bbbb-cccc-{i:012x}", "bootMode": "UEFI",
                             "state": "provisioned", "rootDeviceHints": {"deviceName": "/dev/sda"},
                             "image": {"url": "http://images.example.com/rhcos-4.16.iso", "format": "live-iso"}},
            "triedCredentials": {"credentials": {"name": f"{name}-bmc-secret", "namespace": "bench-bmh"},
                                 "credentialsVersion": str(1000 + i)},
            "hardware": {
                "hostname": name, "nics": nics, "storage": disks, "ramMebibytes": 393216,
                "cpu": {"arch": "x86_64", "model": "Intel(R) Xeon(R) Gold 6338N CPU @ 2.20GHz",
                        "clockMegahertz": 2200, "count": 64,
                        "flags": ["aes", "avx", "avx2", "avx512bw", "avx512cd", "avx512dq", "avx512f",
                                  "avx512vl", "fma", "sse4_1", "sse4_2", "ssse3", "vmx", "x2apic"]},
                "firmware": {"bios": {"date": "06/14/2024", "vendor": "Dell Inc.", "version": "1.14.1"}},
                "systemVendor": {"manufacturer": "Dell Inc.", "productName": "PowerEdge R650 (SKU=0A6C)",
                                 "serialNumber": f"SVC{i:05d}"}},
        },
    }

def csr_request_pem():
    with tempfile.TemporaryDirectory() as d:
        key = os.path.join(d, "k")
        subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key],
                       check=True, capture_output=True)
        return subprocess.run(
            ["openssl", "req", "-new", "-key", key, "-subj", "/O=system:nodes/CN=system:node:bench-node-00000",
             "-addext", "subjectAltName=DNS:bench-node-00000,IP:10.0.0.0"],
            check=True, capture_output=True).stdout

def csr(i, pem_b64):
    return {"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
            "metadata": {"name": f"bench-csr-{i:05d}"},
            "spec": {"request": pem_b64, "signerName": "kubernetes.io/kubelet-serving",
                     "usages": ["digital signature", "server auth"]}}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--kind", choices=["nodes", "bmhs", "csrs"], required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--workers", type=int, default=8)
    a = ap.parse_args()
    port = int(env(a.dir)["NCA_APISERVER_PORT"])
    pki = os.path.join(a.dir, "pki")
    ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.crt"))
    ctx.load_cert_chain(os.path.join(pki, "admin.crt"), os.path.join(pki, "admin.key"))
    local = threading.local()
    if a.kind == "nodes":
        path, make = "/api/v1/nodes", node
    elif a.kind == "bmhs":
        path, make = "/apis/metal3.io/v1alpha1/namespaces/bench-bmh/baremetalhosts", bmh
    else:
        import base64
        pem = base64.b64encode(csr_request_pem()).decode()
        path, make = "/apis/certificates.k8s.io/v1/certificatesigningrequests", lambda i: csr(i, pem)

    def post(i):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx)
        obj = make(i)
        local.conn.request("POST", path, json.dumps(obj), {"Content-Type": "application/json"})
        r = local.conn.getresponse()
        data = r.read()
        if r.status not in (201, 409):
            raise RuntimeError(f"{a.kind} {i}: HTTP {r.status}: {data[:300]!r}")
        if a.kind == "bmhs" and r.status == 201:
            # The status subresource: a create drops status, a PUT to /status sets it.
            obj["metadata"] = json.loads(data)["metadata"]
            url = f"{path}/{obj['metadata']['name']}/status"
            local.conn.request("PUT", url, json.dumps(obj), {"Content-Type": "application/json"})
            r = local.conn.getresponse()
            data = r.read()
            if r.status != 200:
                raise RuntimeError(f"{a.kind} {i} status: HTTP {r.status}: {data[:300]!r}")

    with concurrent.futures.ThreadPoolExecutor(a.workers) as pool:
        for _ in pool.map(post, range(a.count)):
            pass

if __name__ == "__main__":
    main()

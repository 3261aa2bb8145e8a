// Serving table rows for rule serving.cluster-internal: every forbidden name and address
// class, both when only the Node reports it (trustNodeAddresses: auto with no inventory
// source, the default install: approved before the rule existed) and when an inventory
// source vouches for it (still refused), plus the legitimate look-alikes that must pass.
#include "serving_case_helpers.h"

namespace nca::policy::testing {
namespace {

using namespace serving;

// The standard world's cluster network: ServiceCIDRs 10.96.0.0/12 and fd00:10:96::/112,
// Service default/kubernetes at 10.96.0.1, one API server endpoint at 192.0.2.100, pod
// CIDRs 10.244.0.0/24 (worker-0) and 10.244.1.0/24 (worker-1).
void network(World& w) {
  auto& net = w.inventory.cluster_network;
  net.service_cidrs = {{"10.96.0.0/12", "ServiceCIDR kubernetes"},
                       {"fd00:10:96::/112", "ServiceCIDR kubernetes"}};
  net.kubernetes_service_ips = {{"10.96.0.1/32", "Service default/kubernetes"}};
  net.apiserver_endpoints = {{"192.0.2.100/32", "EndpointSlice default/kubernetes"}};
  w.inventory.nodes[0].pod_cidrs = {"10.244.0.0/24"};
  w.inventory.nodes[1].pod_cidrs = {"10.244.1.0/24"};
  // As the Node decoders leave it (parsed once); worker-0's stays for the rule to parse.
  w.inventory.nodes[1].pod_prefixes = {x509::parse_prefix("10.244.1.0/24")};
}

// worker-0 reports `value` itself (status.addresses); no inventory source exists.
std::function<void(World&)> self_reported_name(std::string value) {
  return [value](World& w) {
    network(w);
    nodes_only(w);
    w.inventory.nodes[0].hostnames.push_back(value);
  };
}
std::function<void(World&)> self_reported_ip(std::string value) {
  return [value](World& w) {
    network(w);
    nodes_only(w);
    w.inventory.nodes[0].addresses.push_back(ip(value.c_str()));
  };
}
// worker-0's inventory machine lists `value`.
std::function<void(World&)> vouched_name(std::string value) {
  return [value](World& w) {
    network(w);
    w.inventory.machines[0].hostnames.push_back(value);
  };
}
std::function<void(World&)> vouched_ip(std::string value) {
  return [value](World& w) {
    network(w);
    w.inventory.machines[0].addresses.push_back(ip(value.c_str()));
  };
}

std::function<Request()> w0_dns(std::string name) {
  return [name] {
    auto r = w0();
    r.builder.dns(name);
    return r;
  };
}
std::function<Request()> w0_ip(std::string address) {
  return [address] {
    auto r = w0();
    r.builder.ip(address);
    return r;
  };
}

// The same SAN, refused both when self-reported and when vouched for.
void both(std::vector<Case>& out, const std::string& what, const std::string& reason,
          const std::string& san, bool is_ip) {
  out.push_back(refuse(what + " (self-reported, trustNodeAddresses auto, no inventory)", reason,
                       is_ip ? w0_ip(san) : w0_dns(san),
                       is_ip ? self_reported_ip(san) : self_reported_name(san)));
  out.push_back(refuse(what + " (listed by the inventory)", reason,
                       is_ip ? w0_ip(san) : w0_dns(san),
                       is_ip ? vouched_ip(san) : vouched_name(san)));
}

}  // namespace

std::vector<Case> cluster_internal_cases() {
  std::vector<Case> out;
  const std::string name = "ClusterInternalName", addr = "ClusterInternalAddress";
  // --- names ---------------------------------------------------------------------------
  both(out, "kubernetes.default.svc", name, "kubernetes.default.svc", false);
  both(out, "kubernetes", name, "kubernetes", false);
  both(out, "kubernetes.default", name, "kubernetes.default", false);
  both(out, "upper case and trailing dot", name, "KUBERNETES.Default.SVC.", false);
  both(out, "a Service under .svc", name, "api.openshift-apiserver.svc", false);
  both(out, "under .svc.<cluster domain>", name, "kubernetes.default.svc.cluster.local", false);
  both(out, "under the cluster domain", name, "pod-1.pod.cluster.local", false);
  out.push_back(refuse("wildcard under .svc: cluster-internal first", name, w0_dns("*.svc"),
                       self_reported_name("*.svc")));
  out.push_back(refuse("configured cluster domain (case and trailing dot ignored)", name,
                       w0_dns("api.corp.internal"), [](World& w) {
                         vouched_name("api.corp.internal")(w);
                         w.config.cluster_network.domain = "Corp.Internal.";
                       }));
  out.push_back(ok("cluster.local is no longer special under another domain",
                   w0_dns("worker-0.cluster.local"), [](World& w) {
                     vouched_name("worker-0.cluster.local")(w);
                     w.config.cluster_network.domain = "corp.internal";
                   }));
  out.push_back(ok("a look-alike outside the cluster domain",
                   w0_dns("worker-0.cluster.local.lab.example.com"),
                   vouched_name("worker-0.cluster.local.lab.example.com")));
  out.push_back(ok("a label ending in svc is not .svc", w0_dns("worker-0.mysvc"),
                   self_reported_name("worker-0.mysvc")));
  // --- addresses ---------------------------------------------------------------------
  both(out, "the kubernetes Service ClusterIP", addr, "10.96.0.1", true);
  both(out, "the kubernetes Service ClusterIP as v4-mapped IPv6", addr, "::ffff:10.96.0.1", true);
  both(out, "inside a ServiceCIDR", addr, "10.100.7.7", true);
  both(out, "inside an IPv6 ServiceCIDR", addr, "fd00:10:96::a", true);
  both(out, "inside another Node's pod CIDR", addr, "10.244.1.7", true);
  both(out, "inside its own pod CIDR", addr, "10.244.0.1", true);
  out.push_back(refuse("inside clusterNetwork.internalCIDRs (listed by the inventory)", addr,
                       w0_ip("198.51.100.9"), [](World& w) {
                         vouched_ip("198.51.100.9")(w);
                         w.config.cluster_network.internal_cidrs = {"198.51.100.0/24"};
                       }));
  out.push_back(refuse("inside clusterNetwork.internalCIDRs (self-reported)", addr,
                       w0_ip("198.51.100.9"), [](World& w) {
                         self_reported_ip("198.51.100.9")(w);
                         w.config.cluster_network.internal_cidrs = {"198.51.100.0/24"};
                       }));
  out.push_back(refuse("an API server endpoint, self-reported only", addr, w0_ip("192.0.2.100"),
                       self_reported_ip("192.0.2.100")));
  out.push_back(refuse("an API server endpoint, self-reported under trustNodeAddresses always",
                       addr, w0_ip("192.0.2.100"), [](World& w) {
                         network(w);
                         w.config.serving.trust_node_addresses = TrustNodeAddresses::kAlways;
                         w.inventory.nodes[0].addresses.push_back(ip("192.0.2.100"));
                       }));
  // The one exception: a control-plane machine that hosts the API server, as the
  // inventory (not the Node) says.
  out.push_back(ok("an API server endpoint the inventory lists for this node", w0_ip("192.0.2.100"),
                   vouched_ip("192.0.2.100")));
  out.push_back(refuse("loopback, self-reported", "SanIpForbiddenRange", w0_ip("127.0.0.5"),
                       self_reported_ip("127.0.0.5")));
  out.push_back(refuse("link-local, self-reported", "SanIpForbiddenRange", w0_ip("169.254.169.254"),
                       self_reported_ip("169.254.169.254")));
  out.push_back(ok("just outside the service range and the pod CIDRs", w0_ip("10.112.0.1"),
                   vouched_ip("10.112.0.1")));
  out.push_back(ok("an ordinary node, with the cluster network known", w0, network));
  out.push_back(ok("an ordinary node reporting its own address, no inventory", w0, [](World& w) {
    network(w);
    nodes_only(w);
  }));
  return out;
}

}  // namespace nca::policy::testing

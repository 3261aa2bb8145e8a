#include "world.h"

#include <stdexcept>

#include "base/time_format.h"
#include "policy/evaluate.h"
#include "x509/csr_parser.h"
#include "x509/ip_address.h"

namespace nca::policy::testing {

WallTime at(const char* rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  if (!t) throw std::runtime_error(std::string("bad time ") + rfc3339);
  return *t;
}

x509::IpAddress ip(const char* text) {
  auto v = x509::parse_ip(text);
  if (!v) throw std::runtime_error(std::string("bad ip ") + text);
  return *v;
}

inventory::Machine machine(const std::string& node_name, std::vector<std::string> hostnames,
                           std::vector<std::string> ips, bool linked,
                           std::optional<WallTime> created, inventory::Source source) {
  inventory::Machine m;
  m.source = source;
  m.name = node_name;
  m.namespace_ = source == inventory::Source::kOpenShiftMachine ? "openshift-machine-api" : "";
  m.node_name = node_name;
  m.hostnames = std::move(hostnames);
  for (const auto& text : ips) m.addresses.push_back(ip(text.c_str()));
  m.has_node_ref = linked;
  m.created = created;
  return m;
}

inventory::Machine node(const std::string& name, std::vector<std::string> hostnames,
                        std::vector<std::string> ips) {
  inventory::Machine n = machine(name, std::move(hostnames), std::move(ips), true,
                                 at("2026-11-20T10:05:00Z"), inventory::Source::kNode);
  return n;
}

namespace {
// The answer for `key` in `t`: values "TRANSIENT" / "PENDING" as documented in world.h.
LookupResult answer_of(const std::vector<std::pair<std::string, std::vector<std::string>>>& t,
                       std::string_view key, bool addresses) {
  LookupResult r;
  for (const auto& [name, values] : t) {
    if (name != key) continue;
    if (values.size() == 1 && values[0] == "TRANSIENT") {
      r.status = LookupResult::Status::kTransient;
      r.error = "i/o timeout";
      return r;
    }
    if (values.size() == 1 && values[0] == "PENDING") {
      r.status = LookupResult::Status::kPending;
      return r;
    }
    r.status = LookupResult::Status::kFound;
    r.ttl = std::chrono::seconds(60);
    for (const auto& v : values) {
      if (addresses) {
        r.addresses.push_back(ip(v.c_str()));
      } else {
        r.names.push_back(v);
      }
    }
    return r;
  }
  r.status = LookupResult::Status::kNotFound;
  r.error = "NXDOMAIN";
  return r;
}
}  // namespace

LookupResult FakeResolver::lookup(std::string_view hostname, std::string_view waiter) const {
  ++lookups;
  last_waiter = std::string(waiter);
  return answer_of(table, hostname, true);
}

LookupResult FakeResolver::reverse(const x509::IpAddress& address, std::string_view waiter) const {
  ++reverse_lookups;
  last_waiter = std::string(waiter);
  return answer_of(ptr, address.text, false);
}

LiveCertificate FakeLiveCertificates::fetch(const inventory::Machine& node,
                                            std::string_view) const {
  ++fetches;
  last_node = node.node_name;
  return answer;
}

World World::standard() {
  World w;
  auto& inv = w.inventory;
  inv.has_inventory_source = true;
  inv.machines.push_back(machine("worker-0", {"worker-0", "worker-0.lab.example.com"},
                                 {"192.0.2.10", "2001:db8::10"}));
  inv.machines.push_back(machine("worker-1", {"worker-1", "worker-1.lab.example.com"},
                                 {"192.0.2.11", "2001:db8::11"}));
  inv.machines.push_back(machine("worker-2", {"worker-2", "worker-2.lab.example.com"},
                                 {"192.0.2.12"}, /*linked=*/false, at("2026-11-23T11:00:00Z")));
  inv.nodes.push_back(node("worker-0", {"worker-0"}, {"192.0.2.10", "2001:db8::10"}));
  inv.nodes.push_back(node("worker-1", {"worker-1"}, {"192.0.2.11", "2001:db8::11"}));
  return w;
}

namespace {

Request base(const std::string& signer, const std::string& username,
             std::vector<std::string> groups, std::vector<std::string> usages,
             test::CsrBuilder builder) {
  Request r{kube::CertificateSigningRequest{}, std::move(builder), std::nullopt};
  r.object.metadata.name = "csr-test";
  r.object.metadata.creation_timestamp = at("2026-11-23T12:00:00Z");
  r.object.signer_name = signer;
  r.object.username = username;
  r.object.groups = std::move(groups);
  r.object.usages = std::move(usages);
  return r;
}

const std::vector<std::string> kNodeGroups = {"system:nodes", "system:authenticated"};

}  // namespace

Request Request::serving(const std::string& node_name) {
  return base("kubernetes.io/kubelet-serving", "system:node:" + node_name, kNodeGroups,
              {"digital signature", "server auth"}, test::CsrBuilder::kubelet_serving(node_name));
}

Request Request::serving_rsa(const std::string& node_name) {
  Request r = serving(node_name);
  r.builder.rsa(2048);
  r.object.usages = {"key encipherment", "digital signature", "server auth"};
  return r;
}

Request Request::renewal(const std::string& node_name) {
  return base("kubernetes.io/kube-apiserver-client-kubelet", "system:node:" + node_name,
              kNodeGroups, {"digital signature", "client auth"},
              test::CsrBuilder::kubelet_client(node_name));
}

Request Request::bootstrap(const std::string& node_name) {
  return base("kubernetes.io/kube-apiserver-client-kubelet", std::string(kDefaultBootstrapUsername),
              {"system:serviceaccounts", "system:serviceaccounts:openshift-machine-config-operator",
               "system:authenticated"},
              {"digital signature", "client auth"}, test::CsrBuilder::kubelet_client(node_name));
}

Decision evaluate_request(const World& world, const Request& request) {
  kube::CertificateSigningRequest obj = request.object;
  obj.request_pem = request.pem ? *request.pem : request.builder.pem();
  const Result<x509::ParsedCsr> parsed = x509::parse_csr_pem(obj.request_pem);
  EvaluationInput input{obj,
                        parsed,
                        world.inventory,
                        world.now,
                        world.pending_bootstrap,
                        world.resolver,
                        world.live_certificates};
  return evaluate(input, world.config);
}

}  // namespace nca::policy::testing

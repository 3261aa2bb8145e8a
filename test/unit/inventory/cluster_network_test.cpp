// Decoders of the cluster network objects (ServiceCIDR, the kubernetes Service and its
// EndpointSlice) and Node spec.podCIDRs: what they read, and that bad entries are skipped
// with a warning, never thrown.
#include "inventory/cluster_network.h"

#include <catch2/catch.hpp>

#include "inventory/node_machine.h"

using namespace nca::inventory;
using nlohmann::json;

namespace {

std::vector<std::string> cidrs(const std::vector<ClusterRange>& v) {
  std::vector<std::string> out;
  for (const auto& r : v) out.push_back(r.cidr);
  return out;
}

}  // namespace

TEST_CASE("ServiceCIDR: spec.cidrs, named by the object") {
  std::vector<std::string> warnings;
  auto r = service_cidr_ranges(json::parse(R"({"metadata":{"name":"kubernetes"},
                      "spec":{"cidrs":["10.96.0.0/12","fd00:10:96::/112","bogus",7]}})"),
                               warnings);
  CHECK(cidrs(r) == std::vector<std::string>{"10.96.0.0/12", "fd00:10:96::/112"});
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].origin == "ServiceCIDR kubernetes");
  CHECK(warnings.size() == 2);
  warnings.clear();
  CHECK(service_cidr_ranges(json::parse(R"({"spec":{"cidrs":"10.0.0.0/8"}})"), warnings).empty());
  CHECK(warnings.size() == 1);
  CHECK(service_cidr_ranges(json::parse("[1,2]"), warnings).empty());
}

TEST_CASE("Service: clusterIPs (or clusterIP) as host ranges; headless is nothing") {
  std::vector<std::string> warnings;
  auto r =
      service_cluster_ips(json::parse(R"({"metadata":{"namespace":"default","name":"kubernetes"},
                      "spec":{"clusterIP":"10.96.0.1","clusterIPs":["10.96.0.1","FD00::1"]}})"),
                          warnings);
  CHECK(cidrs(r) == std::vector<std::string>{"10.96.0.1/32", "fd00::1/128"});
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].origin == "Service default/kubernetes");
  CHECK(cidrs(service_cluster_ips(json::parse(R"({"spec":{"clusterIP":"10.0.0.10"}})"),
                                  warnings)) == std::vector<std::string>{"10.0.0.10/32"});
  CHECK(service_cluster_ips(json::parse(R"({"spec":{"clusterIP":"None"}})"), warnings).empty());
  CHECK(warnings.empty());
}

TEST_CASE("EndpointSlice: every endpoint address; FQDN slices give nothing") {
  std::vector<std::string> warnings;
  auto r = endpoint_slice_addresses(
      json::parse(R"({"metadata":{"namespace":"default","name":"kubernetes"},"addressType":"IPv4",
                      "endpoints":[{"addresses":["192.0.2.100"]},{"addresses":["192.0.2.101","x"]},
                                   {"conditions":{}}]})"),
      warnings);
  CHECK(cidrs(r) == std::vector<std::string>{"192.0.2.100/32", "192.0.2.101/32"});
  CHECK(warnings.size() == 1);
  CHECK(endpoint_slice_addresses(
            json::parse(R"({"addressType":"FQDN","endpoints":[{"addresses":["a.example"]}]})"),
            warnings)
            .empty());
}

TEST_CASE("host_range: canonical /32 or /128") {
  CHECK(host_range("10.96.0.1") == "10.96.0.1/32");
  CHECK(host_range("::ffff:10.96.0.1") == "10.96.0.1/32");
  CHECK(host_range("2001:DB8::1") == "2001:db8::1/128");
  CHECK(host_range("10.96.0.0/12").empty());
}

TEST_CASE("Node spec.podCIDRs are kept on the Node machine; bad ones do not drop it") {
  auto d = decode_node_object(json::parse(R"({"apiVersion":"v1","kind":"Node",
      "metadata":{"name":"n1"},"spec":{"podCIDRs":["10.244.1.0/24", 5, "fd00:244:1::/64"]}})"));
  REQUIRE(d.machine);
  CHECK(d.machine->pod_cidrs == std::vector<std::string>{"10.244.1.0/24", "fd00:244:1::/64"});
  // Parsed once here, for the cluster-internal rule's checks.
  REQUIRE(d.machine->pod_prefixes.size() == 2);
  REQUIRE(d.machine->pod_prefixes[0]);
  CHECK(d.machine->pod_prefixes[0]->bits == 24);
  CHECK(
      nca::x509::prefix_contains(*d.machine->pod_prefixes[0], *nca::x509::parse_ip("10.244.1.9")));
  CHECK_FALSE(
      nca::x509::prefix_contains(*d.machine->pod_prefixes[0], *nca::x509::parse_ip("10.244.2.9")));
  REQUIRE(d.machine->pod_prefixes[1]);
  CHECK(nca::x509::prefix_contains(*d.machine->pod_prefixes[1],
                                   *nca::x509::parse_ip("fd00:244:1::5")));
  auto malformed = decode_node_object(json::parse(R"({"apiVersion":"v1","kind":"Node",
      "metadata":{"name":"n3"},"spec":{"podCIDRs":["10.244.1.0/33"]}})"));
  REQUIRE(malformed.machine);
  REQUIRE(malformed.machine->pod_prefixes.size() == 1);
  CHECK_FALSE(malformed.machine->pod_prefixes[0]);
  auto bad = decode_node_object(json::parse(R"({"apiVersion":"v1","kind":"Node",
      "metadata":{"name":"n2"},"spec":{"podCIDRs":"10.244.1.0/24"}})"));
  REQUIRE(bad.machine);
  CHECK(bad.machine->pod_cidrs.empty());
}

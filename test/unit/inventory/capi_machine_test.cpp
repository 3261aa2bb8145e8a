#include "inventory/capi_machine.h"

#include <catch2/catch.hpp>

#include "base/time_format.h"
#include "fixture.h"

using nca::inventory::decode_capi_machine;
using nca::inventory::Source;
using nca::inventory::test::address_texts;
using nca::inventory::test::load_fixture;
using Strings = std::vector<std::string>;

TEST_CASE("Cluster API v1beta1 Machine: nodeRef is an ObjectReference") {
  auto d = decode_capi_machine(load_fixture("capi_machine_v1beta1.json"));
  REQUIRE(d.machine);
  CHECK(d.warnings.empty());
  const auto& m = *d.machine;
  CHECK(m.source == Source::kClusterApiMachine);
  CHECK(m.name == "edge-1-md-0-7d9c5b8f4x-qwrtz");
  CHECK(m.namespace_ == "clusters");
  CHECK(m.node_name == "node-3");
  CHECK(m.has_node_ref);
  // Hostname and InternalDNS are the same name; ExternalDNS loses its trailing dot.
  CHECK(m.hostnames == Strings{"node-3", "node-3.edge-1.example.net"});
  CHECK(address_texts(m) == Strings{"172.22.0.23", "fd00:1101::23"});
  REQUIRE(m.created);
  CHECK(nca::format_rfc3339(*m.created) == "2026-11-21T14:02:10Z");
}

TEST_CASE("Cluster API v1beta2 Machine: nodeRef is {name} only") {
  auto d = decode_capi_machine(load_fixture("capi_machine_v1beta2.json"));
  REQUIRE(d.machine);
  const auto& m = *d.machine;
  CHECK(m.node_name == "prod-eu-cp-9xk2m");
  CHECK(m.has_node_ref);
  CHECK(m.hostnames == Strings{"prod-eu-cp-9xk2m"});
  CHECK(address_texts(m) == Strings{"10.20.0.11", "2001:db8:20::b", "198.51.100.11"});
  REQUIRE(m.created);
  CHECK(nca::format_rfc3339(*m.created) == "2026-11-22T09:15:00Z");
}

TEST_CASE("Cluster API v1beta2 Machine before its node joins") {
  auto d = decode_capi_machine(load_fixture("capi_machine_v1beta2_provisioning.json"));
  REQUIRE(d.machine);
  const auto& m = *d.machine;
  CHECK_FALSE(m.has_node_ref);
  // No InternalDNS: the Hostname address names the node, folded as DNS compares names
  // (the kubelet lower-cases its hostname too); the source's spelling is kept for messages.
  CHECK(m.node_name == "prod-eu-md-0-5f7b9-tz6qp");
  CHECK(m.node_names_as_written == Strings{"Prod-EU-md-0-5f7b9-tz6qp"});
  CHECK(m.hostnames == Strings{"prod-eu-md-0-5f7b9-tz6qp"});
  CHECK(address_texts(m) == Strings{"10.20.0.57"});
}

TEST_CASE("Cluster API nodeRef shapes that do not name a node") {
  auto obj = load_fixture("capi_machine_v1beta2.json");
  SECTION("an empty v1beta2 nodeRef is no nodeRef (IsDefined), with a warning") {
    obj["status"]["nodeRef"] = nlohmann::json::object();
    auto d = decode_capi_machine(obj);
    REQUIRE(d.machine);
    CHECK_FALSE(d.machine->has_node_ref);
    CHECK(d.machine->node_name == "prod-eu-cp-9xk2m");  // from the Hostname address
    CHECK(d.warnings.size() == 1);
  }
  SECTION("a nodeRef that is not an object keeps the machine degraded, never unlinked") {
    // Fails on the old decoder, which skipped the machine: an informer then forgot it and
    // its addresses stopped contesting other nodes' claims.
    obj["status"]["nodeRef"] = "prod-eu-cp-9xk2m";
    auto d = decode_capi_machine(obj);
    REQUIRE(d.machine);
    CHECK(d.degraded());
    CHECK(d.machine->has_node_ref);       // no bootstrap through it
    CHECK(d.machine->node_name.empty());  // it matches no node
    CHECK(d.machine->other_node_names.empty());
    CHECK_FALSE(d.machine->addresses.empty());  // still contests
    CHECK(d.warnings.back().find("status.nodeRef") != std::string::npos);
  }
  SECTION("a nodeRef name that is not a string keeps the machine degraded") {
    obj["status"]["nodeRef"]["name"] = 7;
    auto d = decode_capi_machine(obj);
    REQUIRE(d.machine);
    CHECK(d.degraded());
  }
}

TEST_CASE("Cluster API Machine with unreadable metadata or addresses is kept") {
  auto obj = load_fixture("capi_machine_v1beta1.json");
  const std::string node = decode_capi_machine(obj).machine->node_name;
  obj["metadata"]["creationTimestamp"] = 12;
  obj["metadata"]["namespace"] = false;
  obj["status"]["addresses"] = "10.0.0.1";
  auto d = decode_capi_machine(obj);
  REQUIRE(d.machine);
  CHECK(d.machine->node_name == node);  // from the readable nodeRef
  CHECK(d.machine->addresses.empty());
  CHECK_FALSE(d.machine->created);  // no creation time: the bootstrap window cannot pass
  CHECK(d.warnings.size() == 3);
  obj["metadata"]["deletionTimestamp"] = "soon";
  CHECK(decode_capi_machine(obj).degraded());
}

TEST_CASE("Cluster API decoder accepts any version of the group, nothing else") {
  auto obj = load_fixture("capi_machine_v1beta1.json");
  obj["apiVersion"] = "cluster.x-k8s.io/v1alpha4";
  CHECK(decode_capi_machine(obj).machine);
  obj["apiVersion"] = "cluster.x-k8s.io/";
  CHECK_FALSE(decode_capi_machine(obj).machine);
  obj["apiVersion"] = "cluster.x-k8s.io.evil.example/v1beta1";
  CHECK_FALSE(decode_capi_machine(obj).machine);
  obj["apiVersion"] = "infrastructure.cluster.x-k8s.io/v1beta1";
  CHECK_FALSE(decode_capi_machine(obj).machine);
}

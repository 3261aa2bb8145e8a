#include "inventory/node_machine.h"

#include <catch2/catch.hpp>

#include "fixture.h"
#include "inventory/object_decoder.h"
#include "kube/decode.h"

using nca::inventory::decode_node_object;
using nca::inventory::list_items;
using nca::inventory::node_machine;
using nca::inventory::Source;
using nca::inventory::test::address_texts;
using nca::inventory::test::load_fixture;
using Strings = std::vector<std::string>;

TEST_CASE("dual-stack Nodes from a NodeList whose items carry no apiVersion/kind") {
  auto items = list_items(load_fixture("nodes_dual_stack.json"));
  REQUIRE(items);
  REQUIRE(items->size() == 2);

  auto aws = decode_node_object((*items)[0]);
  REQUIRE(aws.machine);
  CHECK(aws.machine->source == Source::kNode);
  CHECK(aws.machine->node_name == "ip-10-0-152-205.us-east-2.compute.internal");
  CHECK(aws.machine->has_node_ref);
  CHECK(aws.machine->hostnames == Strings{"ip-10-0-152-205.us-east-2.compute.internal"});
  CHECK(address_texts(*aws.machine) ==
        Strings{"10.0.152.205", "2600:1f16:7a1:3b00:8c1e:2a4f:6b7d:9e01"});
  CHECK(aws.warnings.empty());

  auto metal = decode_node_object((*items)[1]);
  REQUIRE(metal.machine);
  CHECK(metal.machine->node_name == "node-3");
  CHECK(metal.machine->hostnames == Strings{"node-3"});
  CHECK(address_texts(*metal.machine) == Strings{"fd00:1101::23", "172.22.0.23"});
  REQUIRE(metal.warnings.size() == 1);  // "not-an-ip" dropped
  CHECK(metal.warnings[0].find("not-an-ip") != std::string::npos);
}

TEST_CASE("a Node is kept even when parts of it are unreadable: it exists") {
  nlohmann::json node = {{"apiVersion", "v1"},
                         {"kind", "Node"},
                         {"metadata",
                          {{"name", "worker-9"},
                           {"creationTimestamp", "yesterday"},
                           {"deletionTimestamp", "2026-11-23T10:00:00Z"}}},
                         {"status", {{"addresses", "10.0.0.9"}}}};
  auto d = decode_node_object(node);
  REQUIRE(d.machine);
  CHECK(d.machine->node_name == "worker-9");
  CHECK(d.machine->addresses.empty());
  CHECK(d.warnings.size() == 2);

  node["metadata"].erase("name");
  CHECK_FALSE(decode_node_object(node).machine);
}

TEST_CASE("the typed path keeps a Node whose status has mistyped entries") {
  // Fails on the old kube::decode_node, which rejected the whole Node.
  nlohmann::json node = {{"metadata", {{"name", "worker-3"}, {"resourceVersion", "4"}}},
                         {"status",
                          {{"addresses",
                            {{{"type", 1}, {"address", "10.0.0.3"}},
                             {{"type", "InternalIP"}, {"address", "10.0.0.4"}}}}}}};
  auto typed = nca::kube::decode_node(node);
  REQUIRE(typed);
  auto d = node_machine(*typed);
  REQUIRE(d.machine);
  CHECK(d.machine->node_name == "worker-3");
  CHECK(address_texts(*d.machine) == Strings{"10.0.0.4"});
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0].find("status.addresses[0].type") != std::string::npos);
}

TEST_CASE("typed kube::Node becomes the same Machine") {
  nca::kube::Node node;
  node.metadata.name = "worker-2";
  node.addresses = {{"InternalIP", "192.0.2.12"},
                    {"InternalIP", "2001:db8::0:12"},
                    {"Hostname", "Worker-2"},
                    {"InternalDNS", "worker-2.lab.example.com."},
                    {"ExternalIP", "::ffff:192.0.2.12"}};
  auto d = node_machine(node);
  REQUIRE(d.machine);
  CHECK(d.machine->node_name == "worker-2");
  CHECK(d.machine->hostnames == Strings{"worker-2", "worker-2.lab.example.com"});
  CHECK(address_texts(*d.machine) == Strings{"192.0.2.12", "2001:db8::12"});

  CHECK_FALSE(node_machine(nca::kube::Node{}).machine);
}

TEST_CASE("the typed path (kube::decode_node + node_machine) agrees with the raw decoder") {
  auto items = list_items(load_fixture("nodes_dual_stack.json"));
  REQUIRE(items);
  for (const auto& item : *items) {
    auto typed = nca::kube::decode_node(item);
    REQUIRE(typed);
    auto a = node_machine(*typed);
    auto b = decode_node_object(item);
    REQUIRE(a.machine);
    REQUIRE(b.machine);
    CHECK(a.machine->node_name == b.machine->node_name);
    CHECK(a.machine->hostnames == b.machine->hostnames);
    CHECK(address_texts(*a.machine) == address_texts(*b.machine));
    CHECK(a.machine->created == b.machine->created);
    CHECK(a.warnings.size() == b.warnings.size());
  }
}

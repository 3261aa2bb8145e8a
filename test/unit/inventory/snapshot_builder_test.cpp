#include "inventory/snapshot_builder.h"

#include <catch2/catch.hpp>

#include "fixture.h"
#include "inventory/object_decoder.h"
#include "inventory/static_inventory.h"

using nca::inventory::decode_inventory_object;
using nca::inventory::list_items;
using nca::inventory::Machine;
using nca::inventory::Snapshot;
using nca::inventory::SnapshotBuilder;
using nca::inventory::Source;
using nca::inventory::test::load_fixture;

TEST_CASE("a snapshot from every kind of source") {
  SnapshotBuilder builder;
  for (const char* file :
       {"openshift_machine_running.json", "openshift_machine_provisioned.json",
        "capi_machine_v1beta1.json", "capi_machine_v1beta2.json", "baremetalhost.json"}) {
    builder.add(decode_inventory_object(load_fixture(file)), file);
  }
  auto nodes = list_items(load_fixture("nodes_dual_stack.json"));
  REQUIRE(nodes);
  for (const auto& item : *nodes) builder.add(decode_inventory_object(item), "Node");
  auto statics = nca::inventory::decode_static_inventory(load_fixture("static_inventory.json"));
  REQUIRE(statics);
  builder.add(std::move(*statics));

  Snapshot s = builder.build();
  CHECK(s.has_inventory_source);
  CHECK(s.machines.size() == 7);
  CHECK(s.nodes.size() == 2);
  // Warnings from the decoders come back as notes naming the object.
  CHECK(builder.notes().size() == 2);

  REQUIRE(s.node("node-3") != nullptr);
  CHECK(s.node("node-3")->source == Source::kNode);
  CHECK(s.node("worker-0") == nullptr);
  CHECK(s.node("") == nullptr);

  auto node3 = s.machines_for_node("node-3");
  REQUIRE(node3.size() == 1);
  CHECK(node3[0]->source == Source::kClusterApiMachine);

  // Both InternalDNS names of a machine without nodeRef find it; a prefix does not.
  CHECK(s.machines_for_node("lab-4bq9d-worker-k2x8w").size() == 1);
  CHECK(s.machines_for_node("lab-4bq9d-worker-k2x8w.lab.example.com").size() == 1);
  CHECK(s.machines_for_node("lab-4bq9d-worker").empty());
  // Only the machine side is folded: a Node name is lower-case, so "NODE-3" is no Node's.
  CHECK(s.machines_for_node("NODE-3").empty());
  CHECK(s.machines_for_node("").empty());
  CHECK(s.machines_for_node("worker-0").size() == 1);
}

TEST_CASE("nodes only: no inventory source; declared sources count even when empty") {
  Machine node;
  node.source = Source::kNode;
  node.name = node.node_name = "worker-0";
  SnapshotBuilder builder;
  builder.add(node).add(node);
  Snapshot s = builder.build();
  CHECK_FALSE(s.has_inventory_source);
  CHECK(s.nodes.size() == 1);
  REQUIRE(builder.notes().size() == 1);
  CHECK(builder.notes()[0].find("twice") != std::string::npos);

  builder.inventory_source_present();
  CHECK(builder.build().has_inventory_source);
  CHECK(builder.build().machines.empty());
}

TEST_CASE("skipped objects become notes, not machines") {
  SnapshotBuilder builder;
  builder.add(decode_inventory_object(nlohmann::json{{"apiVersion", "v1"}, {"kind", "Pod"}}),
              "Pod default/x");
  builder.add(decode_inventory_object(nlohmann::json::array()), "junk");
  Snapshot s = builder.build();
  CHECK(s.machines.empty());
  CHECK(s.nodes.empty());
  CHECK_FALSE(s.has_inventory_source);
  REQUIRE(builder.notes().size() == 2);
  CHECK(builder.notes()[0].rfind("Pod default/x skipped: unsupported", 0) == 0);
}

TEST_CASE("list documents") {
  auto single = list_items(nlohmann::json{{"apiVersion", "v1"}, {"kind", "Node"}});
  REQUIRE(single);
  CHECK(single->size() == 1);
  auto empty = list_items(nlohmann::json{{"apiVersion", "v1"}, {"kind", "List"}, {"items", {}}});
  REQUIRE(empty);
  CHECK(empty->empty());
  auto bad = list_items(nlohmann::json{{"kind", "NodeList"}, {"items", "x"}});
  CHECK_FALSE(bad);
  CHECK_FALSE(list_items(nlohmann::json("x")));
  // A generic List keeps the items' own types.
  auto generic = list_items(nlohmann::json{
      {"apiVersion", "v1"},
      {"kind", "List"},
      {"items", {{{"apiVersion", "metal3.io/v1alpha1"}, {"kind", "BareMetalHost"}}}}});
  REQUIRE(generic);
  CHECK((*generic)[0]["kind"] == "BareMetalHost");
}

TEST_CASE("supported inventory object types") {
  using nca::inventory::is_inventory_object_type;
  using nlohmann::json;
  CHECK(is_inventory_object_type(json{{"apiVersion", "v1"}, {"kind", "Node"}}));
  CHECK(is_inventory_object_type(
      json{{"apiVersion", "machine.openshift.io/v1beta1"}, {"kind", "Machine"}}));
  CHECK(is_inventory_object_type(
      json{{"apiVersion", "cluster.x-k8s.io/v1beta2"}, {"kind", "Machine"}}));
  CHECK(is_inventory_object_type(
      json{{"apiVersion", "metal3.io/v1alpha1"}, {"kind", "BareMetalHost"}}));
  CHECK_FALSE(is_inventory_object_type(json{{"apiVersion", "v1"}, {"kind", "Pod"}}));
  CHECK_FALSE(is_inventory_object_type(json{{"kind", "Node"}}));
  CHECK_FALSE(is_inventory_object_type(json::array()));
}

TEST_CASE("machines_for_node compares machine names as DNS does: case and one trailing dot") {
  Snapshot s;
  Machine m;
  m.source = Source::kOpenShiftMachine;
  m.name = "ocp-worker-a";
  m.node_name = "IP-10-0-1-2.EC2.INTERNAL.";  // built by hand: any spelling
  m.other_node_names = {"Worker-7."};
  s.machines.push_back(m);
  CHECK(s.machines_for_node("ip-10-0-1-2.ec2.internal").size() == 1);
  CHECK(s.machines_for_node("worker-7").size() == 1);
  CHECK(nca::inventory::maps_to_node(m, "ip-10-0-1-2.ec2.internal"));
  // One dot, as DNS's root; not a prefix, not a longer name, not an empty name.
  s.machines[0].node_name = "ip-10-0-1-2.ec2.internal..";
  CHECK(s.machines_for_node("ip-10-0-1-2.ec2.internal").empty());
  CHECK(s.machines_for_node("worker").empty());
  CHECK(s.machines_for_node("worker-7.").empty());
  CHECK(s.machines_for_node("").empty());
  s.machines[0].node_name = ".";
  CHECK(s.machines_for_node("").empty());

  CHECK(nca::inventory::fold_node_name("IP-10-0-1-2.EC2.INTERNAL.") == "ip-10-0-1-2.ec2.internal");
  CHECK(nca::inventory::fold_node_name("worker-0") == "worker-0");
  CHECK(nca::inventory::folds_to("Worker-0.", "worker-0"));
  CHECK_FALSE(nca::inventory::folds_to("worker-0", "Worker-0"));
}

TEST_CASE("Snapshot::node answers from the builder's index, and searches a hand-made one") {
  SnapshotBuilder b;
  for (const char* name : {"a", "b", "c"}) {
    Machine m;
    m.source = Source::kNode;
    m.node_name = name;
    b.add(m);
  }
  Machine twice;
  twice.source = Source::kNode;
  twice.node_name = "b";
  twice.name = "second";
  b.add(twice);  // listed twice: the first is kept
  Snapshot snap = b.build();
  REQUIRE(snap.nodes.size() == 3);
  CHECK(snap.node_index.size() == 3);
  REQUIRE(snap.node("b") != nullptr);
  CHECK(snap.node("b") == &snap.nodes[1]);
  CHECK(snap.node("b")->name.empty());
  CHECK(snap.node("d") == nullptr);
  CHECK(snap.node("") == nullptr);

  Snapshot by_hand;
  by_hand.nodes = snap.nodes;  // no index
  REQUIRE(by_hand.node("c") != nullptr);
  CHECK(by_hand.node("c")->node_name == "c");
  CHECK(by_hand.node("d") == nullptr);
}

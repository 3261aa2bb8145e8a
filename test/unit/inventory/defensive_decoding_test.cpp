// Every field of every fixture replaced by every wrong-typed value: the decoders never
// throw, always either produce a well-formed Machine or say why not, and never unlink a
// Machine from its Node because a nodeRef was unreadable.
#include <catch2/catch.hpp>
#include <set>

#include "fixture.h"
#include "inventory/object_decoder.h"

using nca::inventory::decode_inventory_object;
using nca::inventory::Decoded;
using nca::inventory::test::load_fixture;
using nlohmann::json;

namespace {

void check_well_formed(const Decoded& d) {
  if (!d.machine) {
    CHECK_FALSE(d.skipped.empty());
    return;
  }
  CHECK(d.skipped.empty());
  CHECK_FALSE(d.machine->name.empty());
  for (const auto& ip : d.machine->addresses) {
    CHECK((ip.bytes.size() == 4 || ip.bytes.size() == 16));
  }
  for (const auto& h : d.machine->hostnames) {
    CHECK_FALSE(h.empty());
    CHECK(h.back() != '.');
    for (char c : h) CHECK_FALSE((c >= 'A' && c <= 'Z'));
  }
}

// Whether the document still names a node in status.nodeRef.name. When it does, the
// decoded machine must be linked (or skipped); only removing that name may unlink it.
bool names_node(const json& doc) {
  const json::json_pointer ptr("/status/nodeRef/name");
  if (!doc.is_object() || !doc.contains(ptr)) return false;
  const json& name = doc.at(ptr);
  return name.is_string() && !name.get<std::string>().empty();
}

}  // namespace

TEST_CASE("decoders survive any field of any fixture being mistyped") {
  const std::vector<json> wrong = {nullptr,
                                   json::object(),
                                   json::array(),
                                   "",
                                   "::::",
                                   -1,
                                   3.5,
                                   true,
                                   json::array({nullptr, 1, "x", json::object()}),
                                   json{{"type", "InternalIP"}, {"address", 5}}};
  std::size_t runs = 0;
  for (const char* file : {"openshift_machine_running.json", "openshift_machine_provisioned.json",
                           "capi_machine_v1beta1.json", "capi_machine_v1beta2.json",
                           "capi_machine_v1beta2_provisioning.json", "baremetalhost.json"}) {
    const json original = load_fixture(file);
    const Decoded base = decode_inventory_object(original);
    REQUIRE(base.machine);
    const json flat = original.flatten();
    // Every leaf and every enclosing object or array.
    std::set<std::string> paths;
    for (const auto& [leaf, unused] : flat.items()) {
      std::string p = leaf;
      while (!p.empty()) {
        paths.insert(p);
        p = p.substr(0, p.rfind('/'));
      }
    }
    for (const std::string& path : paths) {
      for (const json& value : wrong) {
        json mutated = original;
        mutated[json::json_pointer(path)] = value;
        INFO(file << " " << path << " = " << value.dump());
        Decoded d;
        REQUIRE_NOTHROW(d = decode_inventory_object(mutated));
        check_well_formed(d);
        if (d.machine && names_node(mutated)) CHECK(d.machine->has_node_ref);
        ++runs;
      }
    }
  }
  CHECK(runs > 1000);
}

TEST_CASE("a named Machine whose status is not an object is kept, matching no node") {
  json doc = {{"apiVersion", "machine.openshift.io/v1beta1"},
              {"kind", "Machine"},
              {"metadata", {{"name", "m"}}},
              {"status", "Running"}};
  Decoded d = decode_inventory_object(doc);
  REQUIRE(d.machine);
  CHECK(d.degraded());
}

TEST_CASE("whole documents of the wrong shape") {
  for (const json& doc :
       {json(nullptr), json(1), json("Machine"), json::array(), json::object(),
        json{{"apiVersion", 1}, {"kind", "Machine"}},
        json{{"apiVersion", "machine.openshift.io/v1beta1"}, {"kind", "Machine"}}}) {
    INFO(doc.dump());
    Decoded d;
    REQUIRE_NOTHROW(d = decode_inventory_object(doc));
    CHECK_FALSE(d.machine);
    CHECK_FALSE(d.skipped.empty());
  }
}

#include "inventory/baremetal_host.h"

#include <catch2/catch.hpp>

#include "base/time_format.h"
#include "fixture.h"

using nca::inventory::decode_baremetal_host;
using nca::inventory::Source;
using nca::inventory::test::address_texts;
using nca::inventory::test::load_fixture;
using Strings = std::vector<std::string>;

TEST_CASE("BareMetalHost provisioned for a Machine, several NICs including IPv6") {
  auto d = decode_baremetal_host(load_fixture("baremetalhost.json"));
  REQUIRE(d.machine);
  const auto& m = *d.machine;
  CHECK(m.source == Source::kBareMetalHost);
  CHECK(m.name == "rack2-server07");
  CHECK(m.node_name == "rack2-server07.lab.example.com");
  CHECK(m.hostnames == Strings{"rack2-server07.lab.example.com"});
  CHECK_FALSE(m.has_node_ref);
  CHECK(m.consumer == "Machine openshift-machine-api/lab-4bq9d-worker-0-fm2nj");
  // Long-form IPv6 is canonicalised, a v4-mapped address collapses to IPv4, the empty IP is
  // skipped silently and the zoned link-local one is dropped with a warning.
  CHECK(address_texts(m) == Strings{"172.22.0.57", "2001:db8:22::57", "10.1.7.57"});
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0].find("nics[3]") != std::string::npos);
  // created is when provisioning ended, not when the host was enrolled.
  REQUIRE(m.created);
  CHECK(nca::format_rfc3339(*m.created) == "2026-11-20T10:58:20Z");
}

TEST_CASE("BareMetalHost with an upper-case hostname and a trailing dot: node name folded") {
  auto obj = load_fixture("baremetalhost.json");
  obj["status"]["hardware"]["hostname"] = "RACK2-Server07.lab.example.com.";
  auto d = decode_baremetal_host(obj);
  REQUIRE(d.machine);
  CHECK(d.machine->node_name == "rack2-server07.lab.example.com");
  CHECK(d.machine->node_names_as_written == Strings{"RACK2-Server07.lab.example.com."});
  CHECK(d.machine->hostnames == Strings{"rack2-server07.lab.example.com"});
}

TEST_CASE("BareMetalHost that runs nothing for anyone is not a machine") {
  auto obj = load_fixture("baremetalhost.json");
  obj["spec"].erase("consumerRef");
  auto d = decode_baremetal_host(obj);
  CHECK_FALSE(d.machine);
  CHECK(d.skipped.find("consumerRef") != std::string::npos);

  obj["spec"]["externallyProvisioned"] = true;
  d = decode_baremetal_host(obj);
  REQUIRE(d.machine);
  CHECK(d.machine->consumer == "externally provisioned");
}

TEST_CASE("BareMetalHost without inspection data cannot name its node") {
  auto obj = load_fixture("baremetalhost.json");
  SECTION("no hardware") {
    obj["status"].erase("hardware");
    auto d = decode_baremetal_host(obj);
    CHECK_FALSE(d.machine);
    CHECK(d.skipped.find("status.hardware") != std::string::npos);
  }
  SECTION("no status at all") {
    obj.erase("status");
    CHECK_FALSE(decode_baremetal_host(obj).machine);
  }
  SECTION("empty hostname") {
    obj["status"]["hardware"]["hostname"] = "";
    CHECK_FALSE(decode_baremetal_host(obj).machine);
  }
  SECTION("hostname not a string: kept degraded with its NIC addresses") {
    // Fails on the old decoder (skipped, so forgotten by the informer).
    obj["status"]["hardware"]["hostname"] = nlohmann::json::array({"a"});
    auto d = decode_baremetal_host(obj);
    REQUIRE(d.machine);
    CHECK(d.degraded());
    CHECK(address_texts(*d.machine) == Strings{"172.22.0.57", "2001:db8:22::57", "10.1.7.57"});
  }
  SECTION("nics not a list: kept with its hostname, no addresses") {
    obj["status"]["hardware"]["nics"] = "eno1";
    auto d = decode_baremetal_host(obj);
    REQUIRE(d.machine);
    CHECK_FALSE(d.degraded());
    CHECK(d.machine->node_name == "rack2-server07.lab.example.com");
    CHECK(d.machine->addresses.empty());
  }
}

TEST_CASE("BareMetalHost with a malformed consumerRef is kept degraded, not forgotten") {
  auto obj = load_fixture("baremetalhost.json");
  obj["spec"]["consumerRef"] = "Machine/x";
  auto d = decode_baremetal_host(obj);
  REQUIRE(d.machine);
  CHECK(d.degraded());
  CHECK(d.machine->hostnames == Strings{"rack2-server07.lab.example.com"});  // contests
  CHECK(d.machine->addresses.size() == 3);
  obj["spec"]["consumerRef"] = {{"kind", "Machine"}, {"name", 5}};
  CHECK(decode_baremetal_host(obj).degraded());
  obj["metadata"]["labels"] = 1;  // unread field: irrelevant
  obj["metadata"]["creationTimestamp"] = "x";
  CHECK(decode_baremetal_host(obj).machine);
}

TEST_CASE("BareMetalHost created falls back to creationTimestamp") {
  auto obj = load_fixture("baremetalhost.json");
  obj["spec"].erase("consumerRef");
  obj["spec"]["externallyProvisioned"] = true;
  obj["status"]["operationHistory"]["provision"] = {{"start", nullptr}, {"end", nullptr}};
  auto d = decode_baremetal_host(obj);
  REQUIRE(d.machine);
  REQUIRE(d.machine->created);
  CHECK(nca::format_rfc3339(*d.machine->created) == "2026-10-02T07:45:13Z");
}

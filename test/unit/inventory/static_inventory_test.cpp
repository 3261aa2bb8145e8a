#include "inventory/static_inventory.h"

#include <catch2/catch.hpp>

#include "base/time_format.h"
#include "fixture.h"

using nca::inventory::decode_static_inventory;
using nca::inventory::is_dns_name;
using nca::inventory::Source;
using nca::inventory::test::address_texts;
using nca::inventory::test::load_fixture;
using Strings = std::vector<std::string>;
using nlohmann::json;

TEST_CASE("static inventory as in the issue") {
  auto machines = decode_static_inventory(load_fixture("static_inventory.json"));
  REQUIRE(machines);
  REQUIRE(machines->size() == 2);
  const auto& w0 = (*machines)[0];
  CHECK(w0.source == Source::kStatic);
  CHECK(w0.name == "worker-0");
  CHECK(w0.node_name == "worker-0");
  CHECK_FALSE(w0.has_node_ref);
  CHECK(w0.hostnames == Strings{"worker-0", "worker-0.lab.example.com"});
  CHECK(address_texts(w0) == Strings{"192.0.2.10", "2001:db8::10"});
  REQUIRE(w0.created);
  CHECK(nca::format_rfc3339(*w0.created) == "2026-11-20T10:00:00Z");
  const auto& w1 = (*machines)[1];
  CHECK(address_texts(w1) == Strings{"2001:db8::11"});
  CHECK_FALSE(w1.created);
}

TEST_CASE("empty static inventories are valid") {
  CHECK(decode_static_inventory(json(nullptr))->empty());
  CHECK(decode_static_inventory(json::object())->empty());
  CHECK(decode_static_inventory(json{{"machines", json::array()}})->empty());
  CHECK(decode_static_inventory(json{{"machines", nullptr}})->empty());
}

TEST_CASE("static inventory is strict, and errors name the machine") {
  struct Case {
    const char* what;
    json doc;
    const char* message_part;
  };
  auto one = [](json machine) { return json{{"machines", json::array({machine})}}; };
  const json good = {{"name", "worker-0"}, {"addresses", {"192.0.2.10"}}};
  auto with = [&](const char* key, json value) {
    json m = good;
    m[key] = std::move(value);
    return one(m);
  };
  std::vector<Case> cases = {
      {"top level is a list", json::array(), "expected a mapping"},
      {"unknown top-level key", json{{"machines", json::array()}, {"nodes", 1}}, "\"nodes\""},
      {"machines not a list", json{{"machines", "worker-0"}}, "expected a list"},
      {"entry not a mapping", one("worker-0"), "machines[0]: expected a mapping"},
      {"unknown key", with("adresses", json::array()), "machines[0] (worker-0): unknown key"},
      {"missing name", one(json{{"addresses", {"192.0.2.10"}}}), "name: required"},
      {"empty name", with("name", ""), "name: required"},
      {"name not a string", with("name", 5), "name: required"},
      {"upper-case name", with("name", "Worker-0"), "not a valid node name"},
      {"bad address", with("addresses", {"192.0.2.300"}),
       "machines[0] (worker-0): addresses[0]: \"192.0.2.300\" is not an IP address"},
      {"CIDR as address", with("addresses", {"192.0.2.0/24"}), "addresses[0]"},
      {"address not a string", with("addresses", {10}), "addresses[0]: expected a string"},
      {"addresses not a list", with("addresses", "192.0.2.10"), "expected a list of strings"},
      {"wildcard hostname", with("hostnames", {"*.lab.example.com"}), "is not a DNS name"},
      {"hostname with a space", with("hostnames", {"worker 0"}), "is not a DNS name"},
      {"empty hostname", with("hostnames", {""}), "is not a DNS name"},
      {"bad created", with("created", "2026-11-20"), "created: \"2026-11-20\""},
      {"created not a string", with("created", 1795168800), "created: expected"},
      {"duplicate names", json{{"machines", json::array({good, good})}},
       "machines[1] (worker-0): duplicate name"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    auto result = decode_static_inventory(c.doc);
    REQUIRE_FALSE(result);
    CHECK(result.status().code() == nca::Code::kInvalid);
    CHECK_THAT(result.status().message(), Catch::Contains(c.message_part));
  }
}

TEST_CASE("DNS name syntax") {
  CHECK(is_dns_name("worker-0"));
  CHECK(is_dns_name("worker-0.lab.example.com"));
  CHECK(is_dns_name(std::string(63, 'a')));
  CHECK_FALSE(is_dns_name(std::string(64, 'a')));
  CHECK_FALSE(is_dns_name("-worker"));
  CHECK_FALSE(is_dns_name("worker-"));
  CHECK_FALSE(is_dns_name("a..b"));
  CHECK_FALSE(is_dns_name("a_b"));
  CHECK_FALSE(is_dns_name("*"));
  CHECK_FALSE(is_dns_name(""));
}

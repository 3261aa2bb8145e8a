// explain end to end on fixture files: the same policy the controller runs, fed from
// kubectl-style YAML/JSON.
#include "app/explain.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/decision_output.h"
#include "base/time_format.h"

using nca::app::ExplainOptions;
using nca::app::OutputFormat;
using nca::app::run_explain;

namespace {

std::string fixture(const std::string& name) { return std::string(NCA_APP_FIXTURES) + "/" + name; }

struct Run {
  int code = -1;
  std::string out, err;
};

Run explain(ExplainOptions o, OutputFormat format = OutputFormat::kJson) {
  o.output = format;
  if (!o.now) o.now = nca::parse_rfc3339("2026-11-23T10:30:00Z");
  std::ostringstream out, err;
  Run r;
  // The wall clock must not matter when --now is given.
  r.code = run_explain(o, nca::WallTime{}, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

ExplainOptions with_cluster(const std::string& csr) {
  ExplainOptions o;
  o.csr_file = fixture(csr);
  o.nodes_file = fixture("nodes.yaml");
  o.inventory_file = fixture("inventory.yaml");
  return o;
}

nlohmann::json parse(const Run& r) {
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  return nlohmann::json::parse(r.out);
}

bool has_failed_check(const nlohmann::json& d) {
  for (const auto& c : d["checks"]) {
    if (!c["ok"].get<bool>()) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("explain: a legitimate serving CSR is approved, and JSON has exactly the fields") {
  auto d = parse(explain(with_cluster("csr_serving_worker0.yaml")));
  INFO(d.dump(2));
  CHECK(d["outcome"] == "approve");
  CHECK(d["kind"] == "serving");
  CHECK(d["node"] == "worker-0");
  CHECK(d["reason"].is_string());
  CHECK(d["message"].is_string());
  REQUIRE(d["checks"].is_array());
  CHECK(d["checks"].size() > 5);
  for (const auto& c : d["checks"]) {
    CHECK(c.size() == 3);
    CHECK(c["name"].is_string());
    CHECK(c["ok"].is_boolean());
    CHECK(c["detail"].is_string());
  }
  CHECK_FALSE(has_failed_check(d));
  for (const char* key :
       {"outcome", "reason", "message", "kind", "node", "checks", "evidence", "sources"}) {
    CHECK(d.contains(key));
  }
  CHECK(d.size() == 8);
  for (const auto& e : d["evidence"]) CHECK(e["source"] != "");  // approved: all vouched
  // Which config and inventory the answer rests on.
  CHECK(d["sources"]["config"] == "built-in defaults");
  CHECK(d["sources"]["configError"] == "");
  REQUIRE(d["sources"]["inventory"].size() == 2);
  CHECK(d["sources"]["inventory"][0].get<std::string>().starts_with("--nodes "));
  CHECK(d["sources"]["inventory"][1].get<std::string>().starts_with("--inventory "));
}

TEST_CASE("explain: another node's IP is not approved; the config can make it a denial") {
  auto o = with_cluster("csr_attack_other_ip.json");
  auto d = parse(explain(o));
  INFO(d.dump(2));
  CHECK(d["outcome"] == "pending");
  CHECK(has_failed_check(d));
  CHECK(d["message"].get<std::string>().find("192.0.2.11") != std::string::npos);

  o.config_file = fixture("config_deny.yaml");
  auto denied = parse(explain(o));
  CHECK(denied["outcome"] == "deny");
  CHECK(denied["reason"] == d["reason"]);
}

TEST_CASE("explain: bootstrap needs the machine in the inventory") {
  auto o = with_cluster("csr_bootstrap_worker2.yaml");
  auto d = parse(explain(o));
  INFO(d.dump(2));
  CHECK(d["kind"] == "client-bootstrap");
  CHECK(d["outcome"] == "approve");

  o.inventory_file.clear();
  auto none = parse(explain(o));
  CHECK(none["outcome"] == "pending");
}

TEST_CASE("explain: Machine objects as the inventory, skipped ones noted on stderr") {
  auto o = with_cluster("csr_serving_worker0.yaml");
  o.inventory_file = fixture("inventory_machines.yaml");
  auto r = explain(o);
  auto d = parse(r);
  INFO(d.dump(2));
  CHECK(d["outcome"] == "approve");
  CHECK_THAT(r.err, Catch::StartsWith("note: --inventory "));
  CHECK_THAT(r.err, Catch::Contains("BareMetalHost openshift-machine-api/rack1-spare07 skipped"));

  // The attacker's IP is in no Machine either.
  o.csr_file = fixture("csr_attack_other_ip.json");
  CHECK(parse(explain(o))["reason"] == "SanIpNotInInventory");
}

TEST_CASE("explain: text output is a readable trace") {
  auto r = explain(with_cluster("csr_attack_other_ip.json"), OutputFormat::kText);
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("outcome: pending\n", 0) == 0);
  CHECK(r.out.find("\nreason:  ") != std::string::npos);
  CHECK(r.out.find("\nnode:    worker-0\n") != std::string::npos);
  CHECK(r.out.find("checks:\n") != std::string::npos);
  CHECK(r.out.find("\u2713 ") != std::string::npos);
  CHECK(r.out.find("\u2717 ") != std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("explain: unusable inputs exit 2 with a message naming the file") {
  struct Case {
    const char* what;
    ExplainOptions options;
    std::string message;
  };
  auto csr = [](const std::string& f) {
    ExplainOptions o;
    o.csr_file = fixture(f);
    return o;
  };
  auto bad_inventory = with_cluster("csr_serving_worker0.yaml");
  bad_inventory.inventory_file = fixture("inventory_bad_address.yaml");
  auto nodes_are_csrs = with_cluster("csr_serving_worker0.yaml");
  nodes_are_csrs.nodes_file = fixture("csr_serving_worker0.yaml");
  auto inventory_is_csr = with_cluster("csr_serving_worker0.yaml");
  inventory_is_csr.inventory_file = fixture("csr_attack_other_ip.json");
  auto missing_config = with_cluster("csr_serving_worker0.yaml");
  missing_config.config_file = fixture("no-such-config.yaml");
  auto config_is_inventory = with_cluster("csr_serving_worker0.yaml");
  config_is_inventory.config_file = fixture("inventory.yaml");

  for (const auto& c : std::vector<Case>{
           {"malformed YAML", csr("csr_malformed.yaml"),
            "--csr " + fixture("csr_malformed.yaml") + ": YAML: line 7"},
           {"bad base64", csr("csr_bad_base64.yaml"), "csr_bad_base64.yaml"},
           {"missing file", csr("no-such-file.yaml"), "no-such-file.yaml: cannot open"},
           {"a Node is not a CSR", csr("nodes.yaml"), "exactly one CertificateSigningRequest"},
           {"bad inventory address", bad_inventory, "192.0.2.300"},
           {"CSR given as nodes", nodes_are_csrs, "not a Node"},
           {"CSR given as inventory", inventory_is_csr, "not a static inventory"},
           {"missing config", missing_config,
            "--config " + fixture("no-such-config.yaml") + ": cannot open"},
           {"inventory given as config", config_is_inventory, "inventory.yaml"},
       }) {
    INFO(c.what);
    auto r = explain(c.options);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::StartsWith("node-csr-approver explain: "));
    CHECK_THAT(r.err, Catch::Contains(c.message));
  }
}

TEST_CASE("explain_command: usage errors exit 2, --help exits 0") {
  std::ostringstream out, err;
  CHECK(nca::app::explain_command({"--csr"}, out, err) == 2);
  CHECK_THAT(err.str(), Catch::Contains("usage: node-csr-approver explain"));
  std::ostringstream out2, err2;
  CHECK(nca::app::explain_command({"--help"}, out2, err2) == 0);
  CHECK_THAT(out2.str(), Catch::Contains("--csr FILE"));
}

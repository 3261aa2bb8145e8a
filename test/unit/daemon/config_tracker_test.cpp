#include "daemon/config_tracker.h"

#include <catch2/catch.hpp>

#include "metrics/metrics.h"

using nca::daemon::ConfigTracker;
using nca::daemon::parse_static_inventory;

namespace {

nca::kube::ConfigMap config_map(std::map<std::string, std::string> data) {
  nca::kube::ConfigMap cm;
  cm.metadata.namespace_ = "node-csr-approver";
  cm.metadata.name = "node-csr-approver-config";
  cm.metadata.resource_version = "7";
  cm.data = std::move(data);
  return cm;
}

const char* kInventory =
    "machines:\n"
    "  - name: worker-0\n"
    "    hostnames: [worker-0]\n"
    "    addresses: [192.0.2.10]\n";

struct Recorder {
  int static_calls = 0;
  std::vector<nca::inventory::Machine> machines;
  bool present = false;
  int changed_calls = 0;
};

std::unique_ptr<ConfigTracker> tracker(Recorder& rec, nca::policy::PolicyConfig base = {},
                                       bool dry_run = false,
                                       std::shared_ptr<nca::metrics::Metrics> metrics = nullptr) {
  return std::make_unique<ConfigTracker>(
      std::move(base), dry_run, std::move(metrics),
      [&rec](std::vector<nca::inventory::Machine> m, bool present) {
        ++rec.static_calls;
        rec.machines = std::move(m);
        rec.present = present;
      },
      [&rec] { ++rec.changed_calls; });
}

}  // namespace

TEST_CASE("parse_static_inventory: machines, empty, and errors") {
  auto machines = parse_static_inventory(kInventory);
  REQUIRE(machines);
  REQUIRE(machines->size() == 1);
  CHECK((*machines)[0].node_name == "worker-0");
  CHECK((*machines)[0].source == nca::inventory::Source::kStatic);
  REQUIRE((*machines)[0].addresses.size() == 1);

  auto empty = parse_static_inventory("");
  REQUIRE(empty);
  CHECK(empty->empty());

  auto bad_yaml = parse_static_inventory("machines: [\n");
  REQUIRE_FALSE(bad_yaml);
  CHECK_THAT(bad_yaml.status().message(), Catch::Contains("static inventory"));

  auto bad_ip =
      parse_static_inventory("machines:\n  - name: worker-0\n    addresses: [192.0.2.300]\n");
  REQUIRE_FALSE(bad_ip);
  CHECK_THAT(bad_ip.status().message(), Catch::Contains("worker-0"));

  auto unknown_key = parse_static_inventory("machines:\n  - name: w\n    adresses: []\n");
  REQUIRE_FALSE(unknown_key);
  CHECK_THAT(unknown_key.status().message(), Catch::Contains("adresses"));
}

TEST_CASE("ConfigTracker starts with the base config, dry-run forced by the flag") {
  Recorder rec;
  nca::policy::PolicyConfig base;
  base.failure_action = nca::policy::FailureAction::kDeny;
  auto t = tracker(rec, base, /*dry_run=*/true);
  CHECK(t->config()->failure_action == nca::policy::FailureAction::kDeny);
  CHECK(t->config()->dry_run);
  CHECK(rec.static_calls == 0);
}

TEST_CASE("ConfigTracker::apply: a valid config and inventory are applied") {
  Recorder rec;
  auto metrics = std::make_shared<nca::metrics::Metrics>("test");
  auto t = tracker(rec, {}, false, metrics);
  REQUIRE(t->config()->failure_action == nca::policy::FailureAction::kPending);

  nca::Status st = t->apply(
      config_map({{"config.yaml", "failureAction: deny\n"}, {"inventory.yaml", kInventory}}));
  REQUIRE(st.is_ok());
  CHECK(t->config()->failure_action == nca::policy::FailureAction::kDeny);
  CHECK(rec.static_calls == 1);
  CHECK(rec.present);
  REQUIRE(rec.machines.size() == 1);
  CHECK(rec.machines[0].node_name == "worker-0");
  CHECK(rec.changed_calls == 1);
  CHECK_THAT(metrics->render(),
             Catch::Contains("node_csr_approver_config_reloads_total{result=\"success\"} 1"));

  // A version without inventory.yaml: no static inventory; without config.yaml: the base.
  REQUIRE(t->apply(config_map({})).is_ok());
  CHECK(t->config()->failure_action == nca::policy::FailureAction::kPending);
  CHECK(rec.static_calls == 2);
  CHECK_FALSE(rec.present);
  CHECK(rec.machines.empty());
}

TEST_CASE("ConfigTracker::apply: an invalid config.yaml keeps the previous config") {
  Recorder rec;
  auto t = tracker(rec);
  REQUIRE(t->apply(config_map({{"config.yaml", "failureAction: deny\n"}})).is_ok());
  const auto before = t->config();
  const int static_before = rec.static_calls, changed_before = rec.changed_calls;

  nca::Status st = t->apply(
      config_map({{"config.yaml", "failureAction: deny\nserving:\n  trustNodeAddress: always\n"},
                  {"inventory.yaml", kInventory}}));
  REQUIRE_FALSE(st.is_ok());
  CHECK(st.code() == nca::Code::kInvalid);
  CHECK_THAT(st.message(), Catch::Contains("config.yaml"));
  CHECK_THAT(st.message(), Catch::Contains("line 3: serving.trustNodeAddress: unknown key"));
  CHECK(t->config() == before);  // the very same config object stays in force
  CHECK(t->config()->failure_action == nca::policy::FailureAction::kDeny);
  CHECK(rec.static_calls == static_before);  // the good inventory.yaml is not applied either
  CHECK(rec.changed_calls == changed_before);
}

TEST_CASE("ConfigTracker::apply: an invalid inventory.yaml applies nothing") {
  Recorder rec;
  auto t = tracker(rec);
  const auto before = t->config();
  nca::Status st = t->apply(config_map(
      {{"config.yaml", "failureAction: deny\n"},
       {"inventory.yaml", "machines:\n  - name: worker-0\n    addresses: [not-an-ip]\n"}}));
  REQUIRE_FALSE(st.is_ok());
  CHECK_THAT(st.message(), Catch::Contains("inventory.yaml"));
  CHECK_THAT(st.message(), Catch::Contains("not-an-ip"));
  // The valid config.yaml next to it is not applied: a half-applied version never runs.
  CHECK(t->config() == before);
  CHECK(t->config()->failure_action == nca::policy::FailureAction::kPending);
  CHECK(rec.static_calls == 0);
  CHECK(rec.changed_calls == 0);
}

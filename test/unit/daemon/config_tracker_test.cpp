#include "daemon/config_tracker.h"

#include <catch2/catch.hpp>

#include "../cache/fake_list_watcher.h"
#include "base/fake_clock.h"
#include "daemon/last_good_config.h"
#include "fake_api.h"
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

  // A version that drops a key the last good one had is rejected: the configured inventory
  // and policy never revert to the permissive defaults while running. (Fails on the old
  // tracker, which applied it: no static inventory and the base config.)
  nca::Status dropped = t->apply(config_map({}));
  REQUIRE_FALSE(dropped.is_ok());
  CHECK_THAT(dropped.message(), Catch::Contains("was removed"));
  CHECK(t->config()->failure_action == nca::policy::FailureAction::kDeny);
  CHECK(rec.static_calls == 1);
  CHECK(rec.present);
}

TEST_CASE("ConfigTracker::apply: the first version may lack keys: they mean the base") {
  Recorder rec;
  auto t = tracker(rec);
  REQUIRE(t->apply(config_map({})).is_ok());
  CHECK(t->config()->failure_action == nca::policy::FailureAction::kPending);
  CHECK(rec.static_calls == 1);
  CHECK_FALSE(rec.present);
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

namespace {

const char* kNs = "node-csr-approver";
const char* kName = "node-csr-approver-config";

nlohmann::json config_map_json(std::map<std::string, std::string> data, const std::string& rv) {
  nlohmann::json d = nlohmann::json::object();
  for (const auto& [k, v] : data) d[k] = v;
  return {{"metadata", {{"name", kName}, {"namespace", kNs}, {"resourceVersion", rv}}},
          {"data", d}};
}

std::string last_good_path() {
  return nca::kube::resources::configmaps().object_path(kNs, nca::daemon::last_good_name(kName));
}

// A tracker watching a fake ConfigMap collection, writing through a fake API.
struct Live {
  Recorder rec;
  std::shared_ptr<nca::metrics::Metrics> metrics = std::make_shared<nca::metrics::Metrics>("t");
  std::shared_ptr<nca::FakeClock> clock = std::make_shared<nca::FakeClock>();
  std::shared_ptr<nca::testing::FakeApi> api = std::make_shared<nca::testing::FakeApi>();
  std::shared_ptr<nca::testing::FakeListWatcher> lw =
      std::make_shared<nca::testing::FakeListWatcher>();
  std::unique_ptr<ConfigTracker> t = tracker(rec, {}, false, metrics);
  bool leader = true;

  nca::Status start() {
    t->set_leader_check([this] { return leader; });
    t->watch(api, lw, clock, kNs, kName);
    std::stop_source never;
    return t->wait_for_sync(never.get_token());
  }
  bool metric(const std::string& result, int n) {
    return metrics->render().find("node_csr_approver_config_reloads_total{result=\"" + result +
                                  "\"} " + std::to_string(n)) != std::string::npos;
  }
};

}  // namespace

TEST_CASE("the leader keeps the last good version in NAME-last-good; followers do not write") {
  Live l;
  l.leader = false;
  l.lw->set_objects({config_map_json({{"inventory.yaml", kInventory}}, "7")}, "7");
  REQUIRE(l.start().is_ok());
  CHECK(l.api->writes == 0);
  l.leader = true;
  l.t->store_last_good();  // as on gaining leadership
  auto copy = l.api->object_at(last_good_path());
  REQUIRE(copy.is_object());
  CHECK(copy["data"]["inventory.yaml"] == kInventory);
  CHECK(copy["metadata"]["annotations"][std::string(nca::daemon::kLastGoodSourceAnnotation)] ==
        "7");
  const int writes = l.api->writes;
  l.t->store_last_good();  // unchanged: no write
  CHECK(l.api->writes == writes);

  // A rejected version is never stored.
  l.lw->push_watch(
      {{nca::testing::event(nca::kube::WatchEvent::Type::kModified,
                            config_map_json({{"inventory.yaml", "machines: ["}}, "8"))},
       nca::Status::ok()});
  REQUIRE(l.lw->wait_for_idle_watch(2));
  CHECK(l.api->object_at(last_good_path())["data"]["inventory.yaml"] == kInventory);
  CHECK(l.metric("failure", 1));
  l.t->stop();
}

TEST_CASE("a deleted configuration ConfigMap keeps the last good config, loudly") {
  // Fails on the old tracker, which went back to the file/default configuration (no static
  // inventory: Node self-reported addresses trusted again) without an Event or metric.
  Live l;
  l.lw->set_objects(
      {config_map_json({{"config.yaml", "failureAction: deny\n"}, {"inventory.yaml", kInventory}},
                       "7")},
      "7");
  REQUIRE(l.start().is_ok());
  REQUIRE(l.rec.present);
  const int static_calls = l.rec.static_calls;
  l.lw->push_watch(
      {{nca::testing::event(nca::kube::WatchEvent::Type::kDeleted, config_map_json({}, "9"))},
       nca::Status::ok()});
  REQUIRE(l.lw->wait_for_idle_watch(2));
  CHECK(l.t->config()->failure_action == nca::policy::FailureAction::kDeny);
  CHECK(l.rec.static_calls == static_calls);
  CHECK(l.rec.present);
  CHECK(l.metric("failure", 1));
  CHECK(l.api->event_reasons() == std::vector<std::string>{"ConfigDeleted"});
  l.t->stop();
}

TEST_CASE("an invalid configuration at start starts from the last good copy, loudly") {
  // Fails on the old tracker: wait_for_sync returned the error and the daemon exited 1.
  Live l;
  REQUIRE(nca::daemon::store_last_good(
              *l.api, kNs, kName,
              {{"config.yaml", "failureAction: deny\n"}, {"inventory.yaml", kInventory}}, "5")
              .is_ok());
  l.lw->set_objects({config_map_json({{"config.yaml", "failureAction: sometimes\n"}}, "7")}, "7");
  REQUIRE(l.start().is_ok());
  CHECK(l.t->config()->failure_action == nca::policy::FailureAction::kDeny);
  CHECK(l.rec.present);
  CHECK(l.metric("failure", 1));
  CHECK(l.metric("fallback", 1));
  auto reasons = l.api->event_reasons();
  CHECK(std::find(reasons.begin(), reasons.end(), "StartedFromLastGoodConfig") != reasons.end());
  CHECK(std::find(reasons.begin(), reasons.end(), "InvalidConfig") != reasons.end());

  // A valid edit later applies as usual.
  l.lw->push_watch(
      {{nca::testing::event(nca::kube::WatchEvent::Type::kModified,
                            config_map_json({{"config.yaml", "failureAction: pending\n"},
                                             {"inventory.yaml", kInventory}},
                                            "8"))},
       nca::Status::ok()});
  REQUIRE(l.lw->wait_for_idle_watch(2));
  CHECK(l.t->config()->failure_action == nca::policy::FailureAction::kPending);
  l.t->stop();
}

TEST_CASE("without a last good copy an invalid first version is still an error") {
  Live l;
  l.lw->set_objects({config_map_json({{"config.yaml", "failureAction: sometimes\n"}}, "7")}, "7");
  nca::Status st = l.start();
  REQUIRE_FALSE(st.is_ok());
  CHECK(st.code() == nca::Code::kInvalid);
  l.t->stop();
}

TEST_CASE("a configuration ConfigMap missing at start, with a copy, starts from the copy") {
  Live l;
  REQUIRE(nca::daemon::store_last_good(*l.api, kNs, kName, {{"inventory.yaml", kInventory}}, "5")
              .is_ok());
  REQUIRE(l.start().is_ok());
  CHECK(l.rec.present);
  CHECK(l.metric("fallback", 1));

  Live none;  // no copy either: the file/default configuration, as before
  REQUIRE(none.start().is_ok());
  CHECK_FALSE(none.rec.present);
  CHECK(none.metric("fallback", 0));
  l.t->stop();
  none.t->stop();
}

// `explain` and the daemon agree by construction: the same CSRs, Nodes, ConfigMap config
// and static inventory go once through live explain (a fake API) and once through the
// reconciler (the daemon's path, with fakes of its cache and state), and both must give
// the same outcome and reason. The cases are those where explain used to disagree: an
// older serving CSR of a node, the flood guard, a second bootstrap CSR for one name.
#include <catch2/catch.hpp>
#include <sstream>

#include "../approver/fakes.h"
#include "app/explain.h"
#include "approver/reconciler.h"
#include "base/fake_clock.h"
#include "base/time_format.h"
#include "config/policy_config.h"
#include "daemon/config_tracker.h"
#include "fake_api.h"
#include "inventory/node_machine.h"
#include "inventory/snapshot_builder.h"
#include "kube/decode.h"
#include "support/csr_builder.h"
#include "support/csr_object.h"

using namespace nca;
using app::testing::FakeApi;
using test::CsrBuilder;

namespace {

constexpr const char* kNow = "2026-11-23T12:05:00Z";
constexpr const char* kInventory =
    "machines:\n"
    "  - name: worker-0\n    hostnames: [worker-0]\n    addresses: [192.0.2.20]\n"
    "  - name: worker-2\n    hostnames: [worker-2]\n    addresses: [192.0.2.22]\n"
    "    created: 2026-11-23T11:00:00Z\n";

nlohmann::json serving(const std::string& name, const std::string& created,
                       std::vector<std::string> conditions = {}) {
  auto opts = test::serving_csr_options("worker-0");
  opts.name = name;
  opts.uid = "uid-" + name;
  opts.creation_timestamp = created;
  opts.conditions = std::move(conditions);
  return test::make_csr_object(opts,
                               CsrBuilder::kubelet_serving("worker-0").ip("192.0.2.20").pem());
}

nlohmann::json bootstrap(const std::string& name, const std::string& node,
                         const std::string& created, std::vector<std::string> conditions = {}) {
  auto opts = test::bootstrap_options();
  opts.name = name;
  opts.uid = "uid-" + name;
  opts.creation_timestamp = created;
  opts.conditions = std::move(conditions);
  return test::make_csr_object(opts, CsrBuilder::kubelet_client(node).pem());
}

struct Answer {
  std::string outcome, reason;
};

// What live explain says (with the Deployment's ConfigMap, as an admin runs it).
Answer explain(FakeApi& api, const std::string& name) {
  app::ExplainOptions o;
  o.name = name;
  o.output = app::OutputFormat::kJson;
  std::ostringstream out, err;
  const int code = app::run_live_explain(o, api, *parse_rfc3339(kNow), out, err);
  INFO(err.str());
  REQUIRE(code == 0);
  auto j = nlohmann::json::parse(out.str());
  return {j["outcome"].get<std::string>(), j["reason"].get<std::string>()};
}

// What the daemon's reconciler decides with the same objects.
Answer daemon_decides(FakeApi& api, const std::string& name, const std::string& config_yaml) {
  auto csrs = std::make_shared<approver::testing::FakeCsrs>();
  for (const auto& item : api.lists[kube::resources::csrs().collection_path()]) {
    csrs->put(kube::decode_csr(item).value());
  }
  inventory::SnapshotBuilder builder;
  for (const auto& item : api.lists[kube::resources::nodes().collection_path()]) {
    builder.add(inventory::node_machine(kube::decode_node(item).value()), "node");
  }
  builder.inventory_source_present();
  builder.add(daemon::parse_static_inventory(kInventory).value());
  auto state = std::make_shared<approver::testing::FakeState>();
  state->snapshot = std::make_shared<inventory::Snapshot>(builder.build());
  state->cfg = std::make_shared<policy::PolicyConfig>(
      config::parse_policy_config(config_yaml, "config.yaml").value());
  auto clock = std::make_shared<FakeClock>();
  clock->set_wall(*parse_rfc3339(kNow));
  approver::Reconciler reconciler({csrs, state, std::make_shared<approver::testing::FakeWriter>(),
                                   std::make_shared<approver::testing::FakeEvents>(), nullptr,
                                   clock, [] { return false; }, nullptr});
  auto r = reconciler.reconcile(name);
  REQUIRE(r.decision);
  return {std::string(policy::outcome_name(r.decision->outcome)), r.decision->reason};
}

void check_agree(FakeApi& api, const std::string& name, const std::string& config_yaml,
                 const std::string& expected_reason) {
  INFO(name);
  const Answer daemon = daemon_decides(api, name, config_yaml);
  const Answer explained = explain(api, name);
  CHECK(daemon.reason == expected_reason);
  CHECK(explained.outcome == daemon.outcome);
  CHECK(explained.reason == daemon.reason);
}

FakeApi cluster(const std::string& config_yaml) {
  FakeApi api;
  api.add_node("worker-0", "192.0.2.20");
  api.add_config_map({{"config.yaml", config_yaml}, {"inventory.yaml", kInventory}},
                     "node-csr-approver-config");
  return api;
}

}  // namespace

TEST_CASE("explain and the daemon agree on an older serving CSR of a node") {
  // Fails before approver::decide: explain said approve for csr-old.
  FakeApi api = cluster("{}");
  api.add_csr(serving("csr-old", "2026-11-23T11:59:00Z"));
  api.add_csr(serving("csr-new", "2026-11-23T12:00:00Z"));
  check_agree(api, "csr-old", "{}", "SupersededByNewerCSR");
  check_agree(api, "csr-new", "{}", "ServingApproved");

  FakeApi approved = cluster("{}");
  approved.add_csr(serving("csr-old", "2026-11-23T11:59:00Z"));
  approved.add_csr(serving("csr-new", "2026-11-23T12:00:00Z", {"Approved"}));
  check_agree(approved, "csr-old", "{}", "SupersededByNewerCSR");
}

TEST_CASE("explain and the daemon agree on the flood guard") {
  const std::string config = "pendingGuard:\n  limit: 1\n";
  FakeApi api = cluster(config);
  api.add_csr(bootstrap("csr-a", "worker-2", "2026-11-23T12:00:00Z"));
  api.add_csr(bootstrap("csr-b", "worker-9", "2026-11-23T12:00:01Z"));
  check_agree(api, "csr-a", config, "PendingGuardExceeded");
}

TEST_CASE("explain and the daemon agree on a second bootstrap CSR for one name") {
  FakeApi api = cluster("{}");
  api.add_csr(bootstrap("csr-first", "worker-2", "2026-11-23T11:30:00Z", {"Approved"}));
  api.add_csr(bootstrap("csr-second", "worker-2", "2026-11-23T12:00:00Z"));
  check_agree(api, "csr-second", "{}", "ClientCertificateAlreadyIssued");
}

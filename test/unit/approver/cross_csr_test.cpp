// The cross-CSR rules of approver::decide, through the reconciler (what the daemon does):
// newest serving CSR of a node wins even after it was approved or issued, and one client
// certificate per node name per bootstrap window.
#include <catch2/catch.hpp>

#include "approver/decide.h"
#include "approver/reconciler.h"
#include "base/fake_clock.h"
#include "base/time_format.h"
#include "fakes.h"
#include "inventory/snapshot_builder.h"
#include "kube/decode.h"
#include "support/csr_builder.h"
#include "support/csr_object.h"
#include "x509/ip_address.h"

using namespace nca;
using approver::testing::FakeCsrs;
using approver::testing::FakeEvents;
using approver::testing::FakeState;
using approver::testing::FakeWriter;
using test::CsrBuilder;

namespace {

inventory::Machine machine(const std::string& name, const std::string& ip, bool node_ref) {
  inventory::Machine m;
  m.source = inventory::Source::kStatic;
  m.name = name;
  m.node_name = name;
  m.hostnames = {name};
  m.addresses = {*x509::parse_ip(ip)};
  m.has_node_ref = node_ref;
  m.created = parse_rfc3339("2026-11-23T11:00:00Z");
  return m;
}

inventory::Machine node(const std::string& name, const std::string& ip) {
  inventory::Machine m = machine(name, ip, true);
  m.source = inventory::Source::kNode;
  return m;
}

kube::CertificateSigningRequest serving(const std::string& name, const std::string& created,
                                        std::vector<std::string> conditions = {},
                                        bool issued = false) {
  auto opts = test::serving_csr_options("worker-0");
  opts.name = name;
  opts.uid = "uid-" + name;
  opts.creation_timestamp = created;
  opts.conditions = std::move(conditions);
  opts.issued = issued;
  const std::string pem = CsrBuilder::kubelet_serving("worker-0").ip("192.0.2.10").pem();
  return kube::decode_csr(test::make_csr_object(opts, pem)).value();
}

// A bootstrap client CSR for system:node:worker-2 (a machine without a Node yet).
kube::CertificateSigningRequest bootstrap(const std::string& name, const std::string& created,
                                          std::vector<std::string> conditions = {},
                                          bool issued = false) {
  auto opts = test::bootstrap_options();
  opts.name = name;
  opts.uid = "uid-" + name;
  opts.creation_timestamp = created;
  opts.conditions = std::move(conditions);
  opts.issued = issued;
  return kube::decode_csr(test::make_csr_object(opts, CsrBuilder::kubelet_client("worker-2").pem()))
      .value();
}

struct Fixture {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<FakeCsrs> csrs = std::make_shared<FakeCsrs>();
  std::shared_ptr<FakeState> state = std::make_shared<FakeState>();
  std::shared_ptr<FakeWriter> writer = std::make_shared<FakeWriter>();
  std::shared_ptr<FakeEvents> events = std::make_shared<FakeEvents>();
  approver::Reconciler reconciler{
      {csrs, state, writer, events, nullptr, clock, [] { return true; }, nullptr}};

  Fixture() {
    clock->set_wall(*parse_rfc3339("2026-11-23T12:00:05Z"));
    state->snapshot =
        std::make_shared<inventory::Snapshot>(inventory::SnapshotBuilder()
                                                  .add(machine("worker-0", "192.0.2.10", true))
                                                  .add(machine("worker-2", "192.0.2.12", false))
                                                  .add(node("worker-0", "192.0.2.10"))
                                                  .build());
  }
  policy::Decision reconcile(const std::string& key) {
    auto r = reconciler.reconcile(key);
    REQUIRE(r.status.is_ok());
    REQUIRE(r.decision);
    return *r.decision;
  }
};

}  // namespace

TEST_CASE("an older serving CSR is superseded by a newer one that is already approved") {
  // Fails before approver::decide: once the newest was approved, the older one was
  // approved at the next resync (only pending siblings were compared).
  for (const bool issued : {false, true}) {
    INFO((issued ? "approved and issued" : "approved"));
    Fixture f;
    f.csrs->put(serving("csr-old", "2026-11-23T11:59:00Z"));
    f.csrs->put(serving("csr-new", "2026-11-23T12:00:00Z", {"Approved"}, issued));
    for (int resync = 0; resync < 2; ++resync) {
      const policy::Decision d = f.reconcile("csr-old");
      CHECK(d.outcome == policy::Outcome::kPending);
      CHECK(d.reason == "SupersededByNewerCSR");
      CHECK(d.message.find("csr-new") != std::string::npos);
    }
    CHECK(f.writer->written.empty());
  }
}

TEST_CASE("a denied or failed newer serving CSR does not supersede an older one") {
  for (const char* condition : {"Denied", "Failed"}) {
    INFO(condition);
    Fixture f;
    f.csrs->put(serving("csr-old", "2026-11-23T11:59:00Z"));
    f.csrs->put(serving("csr-new", "2026-11-23T12:00:00Z", {"Approved", condition}));
    CHECK(f.reconcile("csr-old").outcome == policy::Outcome::kApprove);
  }
}

TEST_CASE("SupersededByNewerCSR follows failureActions") {
  Fixture f;
  auto cfg = std::make_shared<policy::PolicyConfig>();
  cfg->failure_action_overrides["SupersededByNewerCSR"] = policy::FailureAction::kDeny;
  f.state->cfg = cfg;
  f.csrs->put(serving("csr-old", "2026-11-23T11:59:00Z"));
  f.csrs->put(serving("csr-new", "2026-11-23T12:00:00Z", {"Approved"}));
  CHECK(f.reconcile("csr-old").outcome == policy::Outcome::kDeny);
  REQUIRE(f.writer->written.size() == 1);
  CHECK(f.writer->written[0].reason == "SupersededByNewerCSR");
}

TEST_CASE("a second bootstrap CSR for a name whose first was approved is not approved") {
  // Fails before approver::decide: the racing second requester got system:node:worker-2.
  for (const bool issued : {false, true}) {
    INFO((issued ? "first issued" : "first approved"));
    Fixture f;
    f.csrs->put(bootstrap("csr-first", "2026-11-23T11:30:00Z", {"Approved"}, issued));
    f.csrs->put(bootstrap("csr-second", "2026-11-23T12:00:00Z"));
    const policy::Decision d = f.reconcile("csr-second");
    CHECK(d.outcome == policy::Outcome::kPending);
    CHECK(d.reason == "ClientCertificateAlreadyIssued");
    CHECK(d.message.find("csr-first") != std::string::npos);
    CHECK(f.writer->written.empty());
  }
}

TEST_CASE("an approved client certificate outside the bootstrap window does not block") {
  // The machine was re-created (11:00) long after the first certificate for its name.
  Fixture f;
  auto cfg = std::make_shared<policy::PolicyConfig>();
  cfg->bootstrap.creation_window = std::chrono::minutes(30);
  f.state->cfg = cfg;
  f.csrs->put(bootstrap("csr-first", "2026-11-23T10:00:00Z", {"Approved"}, true));
  f.csrs->put(bootstrap("csr-second", "2026-11-23T11:10:00Z"));
  f.clock->set_wall(*parse_rfc3339("2026-11-23T11:10:05Z"));
  CHECK(f.reconcile("csr-second").outcome == policy::Outcome::kApprove);
}

TEST_CASE("of two pending bootstrap CSRs for one name only the oldest is approved") {
  Fixture f;
  f.csrs->put(bootstrap("csr-first", "2026-11-23T11:59:00Z"));
  f.csrs->put(bootstrap("csr-second", "2026-11-23T12:00:00Z"));
  // Either order of work: the newer one never gets a certificate.
  const policy::Decision second = f.reconcile("csr-second");
  CHECK(second.outcome == policy::Outcome::kPending);
  CHECK(second.reason == "DuplicateClientCSRPending");
  CHECK(f.reconcile("csr-first").outcome == policy::Outcome::kApprove);
  REQUIRE(f.writer->written.size() == 1);
  CHECK(f.writer->written[0].csr == "csr-first");
  // The cache catches up: the first is approved; the second stays refused.
  f.csrs->put(bootstrap("csr-first", "2026-11-23T11:59:00Z", {"Approved"}));
  CHECK(f.reconcile("csr-second").reason == "ClientCertificateAlreadyIssued");
  CHECK(f.writer->written.size() == 1);
}

TEST_CASE("decide counts the CSR itself for the flood guard once") {
  FakeCsrs none;
  auto csr = bootstrap("csr-a", "2026-11-23T12:00:00Z");
  CHECK(approver::pending_bootstrap_count(csr, none) == 1);
  FakeCsrs with_self;
  with_self.put(csr);
  with_self.put(bootstrap("csr-b", "2026-11-23T12:00:01Z"));
  CHECK(approver::pending_bootstrap_count(csr, with_self) == 2);
  CHECK(approver::pending_bootstrap_count(serving("s", "2026-11-23T12:00:00Z"), with_self) == 0);
}

TEST_CASE("the cross-CSR rules reuse a sibling's outcome while nothing it depends on changed") {
  Fixture f;
  auto cfg = f.state->cfg;
  // Five newer duplicates whose SAN IP no inventory lists (left pending), then the valid one.
  std::vector<kube::CertificateSigningRequest> dups;
  for (int i = 1; i <= 5; ++i) {
    auto opts = test::serving_csr_options("worker-0");
    opts.name = "dup-" + std::to_string(i);
    opts.uid = "uid-" + opts.name;
    opts.resource_version = "1";
    opts.creation_timestamp = "2026-11-23T11:59:1" + std::to_string(i) + "Z";
    const std::string pem = CsrBuilder::kubelet_serving("worker-0").ip("192.0.2.99").pem();
    dups.push_back(kube::decode_csr(test::make_csr_object(opts, pem)).value());
    f.csrs->put(dups.back());
  }
  const auto old = serving("csr-old", "2026-11-23T11:59:00Z");
  f.csrs->put(old);
  approver::OutcomeMemo memo;
  auto decide = [&](const kube::CertificateSigningRequest& csr,
                    const approver::OutcomeMemo::Inventory& inv, bool with_memo) {
    const approver::SiblingOutcomes siblings{&memo, inv, cfg};
    return approver::decide({.csr = csr,
                             .csrs = *f.csrs,
                             .inventory = *inv,
                             .config = *cfg,
                             .now = f.clock->wall_now(),
                             .siblings = with_memo ? &siblings : nullptr});
  };
  for (const auto& dup : dups) {
    CHECK(decide(dup, f.state->snapshot, true).reason == "SanIpNotInInventory");
  }
  CHECK(memo.misses() == 0);  // deciding a CSR records its outcome, asks for none

  // The valid one asks for its five newer siblings: all answered from the memo.
  const policy::Decision with_memo = decide(old, f.state->snapshot, true);
  CHECK(with_memo.outcome == policy::Outcome::kApprove);
  CHECK(memo.hits() == 5);
  CHECK(memo.misses() == 0);
  const policy::Decision without = decide(old, f.state->snapshot, false);
  CHECK(without.outcome == with_memo.outcome);
  CHECK(without.reason == with_memo.reason);

  // A new inventory snapshot (equal content, another object): evaluated again.
  auto replaced = std::make_shared<inventory::Snapshot>(*f.state->snapshot);
  CHECK(decide(old, replaced, true).outcome == policy::Outcome::kApprove);
  CHECK(memo.misses() == 5);
  // A sibling's new resourceVersion: that one again.
  dups[0].metadata.resource_version = "2";
  f.csrs->put(dups[0]);
  CHECK(decide(old, replaced, true).outcome == policy::Outcome::kApprove);
  CHECK(memo.misses() == 6);
  CHECK(memo.hits() == 5 + 4);
  // Past max_age (rules read the clock): every sibling again.
  f.clock->set_wall(f.clock->wall_now() + std::chrono::seconds(2));
  CHECK(decide(old, replaced, true).outcome == policy::Outcome::kApprove);
  CHECK(memo.misses() == 6 + 5);
}

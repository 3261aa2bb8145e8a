#include "approver/reconciler.h"

#include <catch2/catch.hpp>

#include "base/fake_clock.h"
#include "base/time_format.h"
#include "fakes.h"
#include "inventory/snapshot_builder.h"
#include "kube/decode.h"
#include "policy/reasons.h"
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

kube::CertificateSigningRequest serving_csr(const std::string& csr_name, const std::string& node,
                                            const std::string& ip,
                                            const std::string& created = "2026-11-23T12:00:00Z") {
  auto opts = test::serving_csr_options(node);
  opts.name = csr_name;
  opts.uid = "uid-" + csr_name;
  opts.creation_timestamp = created;
  const std::string pem = CsrBuilder::kubelet_serving(node).ip(ip).pem();
  return kube::decode_csr(test::make_csr_object(opts, pem)).value();
}

struct Fixture {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<FakeCsrs> csrs = std::make_shared<FakeCsrs>();
  std::shared_ptr<FakeState> state = std::make_shared<FakeState>();
  std::shared_ptr<FakeWriter> writer = std::make_shared<FakeWriter>();
  std::shared_ptr<FakeEvents> events = std::make_shared<FakeEvents>();
  std::shared_ptr<metrics::Metrics> metrics = std::make_shared<metrics::Metrics>("test");
  bool leader = true;
  approver::Reconciler reconciler{
      {csrs, state, writer, events, metrics, clock, [this] { return leader; }, nullptr}};

  Fixture() {
    clock->set_wall(*parse_rfc3339("2026-11-23T12:00:05Z"));
    state->snapshot =
        std::make_shared<inventory::Snapshot>(inventory::SnapshotBuilder()
                                                  .add(machine("worker-0", "192.0.2.10", true))
                                                  .add(machine("worker-1", "192.0.2.11", true))
                                                  .add(node("worker-0", "192.0.2.10"))
                                                  .add(node("worker-1", "192.0.2.11"))
                                                  .build());
  }
  void config(const std::function<void(policy::PolicyConfig&)>& edit) {
    auto c = std::make_shared<policy::PolicyConfig>();
    edit(*c);
    state->cfg = c;
  }
};

}  // namespace

TEST_CASE("a legitimate serving CSR is approved once, with an Event and a metric") {
  Fixture f;
  f.csrs->put(serving_csr("csr-a", "worker-0", "192.0.2.10"));
  auto r = f.reconciler.reconcile("csr-a");
  REQUIRE(r.status.is_ok());
  REQUIRE(r.decision);
  CHECK(r.decision->outcome == policy::Outcome::kApprove);
  CHECK(r.wrote);
  REQUIRE(f.writer->written.size() == 1);
  CHECK(f.writer->written[0].approve);
  CHECK(f.writer->written[0].reason == "NodeCSRApproverApproved");
  REQUIRE(f.events->events.size() == 1);
  CHECK(f.events->events[0].reason == "Approved");
  CHECK(
      f.metrics->render().find(
          R"(node_csr_approver_decisions_total{kind="serving",outcome="approve",reason="ServingApproved",signer="kubernetes.io/kubelet-serving"} 1)") !=
      std::string::npos);
  CHECK(f.metrics->render().find("node_csr_approver_approval_latency_seconds_count 1") !=
        std::string::npos);
}

TEST_CASE("another node's IP is left pending with one Event, however often it is reconciled") {
  Fixture f;
  f.csrs->put(serving_csr("csr-evil", "worker-0", "192.0.2.11"));
  for (int i = 0; i < 3; ++i) {
    auto r = f.reconciler.reconcile("csr-evil");
    REQUIRE(r.status.is_ok());
    CHECK(r.decision->outcome == policy::Outcome::kPending);
    CHECK_FALSE(r.wrote);
  }
  CHECK(f.writer->written.empty());
  REQUIRE(f.events->events.size() == 1);
  CHECK(f.events->events[0].type == "Warning");
  CHECK(f.events->events[0].reason == "Pending");
  CHECK(f.events->events[0].message.find("192.0.2.11") != std::string::npos);
}

TEST_CASE("failureAction deny writes Denied with the policy's reason") {
  Fixture f;
  f.config([](policy::PolicyConfig& c) { c.failure_action = policy::FailureAction::kDeny; });
  f.csrs->put(serving_csr("csr-evil", "worker-0", "192.0.2.11"));
  auto r = f.reconciler.reconcile("csr-evil");
  REQUIRE(f.writer->written.size() == 1);
  CHECK_FALSE(f.writer->written[0].approve);
  CHECK(f.writer->written[0].reason == r.decision->reason);
  CHECK(policy::find_reason(f.writer->written[0].reason) != nullptr);
}

TEST_CASE("followers evaluate but never write") {
  Fixture f;
  f.leader = false;
  f.csrs->put(serving_csr("csr-a", "worker-0", "192.0.2.10"));
  auto r = f.reconciler.reconcile("csr-a");
  CHECK(r.decision->outcome == policy::Outcome::kApprove);
  CHECK_FALSE(r.wrote);
  CHECK(f.writer->written.empty());
  CHECK(f.events->events.empty());
}

TEST_CASE("a failed write is returned for a retry, and the retry approves") {
  Fixture f;
  f.csrs->put(serving_csr("csr-a", "worker-0", "192.0.2.10"));
  f.writer->fail_next = {Status(Code::kUnavailable, "apiserver restarting")};
  auto first = f.reconciler.reconcile("csr-a");
  CHECK(first.status.code() == Code::kUnavailable);
  CHECK(f.writer->written.empty());
  auto second = f.reconciler.reconcile("csr-a");
  CHECK(second.status.is_ok());
  CHECK(f.writer->written.size() == 1);
}

TEST_CASE("decided, issued, deleted and foreign CSRs are skipped") {
  Fixture f;
  auto approved = serving_csr("csr-done", "worker-0", "192.0.2.10");
  approved.conditions.push_back({"Approved", "True", "x", "y", {}, {}});
  f.csrs->put(approved);
  auto foreign = serving_csr("csr-foreign", "worker-0", "192.0.2.10");
  foreign.signer_name = "example.com/other";
  f.csrs->put(foreign);
  for (const char* key : {"csr-done", "csr-foreign", "csr-missing"}) {
    INFO(key);
    auto r = f.reconciler.reconcile(key);
    CHECK(r.status.is_ok());
    CHECK_FALSE(r.wrote);
  }
  CHECK(f.writer->written.empty());
  CHECK(f.events->events.empty());
}

TEST_CASE("of two valid serving CSRs of one node only the newest is approved") {
  Fixture f;
  f.csrs->put(serving_csr("csr-old", "worker-0", "192.0.2.10", "2026-11-23T11:59:00Z"));
  f.csrs->put(serving_csr("csr-new", "worker-0", "192.0.2.10", "2026-11-23T12:00:00Z"));
  auto old_r = f.reconciler.reconcile("csr-old");
  CHECK(old_r.decision->outcome == policy::Outcome::kPending);
  CHECK(old_r.decision->reason == "SupersededByNewerCSR");
  auto new_r = f.reconciler.reconcile("csr-new");
  CHECK(new_r.decision->outcome == policy::Outcome::kApprove);
  REQUIRE(f.writer->written.size() == 1);
  CHECK(f.writer->written[0].csr == "csr-new");
}

TEST_CASE("an invalid newer CSR does not supersede a valid older one") {
  Fixture f;
  f.csrs->put(serving_csr("csr-old", "worker-0", "192.0.2.10", "2026-11-23T11:59:00Z"));
  f.csrs->put(serving_csr("csr-new-evil", "worker-0", "192.0.2.11", "2026-11-23T12:00:00Z"));
  CHECK(f.reconciler.reconcile("csr-old").decision->outcome == policy::Outcome::kApprove);
}

TEST_CASE("dry-run records the would-be decision and writes nothing") {
  Fixture f;
  f.config([](policy::PolicyConfig& c) { c.dry_run = true; });
  f.csrs->put(serving_csr("csr-a", "worker-0", "192.0.2.10"));
  auto r = f.reconciler.reconcile("csr-a");
  CHECK(r.decision->dry_run);
  CHECK_FALSE(r.wrote);
  CHECK(f.writer->written.empty());
  REQUIRE(f.events->events.size() == 1);
  CHECK(f.events->events[0].reason == "DryRun");
  CHECK(f.events->events[0].message.rfind("would approve", 0) == 0);
}

TEST_CASE("a follower marks nothing as reported, so it reports once it leads") {
  Fixture f;
  f.leader = false;
  f.csrs->put(serving_csr("csr-evil", "worker-0", "192.0.2.11"));
  CHECK(f.reconciler.reconcile("csr-evil").decision->outcome == policy::Outcome::kPending);
  CHECK(f.events->events.empty());
  CHECK(f.reconciler.tracked_csrs() == 0);
  f.leader = true;  // won the election: the pending reason is reported now, once
  f.reconciler.reconcile("csr-evil");
  f.reconciler.reconcile("csr-evil");
  REQUIRE(f.events->events.size() == 1);
  CHECK(f.events->events[0].reason == "Pending");
}

TEST_CASE("per-CSR bookkeeping is dropped when a CSR is deleted, decided elsewhere or replaced") {
  Fixture f;
  for (const char* name : {"csr-1", "csr-2", "csr-3"}) {
    f.csrs->put(serving_csr(name, "worker-0", "192.0.2.11"));
    f.reconciler.reconcile(name);
  }
  REQUIRE(f.reconciler.tracked_csrs() == 3);

  f.csrs->remove("csr-1");  // deleted (by the garbage collector, an admin, …)
  f.reconciler.reconcile("csr-1");
  CHECK(f.reconciler.tracked_csrs() == 2);

  auto decided = serving_csr("csr-2", "worker-0", "192.0.2.11");  // an admin denied it
  decided.conditions.push_back({"Denied", "True", "Admin", "no", {}, {}});
  f.csrs->put(decided);
  f.reconciler.reconcile("csr-2");
  CHECK(f.reconciler.tracked_csrs() == 1);

  // Same name, new object: its reason is reported again, and the entry is not duplicated.
  auto replaced = serving_csr("csr-3", "worker-0", "192.0.2.11");
  replaced.metadata.uid = "uid-csr-3-again";
  f.csrs->put(replaced);
  f.reconciler.reconcile("csr-3");
  CHECK(f.reconciler.tracked_csrs() == 1);
  CHECK(f.events->events.size() == 4);

  f.csrs->remove("csr-3");
  f.reconciler.reconcile("csr-3");
  CHECK(f.reconciler.tracked_csrs() == 0);
}

TEST_CASE("a CSR another replica decided first is not counted, reported or retried") {
  // Its conditional write meets a 409; the re-read shows the other replica's decision.
  Fixture f;
  auto csr = serving_csr("csr-a", "worker-0", "192.0.2.10");
  f.csrs->put(csr);
  csr.metadata.resource_version = "8";
  csr.conditions.push_back({"Approved", "True", "Other", "by replica b", {}, {}});
  f.writer->server["csr-a"] = std::make_shared<const kube::CertificateSigningRequest>(csr);
  f.writer->fail_next.push_back(Status(Code::kConflict, "the object has been modified"));
  auto r = f.reconciler.reconcile("csr-a");
  CHECK(r.status.is_ok());  // nothing to retry
  CHECK_FALSE(r.wrote);
  CHECK(f.writer->rereads == 1);
  CHECK(f.events->events.empty());
  CHECK(f.metrics->render().find("node_csr_approver_decisions_total{") == std::string::npos);
  CHECK(f.metrics->render().find("node_csr_approver_approval_latency_seconds_count 0") !=
        std::string::npos);
}

TEST_CASE("a write from a stale cache is re-decided once on the server's copy") {
  Fixture f;
  auto csr = serving_csr("csr-a", "worker-0", "192.0.2.10");
  f.csrs->put(csr);
  csr.metadata.resource_version = "8";  // e.g. a label added after the cache's copy
  f.writer->server["csr-a"] = std::make_shared<const kube::CertificateSigningRequest>(csr);
  f.writer->fail_next.push_back(Status(Code::kConflict, "the object has been modified"));

  SECTION("still pending and valid: approved with the second write") {
    auto r = f.reconciler.reconcile("csr-a");
    CHECK(r.status.is_ok());
    CHECK(r.wrote);
    CHECK(f.writer->rereads == 1);
    REQUIRE(f.writer->written.size() == 1);
    CHECK(f.writer->written[0].approve);
    CHECK(f.events->events.size() == 1);
  }
  SECTION("a second conflict is retried later, not looped on") {
    f.writer->fail_next.push_back(Status(Code::kConflict, "modified again"));
    auto r = f.reconciler.reconcile("csr-a");
    CHECK(r.status.code() == Code::kConflict);  // non-OK: requeued with backoff
    CHECK_FALSE(r.wrote);
    CHECK(f.writer->rereads == 1);
    CHECK(f.writer->written.empty());
    CHECK(f.events->events.empty());
  }
  SECTION("replaced by a new object of the same name: left to its own informer event") {
    csr.metadata.uid = "another-uid";
    f.writer->server["csr-a"] = std::make_shared<const kube::CertificateSigningRequest>(csr);
    auto r = f.reconciler.reconcile("csr-a");
    CHECK(r.status.is_ok());
    CHECK_FALSE(r.wrote);
    CHECK(f.writer->written.empty());
  }
  SECTION("gone: nothing to do") {
    f.writer->server.clear();
    auto r = f.reconciler.reconcile("csr-a");
    CHECK(r.status.is_ok());
    CHECK_FALSE(r.wrote);
  }
}

TEST_CASE("a write refused for lack of leadership time is requeued, not counted") {
  Fixture f;
  f.csrs->put(serving_csr("csr-a", "worker-0", "192.0.2.10"));
  f.writer->fail_next.push_back(Status(Code::kCancelled, "not sent: leadership deadline"));
  auto r = f.reconciler.reconcile("csr-a");
  CHECK(r.status.code() == Code::kCancelled);  // non-OK: the worker requeues with backoff
  CHECK_FALSE(r.wrote);
  CHECK(f.events->events.empty());
}

namespace {
// Answers "PENDING" until `answered`, then worker-0's address.
class SlowResolver : public policy::Resolver {
 public:
  bool answered = false;
  policy::LookupResult lookup(std::string_view, std::string_view) const override {
    policy::LookupResult r;
    r.status =
        answered ? policy::LookupResult::Status::kFound : policy::LookupResult::Status::kPending;
    if (answered) r.addresses = {*x509::parse_ip("192.0.2.10")};
    return r;
  }
  policy::LookupResult reverse(const x509::IpAddress&, std::string_view) const override {
    return {};
  }
};
}  // namespace

TEST_CASE("a CSR waiting for DNS is neither reported nor counted; the answer approves it") {
  Fixture f;
  SlowResolver dns;
  approver::Reconciler reconciler{
      {f.csrs, f.state, f.writer, f.events, f.metrics, f.clock, [] { return true; }, &dns}};
  f.config([](policy::PolicyConfig& c) { c.serving.resolve_dns = true; });
  f.csrs->put(serving_csr("csr-a", "worker-0", "192.0.2.10"));
  auto r = reconciler.reconcile("csr-a");
  REQUIRE(r.decision);
  CHECK(r.decision->reason == "DnsLookupPending");
  CHECK(f.events->events.empty());
  CHECK(f.metrics->render().find("reason=\"DnsLookupPending\"") == std::string::npos);
  dns.answered = true;
  r = reconciler.reconcile("csr-a");
  CHECK(r.wrote);
  REQUIRE(f.events->events.size() == 1);
  CHECK(f.events->events[0].reason == "Approved");
}

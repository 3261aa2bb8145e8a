#include "daemon/guard_gauges.h"

#include <catch2/catch.hpp>

#include "../approver/fakes.h"
#include "kube/decode.h"
#include "support/csr_builder.h"
#include "support/csr_object.h"

using namespace nca;

namespace {

kube::CertificateSigningRequest bootstrap_csr(const std::string& name) {
  auto opts = test::bootstrap_options();
  opts.name = name;
  opts.uid = "uid-" + name;
  const std::string pem = test::CsrBuilder::kubelet_client("worker-9").pem();
  return kube::decode_csr(test::make_csr_object(opts, pem)).value();
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

// A state whose config sets the pending guard: a fixed limit, or a slack over the
// machines awaiting a Node.
approver::testing::FakeState guard_state(std::optional<std::int64_t> fixed_limit,
                                         std::int64_t slack = 0) {
  approver::testing::FakeState state;
  auto cfg = std::make_shared<policy::PolicyConfig>();
  cfg->pending_guard.fixed_limit = fixed_limit;
  cfg->pending_guard.slack = slack;
  state.cfg = cfg;
  return state;
}

}  // namespace

TEST_CASE("the guard gauges follow the pending bootstrap count, not the last CSR evaluated") {
  approver::testing::FakeCsrs csrs;
  auto state = guard_state(2);
  metrics::Metrics m("t");
  daemon::GuardGauges gauges;
  for (const char* name : {"boot-1", "boot-2", "boot-3"}) csrs.put(bootstrap_csr(name));
  auto decided = bootstrap_csr("boot-done");
  decided.conditions.push_back({"Approved", "True", "x", "y", {}, {}});
  csrs.put(decided);

  gauges.update(csrs, state, m);
  std::string text = m.render();
  INFO(text);
  CHECK(has_line(text, "node_csr_approver_pending_bootstrap_csrs 3"));
  CHECK(has_line(text, "node_csr_approver_pending_bootstrap_limit 2"));
  CHECK(has_line(text, "node_csr_approver_pending_guard_active 1"));

  // The flood is cleaned up; no bootstrap CSR is reconciled again, the gauge drops anyway.
  csrs.remove("boot-2");
  csrs.remove("boot-3");
  gauges.update(csrs, state, m);
  text = m.render();
  CHECK(has_line(text, "node_csr_approver_pending_bootstrap_csrs 1"));
  CHECK(has_line(text, "node_csr_approver_pending_guard_active 0"));
}

TEST_CASE("the derived guard limit is machines awaiting a Node plus slack") {
  approver::testing::FakeCsrs csrs;
  auto state = guard_state(std::nullopt, 4);
  CHECK(daemon::pending_guard_state(csrs, state).limit == 4);
}

TEST_CASE("the guard gauges recompute the limit only when the inventory snapshot is replaced") {
  approver::testing::FakeCsrs csrs;
  auto state = guard_state(std::nullopt, 1);
  auto snapshot = std::make_shared<inventory::Snapshot>();
  inventory::Machine awaiting;
  awaiting.source = inventory::Source::kBareMetalHost;
  awaiting.node_name = "worker-1";
  snapshot->machines.push_back(awaiting);
  state.snapshot = snapshot;
  metrics::Metrics m("t");
  daemon::GuardGauges gauges;

  gauges.update(csrs, state, m);
  CHECK(has_line(m.render(), "node_csr_approver_pending_bootstrap_limit 2"));

  // Published snapshots are immutable; editing this one in place shows the limit is not
  // walked again while the same snapshot is current.
  snapshot->machines.push_back(awaiting);
  snapshot->machines.back().node_name = "worker-2";
  gauges.update(csrs, state, m);
  CHECK(has_line(m.render(), "node_csr_approver_pending_bootstrap_limit 2"));

  // A new snapshot (the tracker publishes one per inventory change) is counted again.
  state.snapshot = std::make_shared<inventory::Snapshot>(*snapshot);
  gauges.update(csrs, state, m);
  CHECK(has_line(m.render(), "node_csr_approver_pending_bootstrap_limit 3"));

  // So is a new config.
  state.cfg = guard_state(7).cfg;
  gauges.update(csrs, state, m);
  CHECK(has_line(m.render(), "node_csr_approver_pending_bootstrap_limit 7"));
}

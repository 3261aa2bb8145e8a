#include "daemon/guard_gauges.h"

#include <catch2/catch.hpp>

#include "../approver/fakes.h"
#include "kube/decode.h"
#include "support/csr_builder.h"
#include "support/csr_object.h"

using namespace nca;
using daemon::update_guard_gauges;

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

}  // namespace

TEST_CASE("the guard gauges follow the pending bootstrap count, not the last CSR evaluated") {
  approver::testing::FakeCsrs csrs;
  approver::testing::FakeState state;
  auto cfg = std::make_shared<policy::PolicyConfig>();
  cfg->pending_guard.fixed_limit = 2;
  state.cfg = cfg;
  metrics::Metrics m("t");
  for (const char* name : {"boot-1", "boot-2", "boot-3"}) csrs.put(bootstrap_csr(name));
  auto decided = bootstrap_csr("boot-done");
  decided.conditions.push_back({"Approved", "True", "x", "y", {}, {}});
  csrs.put(decided);

  update_guard_gauges(csrs, state, m);
  std::string text = m.render();
  INFO(text);
  CHECK(has_line(text, "node_csr_approver_pending_bootstrap_csrs 3"));
  CHECK(has_line(text, "node_csr_approver_pending_bootstrap_limit 2"));
  CHECK(has_line(text, "node_csr_approver_pending_guard_active 1"));

  // The flood is cleaned up; no bootstrap CSR is reconciled again, the gauge drops anyway.
  csrs.remove("boot-2");
  csrs.remove("boot-3");
  update_guard_gauges(csrs, state, m);
  text = m.render();
  CHECK(has_line(text, "node_csr_approver_pending_bootstrap_csrs 1"));
  CHECK(has_line(text, "node_csr_approver_pending_guard_active 0"));
}

TEST_CASE("the derived guard limit is machines awaiting a Node plus slack") {
  approver::testing::FakeCsrs csrs;
  approver::testing::FakeState state;
  auto cfg = std::make_shared<policy::PolicyConfig>();
  cfg->pending_guard.slack = 4;
  state.cfg = cfg;
  CHECK(daemon::pending_guard_state(csrs, state).limit == 4);
}

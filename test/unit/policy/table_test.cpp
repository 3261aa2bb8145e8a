// Runs every table row (serving_cases, client_cases, outcome_cases) and checks that the
// rows together exercise every reason code the policy can emit.
#include <catch2/catch.hpp>
#include <set>

#include "policy/reasons.h"
#include "world.h"

using namespace nca::policy;
using namespace nca::policy::testing;

namespace {

void run_table(const std::vector<Case>& cases, std::set<std::string>& seen) {
  for (const Case& c : cases) {
    INFO("case: " << c.name);
    World world = World::standard();
    if (c.world) c.world(world);
    Decision d;
    REQUIRE_NOTHROW(d = evaluate_request(world, c.request()));
    INFO("got " << outcome_name(d.outcome) << " " << d.reason << ": " << d.message);
    CHECK(outcome_name(d.outcome) == outcome_name(c.outcome));
    CHECK(d.reason == c.reason);
    CHECK_FALSE(d.message.empty());
    CHECK_FALSE(d.checks.empty());
    // Every failed decision names the failing check in its trace.
    if (d.outcome != Outcome::kApprove) {
      bool traced = false;
      for (const auto& check : d.checks) traced |= !check.ok && check.detail.starts_with(d.reason);
      CHECK(traced);
    } else {
      for (const auto& check : d.checks) CHECK(check.ok);
    }
    seen.insert(d.reason);
  }
}

}  // namespace

TEST_CASE("policy table: serving CSRs") {
  std::set<std::string> seen;
  auto cases = serving_cases();
  CHECK(cases.size() >= 60);
  run_table(cases, seen);
}

TEST_CASE("policy table: client CSRs") {
  std::set<std::string> seen;
  auto cases = client_cases();
  CHECK(cases.size() >= 30);
  run_table(cases, seen);
}

TEST_CASE("policy table: classification, failure actions and key settings") {
  std::set<std::string> seen;
  run_table(outcome_cases(), seen);
}

TEST_CASE("policy table: the rows cover every reason code") {
  std::set<std::string> seen;
  std::vector<Case> all = serving_cases();
  for (auto& c : client_cases()) all.push_back(std::move(c));
  for (auto& c : outcome_cases()) all.push_back(std::move(c));
  // Reasons the rows expect; the per-table tests check that they are really emitted.
  for (const Case& c : all) seen.insert(c.reason);
  for (const ReasonInfo& info : all_reasons()) {
    // Cross-CSR and explain-only reasons: test/unit/approver and test/unit/app cover them.
    if (info.source != ReasonSource::kPolicy) continue;
    INFO("reason " << info.code);
    CHECK(seen.contains(std::string(info.code)));
  }
  CHECK(all.size() >= 80);
}

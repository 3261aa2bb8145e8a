#include "events/event_correlator.h"

#include <catch2/catch.hpp>

#include "base/time_format.h"

using namespace nca;
using events::EventAction;
using Kind = events::EventAction::Kind;

namespace {

kube::EventSpec spec(const std::string& csr, const std::string& reason = "Pending",
                     const std::string& message = "SanIpNotInInventory: 192.0.2.11") {
  kube::EventSpec s;
  s.involved_object = {
      "certificates.k8s.io/v1", "CertificateSigningRequest", csr, "", "uid-" + csr, "1"};
  s.type = "Warning";
  s.reason = reason;
  s.message = message;
  return s;
}

const WallTime kT0 = *parse_rfc3339("2026-11-23T12:00:00Z");
const MonoTime kM0{};

}  // namespace

TEST_CASE("a repeat of the same Event becomes a PATCH of count and lastTimestamp") {
  events::EventCorrelator c;
  EventAction first = c.correlate(spec("csr-a"), kT0, kM0);
  REQUIRE(first.kind == Kind::kCreate);
  CHECK(first.ns == "default");
  CHECK(first.create["count"] == 1);
  EventAction again = c.correlate(spec("csr-a"), kT0 + std::chrono::seconds(7), kM0);
  REQUIRE(again.kind == Kind::kPatch);
  CHECK(again.name == first.name);
  CHECK(again.patch["count"] == 2);
  CHECK(again.patch["lastTimestamp"] == "2026-11-23T12:00:07Z");
  // If the Event is gone, it is re-created with the count and first time kept.
  CHECK(again.create["count"] == 2);
  CHECK(again.create["firstTimestamp"] == "2026-11-23T12:00:00Z");
  CHECK(c.tracked_events() == 1);
}

TEST_CASE("another reason, message or object is another Event") {
  events::EventCorrelator c;
  CHECK(c.correlate(spec("csr-a"), kT0, kM0).kind == Kind::kCreate);
  CHECK(c.correlate(spec("csr-a", "Denied"), kT0, kM0).kind == Kind::kCreate);
  CHECK(c.correlate(spec("csr-a", "Pending", "other"), kT0, kM0).kind == Kind::kCreate);
  CHECK(c.correlate(spec("csr-b"), kT0, kM0).kind == Kind::kCreate);
  CHECK(c.tracked_events() == 4);
  CHECK(c.tracked_objects() == 2);
}

TEST_CASE("per object, a burst passes, then one Event per refill interval") {
  events::CorrelatorSettings s;
  s.burst = 3;
  s.refill_interval = std::chrono::seconds(300);
  events::EventCorrelator c(s);
  for (int i = 0; i < 3; ++i) {
    INFO(i);
    CHECK(c.correlate(spec("csr-a", "R" + std::to_string(i)), kT0, kM0).kind != Kind::kDrop);
  }
  CHECK(c.correlate(spec("csr-a", "R3"), kT0, kM0).kind == Kind::kDrop);
  // Another object has its own bucket.
  CHECK(c.correlate(spec("csr-b"), kT0, kM0).kind == Kind::kCreate);
  // A dropped repeat is still counted: the next PATCH that passes carries the true count.
  CHECK(c.correlate(spec("csr-a", "R0"), kT0, kM0 + std::chrono::seconds(299)).kind == Kind::kDrop);
  EventAction later = c.correlate(spec("csr-a", "R0"), kT0, kM0 + std::chrono::seconds(300));
  REQUIRE(later.kind == Kind::kPatch);
  CHECK(later.patch["count"] == 3);
  CHECK(c.correlate(spec("csr-a", "R0"), kT0, kM0 + std::chrono::seconds(301)).kind == Kind::kDrop);
}

TEST_CASE("many CSRs share a global budget: a flood of CSRs is not a flood of Events") {
  events::CorrelatorSettings s;
  s.global_burst = 10;
  s.global_per_second = 2;
  events::EventCorrelator c(s);
  int sent = 0;
  for (int i = 0; i < 1000; ++i) {
    if (c.correlate(spec("csr-" + std::to_string(i)), kT0, kM0).kind != Kind::kDrop) ++sent;
  }
  CHECK(sent == 10);
  // One second later, two more.
  for (int i = 0; i < 10; ++i) {
    if (c.correlate(spec("late-" + std::to_string(i)), kT0, kM0 + std::chrono::seconds(1)).kind !=
        Kind::kDrop)
      ++sent;
  }
  CHECK(sent == 12);
}

TEST_CASE("the correlator's caches stay bounded by cache_size") {
  events::CorrelatorSettings s;
  s.cache_size = 16;
  events::EventCorrelator c(s);
  for (int i = 0; i < 1000; ++i) c.correlate(spec("csr-" + std::to_string(i)), kT0, kM0);
  CHECK(c.tracked_events() == 16);
  CHECK(c.tracked_objects() == 16);
}

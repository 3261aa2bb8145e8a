#include "events/async_recorder.h"

#include <catch2/catch.hpp>
#include <map>

#include "base/fake_clock.h"
#include "base/time_format.h"
#include "fake_sink.h"

using namespace nca;

namespace {

kube::EventSpec spec(const std::string& csr, const std::string& reason = "Pending") {
  kube::EventSpec s;
  s.involved_object = {
      "certificates.k8s.io/v1", "CertificateSigningRequest", csr, "", "uid-" + csr, "1"};
  s.type = "Warning";
  s.reason = reason;
  s.message = "SanIpNotInInventory";
  return s;
}

struct Fixture {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<events::testing::FakeSink> sink = std::make_shared<events::testing::FakeSink>();
  std::map<std::string, int> results;
  events::AsyncRecorderSettings settings;
  std::unique_ptr<events::AsyncRecorder> rec;
  Fixture(std::size_t capacity = 1024) {
    clock->set_wall(*parse_rfc3339("2026-11-23T12:00:00Z"));
    settings.queue_capacity = capacity;
    rec = std::make_unique<events::AsyncRecorder>(
        settings, sink, clock, [this](std::string_view r) { ++results[std::string(r)]; });
  }
};

}  // namespace

TEST_CASE("record() only enqueues; the sender creates once and patches repeats") {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.rec->record(spec("csr-a"));
  CHECK(f.sink->calls.empty());  // nothing sent on the caller's thread
  CHECK(f.rec->queued() == 5);
  CHECK(f.rec->flush() == 5);
  REQUIRE(f.sink->events.size() == 1);
  const nlohmann::json& ev = f.sink->events.begin()->second;
  CHECK(ev["count"] == 5);
  CHECK(ev["reason"] == "Pending");
  CHECK(f.results["created"] == 1);
  CHECK(f.results["patched"] == 4);
}

TEST_CASE("a flood of new CSRs is held to the global Event budget") {
  Fixture f;
  for (int i = 0; i < 500; ++i) f.rec->record(spec("csr-" + std::to_string(i)));
  f.rec->flush();
  CHECK(f.sink->events.size() == 100);
  CHECK(f.results["rate_limited"] == 400);
}

TEST_CASE("a full queue drops and counts, never blocks") {
  Fixture f(2);
  for (int i = 0; i < 5; ++i) f.rec->record(spec("csr-" + std::to_string(i)));
  CHECK(f.rec->queued() == 2);
  CHECK(f.results["queue_full"] == 3);
  f.rec->flush();
  CHECK(f.sink->events.size() == 2);
}

TEST_CASE("a CSR flood is not an Event flood: per object at most the burst") {
  Fixture f;
  for (int i = 0; i < 100; ++i) f.rec->record(spec("csr-a", "Reason" + std::to_string(i)));
  f.rec->flush();
  CHECK(f.sink->events.size() == 25);
  CHECK(f.results["rate_limited"] == 75);
}

TEST_CASE("a repeat whose Event has gone is created again with its count") {
  Fixture f;
  f.rec->record(spec("csr-a"));
  f.rec->flush();
  f.sink->events.clear();  // expired (Event TTL) or deleted
  f.clock->set_wall(*parse_rfc3339("2026-11-23T13:00:00Z"));
  f.rec->record(spec("csr-a"));
  f.rec->flush();
  REQUIRE(f.sink->events.size() == 1);
  CHECK(f.sink->events.begin()->second["count"] == 2);
  const std::vector<std::string> expected{"create", "patch", "create"};
  CHECK(f.sink->calls == expected);
  // And the next repeat patches the new one.
  f.rec->record(spec("csr-a"));
  f.rec->flush();
  CHECK(f.sink->events.begin()->second["count"] == 3);
}

TEST_CASE("stop() drops what is queued and counts it; record() after stop is dropped") {
  Fixture f;
  f.rec->record(spec("csr-a"));
  f.rec->record(spec("csr-b"));
  f.rec->stop();
  CHECK(f.results["dropped_at_shutdown"] == 2);
  f.rec->record(spec("csr-c"));
  CHECK(f.results["dropped_at_shutdown"] == 3);
  CHECK(f.sink->calls.empty());
}

TEST_CASE("with the sender thread, a stalled API server never blocks record()") {
  Fixture f;
  f.sink->blocked = true;
  f.rec->start();
  f.rec->record(spec("csr-a"));  // the sender takes it and hangs in create()
  for (int i = 0; i < 10; ++i) f.rec->record(spec("csr-" + std::to_string(i)));
  // Every record() returned while the sink is stuck; the Events wait in the queue.
  CHECK(f.rec->queued() >= 10);
  f.sink->release();
  CHECK(f.sink->wait_for_calls(11));
  f.rec->stop();
  CHECK(f.sink->events.size() == 11);
}

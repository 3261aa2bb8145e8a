// Reflector recovery: backoff growth and reset on the FakeClock, short watches, list
// failures. Event delivery and relists are covered through the informer.
#include "cache/reflector.h"

#include <catch2/catch.hpp>

#include "base/fake_clock.h"
#include "fake_list_watcher.h"

using namespace std::chrono_literals;
using namespace nca::testing;
using nca::cache::RawObject;
using nca::cache::Reflector;
using Type = nca::kube::WatchEvent::Type;

namespace {

// A sink that only counts what it receives.
struct CountingSink : nca::cache::ReflectorSink {
  std::atomic<int> replaces{0}, pages{0}, aborted{0}, adds{0}, updates{0}, removes{0};
  std::vector<nca::Status> list_page(std::vector<RawObject>) override {
    ++pages;
    return {};
  }
  std::vector<nca::Status> list_done(const std::string&) override {
    ++replaces;
    return {};
  }
  void list_aborted() override { ++aborted; }
  nca::Status add(RawObject&) override {
    ++adds;
    return {};
  }
  nca::Status update(RawObject&) override {
    ++updates;
    return {};
  }
  nca::Status remove(RawObject&) override {
    ++removes;
    return {};
  }
};

nca::Status unavailable() { return nca::Status(nca::Code::kUnavailable, "connection refused"); }

struct Fixture {
  std::shared_ptr<nca::FakeClock> clock = std::make_shared<nca::FakeClock>();
  std::shared_ptr<FakeListWatcher> lw = std::make_shared<FakeListWatcher>();
  CountingSink sink;
  double random = 0.0;

  nca::cache::ReflectorOptions options() {
    nca::cache::ReflectorOptions o;
    o.name = "things";
    o.clock = clock;
    o.random = [this] { return random; };
    o.initial_backoff = 1s;
    o.max_backoff = 4s;
    o.min_watch_timeout_seconds = 60;
    return o;
  }

  // The reflector is asleep in backoff: `d` of fake time must pass, no less, before
  // watch call number `next` happens.
  void expect_backoff(nca::Duration d, std::size_t next) {
    REQUIRE(clock->wait_for_timers(1, 10s));
    clock->advance(d - 1ms);
    CHECK(lw->watch_calls().size() == next - 1);
    clock->advance(1ms);
    REQUIRE(lw->wait_for_watch_calls(next));
  }
};

}  // namespace

TEST_CASE("Reflector backs off exponentially on watch errors, capped, and resets on events") {
  Fixture f;
  f.lw->set_objects({object("a", "1")}, "10");
  for (int i = 0; i < 4; ++i) f.lw->push_watch({{}, unavailable()});
  f.lw->push_watch({{event(Type::kAdded, object("b", "11"))}, unavailable()});
  f.lw->push_watch({{}, unavailable()});
  auto options = f.options();
  options.watch_errors_before_relist = 100;  // this case is about backoff alone
  Reflector r(f.lw, f.sink, options);
  r.start();
  REQUIRE(f.lw->wait_for_watch_calls(1));
  f.expect_backoff(1s, 2);
  f.expect_backoff(2s, 3);
  f.expect_backoff(4s, 4);
  f.expect_backoff(4s, 5);  // capped
  f.expect_backoff(1s, 6);  // watch 5 delivered an event: reset
  f.expect_backoff(2s, 7);
  REQUIRE(f.lw->wait_for_idle_watch(7));

  for (const auto& w : f.lw->watch_calls()) CHECK(!w.resource_version.empty());
  CHECK(f.lw->watch_calls()[4].resource_version == "10");  // errors resume, no relist
  CHECK(f.lw->watch_calls()[6].resource_version == "11");
  auto st = r.stats();
  CHECK(st.watch_errors == 6);
  CHECK(st.lists == 1);
  CHECK(st.backoff_slept == 14s);
  CHECK(f.sink.replaces == 1);
  CHECK(f.sink.adds == 1);
}

TEST_CASE("Reflector jitters backoff and watch timeouts with its random source") {
  Fixture f;
  f.random = 0.5;
  f.lw->fail_lists(2, unavailable());
  Reflector r(f.lw, f.sink, f.options());
  r.start();
  REQUIRE(f.lw->wait_for_list_calls(1));
  REQUIRE(f.clock->wait_for_timers(1, 10s));
  f.clock->advance(1499ms);  // 1s * (1 + 0.5)
  CHECK(f.lw->list_calls().size() == 1);
  f.clock->advance(1ms);
  REQUIRE(f.lw->wait_for_list_calls(2));
  REQUIRE(f.clock->wait_for_timers(1, 10s));
  f.clock->advance(2999ms);  // 2s * 1.5
  CHECK(f.lw->list_calls().size() == 2);
  f.clock->advance(1ms);
  REQUIRE(f.lw->wait_for_idle_watch(1));
  CHECK(r.has_synced());
  CHECK(r.stats().list_errors == 2);
  CHECK(f.lw->watch_calls()[0].timeout_seconds == 90);  // 60 * (1 + 0.5)
}

TEST_CASE("Reflector is not synced until a list succeeds") {
  Fixture f;
  f.lw->fail_lists(1, nca::Status(nca::Code::kForbidden, "nope"));
  Reflector r(f.lw, f.sink, f.options());
  r.start();
  REQUIRE(f.clock->wait_for_timers(1, 10s));
  CHECK_FALSE(r.has_synced());
  CHECK(f.sink.replaces == 0);
  f.clock->advance(1s);
  REQUIRE(f.lw->wait_for_idle_watch(1));
  CHECK(r.has_synced());
  CHECK(f.sink.replaces == 1);
}

TEST_CASE("A watch that closes at once with no events is retried with backoff, not hot") {
  Fixture f;
  f.lw->push_watch({{}, nca::Status::ok()});
  f.lw->push_watch({{}, nca::Status::ok()});
  Reflector r(f.lw, f.sink, f.options());
  r.start();
  REQUIRE(f.lw->wait_for_watch_calls(1));
  f.expect_backoff(1s, 2);
  f.expect_backoff(2s, 3);
  CHECK(r.stats().watch_errors == 2);
  CHECK(r.stats().watch_restarts == 0);
}

TEST_CASE("A watch that ends normally after events re-watches at once") {
  Fixture f;
  f.lw->set_objects({}, "5");
  for (int i = 0; i < 10; ++i) {
    f.lw->push_watch({{bookmark(std::to_string(100 + i))}, nca::Status::ok()});
  }
  Reflector r(f.lw, f.sink, f.options());
  r.start();
  REQUIRE(f.lw->wait_for_idle_watch(11));
  CHECK(r.stats().watch_restarts == 10);
  CHECK(r.stats().watch_errors == 0);
  CHECK(r.stats().resource_version == "109");
  CHECK(f.lw->watch_calls()[10].resource_version == "109");
  CHECK(f.clock->pending_timers() == 0);
}

TEST_CASE("Reflector stop ends a backoff sleep") {
  Fixture f;
  f.lw->fail_lists(100, unavailable());
  Reflector r(f.lw, f.sink, f.options());
  r.start();
  REQUIRE(f.clock->wait_for_timers(1, 10s));
  r.stop();
  CHECK(f.clock->pending_timers() == 0);
  CHECK(f.lw->list_calls().size() == 1);
}

TEST_CASE("Watch errors other than 410, repeated, end in a relist (like client-go)") {
  Fixture f;
  f.lw->set_objects({object("a", "1")}, "10");
  nca::Status internal(nca::Code::kUnavailable, "etcdserver: leader changed");
  for (int i = 0; i < 3; ++i) f.lw->push_watch({{}, internal});
  auto options = f.options();
  options.watch_errors_before_relist = 3;
  Reflector r(f.lw, f.sink, options);
  r.start();
  REQUIRE(f.lw->wait_for_watch_calls(1));
  f.expect_backoff(1s, 2);
  f.expect_backoff(2s, 3);
  CHECK(f.lw->list_calls().size() == 1);  // two errors: still resuming
  f.lw->set_objects({object("a", "1"), object("b", "20")}, "30");
  REQUIRE(f.clock->wait_for_timers(1, 10s));  // the third error: backoff, then a list
  f.clock->advance(4s);
  REQUIRE(f.lw->wait_for_idle_watch(4));
  CHECK(f.lw->list_calls().size() == 2);
  CHECK(f.lw->watch_calls()[3].resource_version == "30");  // from the new list
  auto st = r.stats();
  CHECK(st.relists_after_errors == 1);
  CHECK(st.relists_gone == 0);
  CHECK(f.sink.replaces == 2);
}

TEST_CASE("A watch answered 'Too large resource version' relists at once") {
  // kube-apiserver's answer when our version is ahead of its history (etcd restored from a
  // backup): resuming from it can never work.
  Fixture f;
  f.lw->set_objects({object("a", "1")}, "500");
  f.lw->push_watch(
      {{},
       nca::Status(nca::Code::kTimeout, "Timeout: Too large resource version: 500, current: 40")});
  Reflector r(f.lw, f.sink, f.options());
  r.start();
  REQUIRE(f.lw->wait_for_watch_calls(1));
  f.lw->set_objects({object("a", "1")}, "41");
  REQUIRE(f.clock->wait_for_timers(1, 10s));
  f.clock->advance(1s);
  REQUIRE(f.lw->wait_for_idle_watch(2));
  CHECK(f.lw->list_calls().size() == 2);
  CHECK(f.lw->watch_calls()[1].resource_version == "41");
  CHECK(r.stats().relists_after_errors == 1);
}

TEST_CASE("Reflector health: a cache that is not being refreshed for stale_after is unhealthy") {
  Fixture f;
  f.lw->set_objects({object("a", "1")}, "10");
  for (int i = 0; i < 5; ++i) f.lw->push_watch({{}, unavailable()});
  auto options = f.options();
  options.watch_errors_before_relist = 100;
  options.stale_after = 10s;
  Reflector r(f.lw, f.sink, options);
  CHECK_FALSE(r.health().healthy);  // not synced
  r.start();
  REQUIRE(f.lw->wait_for_watch_calls(1));
  f.expect_backoff(1s, 2);  // t = 1 s
  auto h = r.health();
  CHECK(h.synced);
  CHECK(h.healthy);  // failing, but the list was 1 s ago
  CHECK(h.consecutive_failures >= 1);
  f.expect_backoff(2s, 3);  // t = 3 s
  f.expect_backoff(4s, 4);  // t = 7 s
  CHECK(r.health().healthy);
  f.expect_backoff(4s, 5);  // t = 11 s: five failures, last success 11 s ago
  REQUIRE(f.clock->wait_for_timers(1, 10s));
  h = r.health();
  CHECK_FALSE(h.healthy);
  CHECK(h.synced);
  CHECK(h.consecutive_failures == 5);
  REQUIRE(h.since_success);
  CHECK(*h.since_success == 11s);
  f.clock->advance(4s);  // the sixth watch is accepted and stays open: healthy again
  REQUIRE(f.lw->wait_for_idle_watch(6));
  h = r.health();
  CHECK(h.healthy);
  CHECK(h.consecutive_failures == 0);
}

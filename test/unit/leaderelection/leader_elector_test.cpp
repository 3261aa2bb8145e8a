#include "leaderelection/leader_elector.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "base/fake_clock.h"

using namespace std::chrono_literals;
using nca::Code;
using nca::Status;
using nca::leaderelection::ElectorSettings;
using nca::leaderelection::LeaderElector;
using nca::leaderelection::LeaderRecord;
using nca::leaderelection::LeaseLock;
using nca::leaderelection::VersionedRecord;

namespace {

// An in-memory Lease with resourceVersion semantics, shared by several electors.
class FakeLock : public LeaseLock {
 public:
  nca::Result<VersionedRecord> get(nca::Duration timeout) override {
    std::unique_lock lock(mu_);
    timeouts.push_back(timeout);
    if (stall) {  // a connection that answers nothing: wait for the test to let go
      ++stalled_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return !stall; });
      return Status(Code::kTimeout, "stalled");
    }
    if (on_get) on_get();
    if (fail_reads) return Status(Code::kUnavailable, "apiserver down");
    if (!record_) return nca::not_found("lease not found");
    return VersionedRecord{*record_, std::to_string(rv_)};
  }
  Status create(const LeaderRecord& r, nca::Duration timeout) override {
    std::lock_guard lock(mu_);
    timeouts.push_back(timeout);
    if (record_) return Status(Code::kAlreadyExists, "exists");
    record_ = r;
    ++rv_;
    return Status::ok();
  }
  Status update(const LeaderRecord& r, const std::string& rv, nca::Duration timeout) override {
    std::lock_guard lock(mu_);
    timeouts.push_back(timeout);
    if (fail_writes) return Status(Code::kUnavailable, "apiserver down");
    if (rv != std::to_string(rv_)) return Status(Code::kConflict, "stale");
    record_ = r;
    ++rv_;
    return Status::ok();
  }
  std::string describe() const override { return "ns/lease"; }
  LeaderRecord record() {
    std::lock_guard lock(mu_);
    return *record_;
  }
  // Simulates another writer (skewed clocks, a racing replica).
  void overwrite(const LeaderRecord& r) {
    std::lock_guard lock(mu_);
    record_ = r;
    ++rv_;
  }
  // Blocks until a call is stalled in get().
  bool wait_for_stalled_call() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 5s, [&] { return stalled_ > 0; });
  }
  void set_stall(bool on) {
    std::lock_guard lock(mu_);
    stall = on;
    cv_.notify_all();
  }
  std::atomic<bool> fail_reads{false}, fail_writes{false};
  std::vector<nca::Duration> timeouts;  // given to each call, in order (under mu_)
  std::function<void()> on_get;         // runs inside get() (under mu_)
  std::vector<nca::Duration> timeouts_seen() {
    std::lock_guard lock(mu_);
    return timeouts;
  }

 private:
  bool stall = false;
  int stalled_ = 0;
  std::condition_variable cv_;
  std::mutex mu_;
  std::optional<LeaderRecord> record_;
  int rv_ = 0;
};

ElectorSettings settings(std::string id) {
  ElectorSettings s;
  s.identity = std::move(id);
  return s;
}

}  // namespace

TEST_CASE("the first replica creates the lease; a second waits while it is held") {
  auto clock = std::make_shared<nca::FakeClock>();
  auto lock = std::make_shared<FakeLock>();
  LeaderElector a(settings("a"), lock, clock, {});
  LeaderElector b(settings("b"), lock, clock, {});
  REQUIRE(a.try_acquire_or_renew());
  CHECK(lock->record().holder_identity == "a");
  CHECK(lock->record().lease_transitions == 0);
  CHECK_FALSE(b.try_acquire_or_renew());
  clock->advance(10s);
  CHECK(a.try_acquire_or_renew());  // renewal
  CHECK_FALSE(b.try_acquire_or_renew());
  clock->advance(14s);  // 14 s since b saw the last change
  CHECK_FALSE(b.try_acquire_or_renew());
}

TEST_CASE("a lease not renewed for its duration is taken over, counting a transition") {
  auto clock = std::make_shared<nca::FakeClock>();
  auto lock = std::make_shared<FakeLock>();
  LeaderElector a(settings("a"), lock, clock, {});
  std::string seen_leader;
  LeaderElector b(settings("b"), lock, clock,
                  {.on_new_leader = [&](const std::string& l) { seen_leader = l; }});
  REQUIRE(a.try_acquire_or_renew());
  CHECK_FALSE(b.try_acquire_or_renew());
  CHECK(seen_leader == "a");
  clock->advance(15s);
  REQUIRE(b.try_acquire_or_renew());
  const LeaderRecord r = lock->record();
  CHECK(r.holder_identity == "b");
  CHECK(r.lease_transitions == 1);
  CHECK(r.acquire_time == clock->wall_now());
  CHECK_FALSE(a.try_acquire_or_renew());  // a now sees b's fresh record
}

TEST_CASE("expiry uses local observation time, not the timestamps written by others") {
  auto clock = std::make_shared<nca::FakeClock>();
  auto lock = std::make_shared<FakeLock>();
  // Another replica with a clock an hour behind writes a renew time that looks ancient.
  const auto skewed = clock->wall_now() - 1h;
  lock->overwrite(LeaderRecord{"skewed", 15, skewed, skewed, 3});
  LeaderElector b(settings("b"), lock, clock, {});
  CHECK_FALSE(b.try_acquire_or_renew());
  clock->advance(14s);
  CHECK_FALSE(b.try_acquire_or_renew());
  // The other replica renews (record changes): b's observation restarts.
  lock->overwrite(LeaderRecord{"skewed", 15, skewed, skewed + 2s, 3});
  clock->advance(2s);
  CHECK_FALSE(b.try_acquire_or_renew());
  clock->advance(15s);
  CHECK(b.try_acquire_or_renew());
  CHECK(lock->record().lease_transitions == 4);
}

TEST_CASE("a conflicting write or an unreadable lease never makes a leader") {
  auto clock = std::make_shared<nca::FakeClock>();
  auto lock = std::make_shared<FakeLock>();
  LeaderElector a(settings("a"), lock, clock, {});
  lock->fail_reads = true;
  CHECK_FALSE(a.try_acquire_or_renew());
  lock->fail_reads = false;
  REQUIRE(a.try_acquire_or_renew());
  lock->fail_writes = true;
  CHECK_FALSE(a.try_acquire_or_renew());
}

TEST_CASE("release hands the lease over at once") {
  auto clock = std::make_shared<nca::FakeClock>();
  auto lock = std::make_shared<FakeLock>();
  std::atomic<int> started{0}, stopped{0};
  LeaderElector a(
      settings("a"), lock, clock,
      {.on_started_leading = [&] { ++started; }, .on_stopped_leading = [&] { ++stopped; }});
  LeaderElector b(settings("b"), lock, clock, {});

  std::stop_source stop;
  std::thread runner([&] { a.run(stop.get_token()); });
  // a acquires at once and then sleeps one retry period: wait for that timer.
  REQUIRE(clock->wait_for_timers(1, 5000ms));
  CHECK(a.is_leader());
  CHECK(started == 1);
  CHECK_FALSE(b.try_acquire_or_renew());
  stop.request_stop();
  runner.join();
  CHECK_FALSE(a.is_leader());
  CHECK(stopped == 1);
  CHECK(lock->record().holder_identity.empty());
  CHECK(b.try_acquire_or_renew());  // no wait for expiry
}

TEST_CASE("a leader that cannot renew within the deadline stops leading") {
  auto clock = std::make_shared<nca::FakeClock>();
  auto lock = std::make_shared<FakeLock>();
  std::atomic<int> stopped{0};
  ElectorSettings s = settings("a");
  s.release_on_stop = false;
  LeaderElector a(s, lock, clock, {.on_stopped_leading = [&] { ++stopped; }});
  std::stop_source stop;
  std::thread runner([&] { a.run(stop.get_token()); });
  REQUIRE(clock->wait_for_timers(1, 5000ms));
  REQUIRE(a.is_leader());
  lock->fail_writes = true;
  // Step retry periods until the renew deadline (10 s) has passed without a renewal.
  for (int i = 0; i < 6 && a.is_leader(); ++i) {
    REQUIRE(clock->wait_for_timers(1, 5000ms));
    clock->advance(2s);
  }
  // The runner is back in the acquire loop: wait for its sleep before asserting.
  REQUIRE(clock->wait_for_timers(1, 5000ms));
  CHECK_FALSE(a.is_leader());
  CHECK(stopped == 1);
  stop.request_stop();
  runner.join();
}

TEST_CASE("settings are validated") {
  CHECK(LeaderElector::validate(settings("a")).is_ok());
  CHECK_FALSE(LeaderElector::validate(settings("")).is_ok());
  ElectorSettings bad = settings("a");
  bad.renew_deadline = 20s;
  CHECK(LeaderElector::validate(bad).message().find("lease duration") != std::string::npos);
}

TEST_CASE("is_leader() turns false at the renew deadline even while a renew is stuck") {
  // A leader whose connection to the API server stalls must stop writing before its lease
  // can expire for the others (15 s after they saw it change), not when the stuck request
  // finally returns. On main is_leader() stayed true for as long as the call hung.
  auto clock = std::make_shared<nca::FakeClock>();
  auto lock = std::make_shared<FakeLock>();
  ElectorSettings s = settings("a");
  s.release_on_stop = false;
  LeaderElector a(s, lock, clock, {});
  std::stop_source stop;
  std::thread runner([&] { a.run(stop.get_token()); });
  REQUIRE(clock->wait_for_timers(1, 5000ms));  // acquired at t = 0, sleeping until t = 2 s
  REQUIRE(a.is_leader());
  lock->set_stall(true);
  clock->advance(2s);  // the renew at t = 2 s hangs in get()
  REQUIRE(lock->wait_for_stalled_call());
  clock->advance(7999ms);  // t = 9.999 s
  CHECK(a.is_leader());
  clock->advance(1ms);  // t = 10 s = renew deadline after the last successful renew
  CHECK_FALSE(a.is_leader());
  // A follower could take over only at t >= 15 s: the old leader stopped 5 s before.
  clock->advance(10s);
  CHECK_FALSE(a.is_leader());
  lock->set_stall(false);
  stop.request_stop();
  runner.join();
  CHECK_FALSE(a.is_leader());
}

TEST_CASE("each renew call gets only the time left until the renew deadline") {
  auto clock = std::make_shared<nca::FakeClock>();
  auto lock = std::make_shared<FakeLock>();
  LeaderElector a(settings("a"), lock, clock, {});
  REQUIRE(a.try_acquire_or_renew(clock->now() + 10s));  // t = 0: get + create
  auto t = lock->timeouts_seen();
  REQUIRE(t.size() == 2);
  CHECK(t[0] == 10s);
  CHECK(t[1] == 10s);
  // A renew at t = 4 s whose read takes 3 s leaves 10 - 4 - 3 = 3 s for the write.
  clock->advance(4s);
  lock->on_get = [&] { clock->advance(3s); };
  REQUIRE(a.try_acquire_or_renew(clock->now() + 6s));
  t = lock->timeouts_seen();
  REQUIRE(t.size() == 4);
  CHECK(t[2] == 6s);
  CHECK(t[3] == 3s);
  // A read that uses up all the time: the write is not sent at all.
  lock->on_get = [&] { clock->advance(10s); };
  CHECK_FALSE(a.try_acquire_or_renew(clock->now() + 5s));
  CHECK(lock->timeouts_seen().size() == 5);
}

TEST_CASE("leadership_deadline: last renew start + lease - margin, only while leading") {
  // A write may start only while this says a time, and must be done by it: until then
  // nobody else can hold the lease (they wait the lease duration from when they saw our
  // renewal, which is after it started).
  auto clock = std::make_shared<nca::FakeClock>();
  auto lock = std::make_shared<FakeLock>();
  ElectorSettings s = settings("a");
  s.release_on_stop = false;
  LeaderElector a(s, lock, clock, {});
  CHECK_FALSE(a.leadership_deadline());  // not leading yet
  const auto t0 = clock->now();
  std::stop_source stop;
  std::thread runner([&] { a.run(stop.get_token()); });
  REQUIRE(clock->wait_for_timers(1, 5000ms));  // acquired at t = 0
  REQUIRE(a.leadership_deadline());
  CHECK(*a.leadership_deadline() == t0 + 13s);  // 15 s lease - 2 s margin
  clock->advance(2s);                           // renewed at t = 2 s
  REQUIRE(clock->wait_for_timers(1, 5000ms));
  CHECK(*a.leadership_deadline() == t0 + 15s);
  // The next renew (t = 4 s) stalls: the deadline stays where the last success put it,
  // and is withdrawn with is_leader() at the renew deadline (t = 12 s).
  lock->set_stall(true);
  clock->advance(2s);
  REQUIRE(lock->wait_for_stalled_call());
  clock->advance(7999ms);  // t = 11.999 s
  CHECK(a.is_leader());
  CHECK(*a.leadership_deadline() == t0 + 15s);
  clock->advance(1ms);  // t = 12 s
  CHECK_FALSE(a.is_leader());
  CHECK_FALSE(a.leadership_deadline());
  lock->set_stall(false);
  stop.request_stop();
  runner.join();
  CHECK_FALSE(a.leadership_deadline());
}

TEST_CASE("the write margin must leave the deadline after the renew deadline") {
  ElectorSettings s = settings("a");
  s.write_margin = 5s;  // 15 - 5 = 10 s: a write started just before t = 10 s gets nothing
  CHECK(LeaderElector::validate(s).message().find("write margin") != std::string::npos);
  s.write_margin = -1s;
  CHECK_FALSE(LeaderElector::validate(s).is_ok());
  s.write_margin = 0s;
  CHECK(LeaderElector::validate(s).is_ok());
}

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "base/fake_clock.h"

using namespace std::chrono_literals;

TEST_CASE("FakeClock runs due timers in time order when advanced") {
  nca::FakeClock clock;
  std::vector<int> order;
  const auto t0 = clock.now();
  clock.schedule(t0 + 3s, [&] { order.push_back(3); });
  clock.schedule(t0 + 1s, [&] { order.push_back(1); });
  const auto id = clock.schedule(t0 + 2s, [&] { order.push_back(2); });
  clock.cancel(id);

  clock.advance(500ms);
  CHECK(order.empty());
  clock.advance(3s);
  CHECK(order == std::vector<int>{1, 3});
  CHECK(clock.now() == t0 + 3500ms);
  CHECK(clock.pending_timers() == 0);
}

TEST_CASE("FakeClock timers scheduled by timers inside the window also run") {
  nca::FakeClock clock;
  int fired = 0;
  const auto t0 = clock.now();
  clock.schedule(t0 + 1s, [&] {
    ++fired;
    clock.schedule(clock.now() + 1s, [&] { ++fired; });
  });
  clock.advance(2s);
  CHECK(fired == 2);
}

TEST_CASE("FakeClock moves wall time with monotonic time") {
  nca::FakeClock clock;
  const auto w0 = clock.wall_now();
  nca::WallTime seen{};
  clock.schedule(clock.now() + 10s, [&] { seen = clock.wall_now(); });
  clock.advance(60s);
  CHECK(seen - w0 == 10s);
  CHECK(clock.wall_now() - w0 == 60s);
}

TEST_CASE("sleep_until wakes when fake time passes the deadline, or on stop") {
  nca::FakeClock clock;
  std::atomic<int> result{-1};
  std::thread sleeper([&] { result = clock.sleep_for(5s) ? 1 : 0; });
  REQUIRE(clock.wait_for_timers(1, 5000ms));
  clock.advance(4s);
  CHECK(result == -1);
  clock.advance(1s);
  sleeper.join();
  CHECK(result == 1);

  std::stop_source stop;
  std::thread stopped([&] { result = clock.sleep_for(5s, stop.get_token()) ? 1 : 0; });
  REQUIRE(clock.wait_for_timers(1, 5000ms));
  stop.request_stop();
  stopped.join();
  CHECK(result == 0);
  CHECK(clock.pending_timers() == 0);
}

TEST_CASE("RealClock fires a near timer and cancels a far one") {
  nca::RealClock clock;
  std::atomic<bool> near{false}, far{false};
  clock.schedule(clock.now(), [&] { near = true; });
  const auto id = clock.schedule(clock.now() + 1h, [&] { far = true; });
  clock.cancel(id);
  // Bounded wait on a condition, not a fixed sleep.
  CHECK(clock.sleep_for(1ms));
  const auto deadline = clock.now() + 5s;
  while (!near && clock.now() < deadline) std::this_thread::yield();
  CHECK(near);
  CHECK_FALSE(far);
}

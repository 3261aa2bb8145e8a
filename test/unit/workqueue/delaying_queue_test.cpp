#include "workqueue/delaying_queue.h"

#include <catch2/catch.hpp>

#include "base/fake_clock.h"

using namespace std::chrono_literals;
using nca::workqueue::DelayingQueue;
using nca::workqueue::QueueOptions;

TEST_CASE("add_after releases keys in ready-time order as the clock advances") {
  auto clock = std::make_shared<nca::FakeClock>();
  DelayingQueue q(QueueOptions{"t", clock, nullptr});
  q.add_after("b", 2s);
  q.add_after("a", 1s);
  q.add_after("now", 0s);
  q.add_after("negative", -1s);
  CHECK(q.len() == 2);
  CHECK(q.waiting() == 2);
  CHECK(q.get() == "now");
  CHECK(q.get() == "negative");

  clock->advance(999ms);
  CHECK(q.len() == 0);
  clock->advance(1ms);
  CHECK(q.len() == 1);
  CHECK(q.get() == "a");
  clock->advance(1s);
  CHECK(q.get() == "b");
  CHECK(q.waiting() == 0);
  CHECK(clock->pending_timers() == 0);
}

TEST_CASE("add_after keeps the earlier ready time for a key already waiting") {
  auto clock = std::make_shared<nca::FakeClock>();
  DelayingQueue q(QueueOptions{"t", clock, nullptr});
  q.add_after("a", 5s);
  q.add_after("a", 1s);  // sooner: replaces
  q.add_after("a", 3s);  // later: ignored
  CHECK(q.waiting() == 1);
  CHECK(clock->pending_timers() == 1);
  clock->advance(1s);
  CHECK(q.len() == 1);
  clock->advance(10s);
  CHECK(q.len() == 1);  // nothing else fires
  CHECK(q.get() == "a");
}

TEST_CASE("a waiting key and a plain add of it collapse") {
  auto clock = std::make_shared<nca::FakeClock>();
  DelayingQueue q(QueueOptions{"t", clock, nullptr});
  q.add_after("a", 1s);
  q.add("a");
  CHECK(q.len() == 1);
  clock->advance(1s);
  CHECK(q.len() == 1);
}

TEST_CASE("shutdown drops waiting keys and cancels their timers") {
  auto clock = std::make_shared<nca::FakeClock>();
  DelayingQueue q(QueueOptions{"t", clock, nullptr});
  q.add_after("a", 1s);
  q.add_after("b", 2s);
  q.shutdown();
  CHECK(clock->pending_timers() == 0);
  q.add_after("c", 1s);
  clock->advance(5s);
  CHECK(q.get() == std::nullopt);
}

TEST_CASE("destroying a DelayingQueue cancels its timers") {
  auto clock = std::make_shared<nca::FakeClock>();
  {
    DelayingQueue q(QueueOptions{"t", clock, nullptr});
    q.add_after("a", 1s);
  }
  CHECK(clock->pending_timers() == 0);
  clock->advance(2s);  // nothing dangling fires
}

TEST_CASE("add_after works on the real clock") {
  DelayingQueue q;
  q.add_after("a", 1ms);
  CHECK(q.get() == "a");  // blocks until the real timer fires
}

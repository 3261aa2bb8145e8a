#include "workqueue/rate_limiter.h"

#include <catch2/catch.hpp>

#include "base/fake_clock.h"
#include "workqueue/rate_limiting_queue.h"

using namespace std::chrono_literals;
using namespace nca::workqueue;

TEST_CASE("ItemExponentialFailureRateLimiter doubles per key up to the cap") {
  ItemExponentialFailureRateLimiter rl(1ms, 1s);
  CHECK(rl.when("a") == 1ms);
  CHECK(rl.when("a") == 2ms);
  CHECK(rl.when("a") == 4ms);
  CHECK(rl.when("b") == 1ms);  // per key
  CHECK(rl.num_requeues("a") == 3);
  for (int i = 0; i < 7; ++i) rl.when("a");
  CHECK(rl.when("a") == 1s);                    // 1ms * 2^10 = 1.024s, capped
  for (int i = 0; i < 2000; ++i) rl.when("a");  // 2^2000: no overflow, still the cap
  CHECK(rl.when("a") == 1s);
  rl.forget("a");
  CHECK(rl.num_requeues("a") == 0);
  CHECK(rl.when("a") == 1ms);
}

TEST_CASE("BucketRateLimiter allows a burst, then spaces tokens at qps on the clock") {
  auto clock = std::make_shared<nca::FakeClock>();
  BucketRateLimiter rl(2.0, 3, clock);  // 2 tokens/s, burst 3
  CHECK(rl.when("a") == 0s);
  CHECK(rl.when("b") == 0s);
  CHECK(rl.when("c") == 0s);
  CHECK(rl.when("d") == 500ms);
  CHECK(rl.when("e") == 1s);  // reservations queue up
  clock->advance(1s);         // +2 tokens: debt of 2 paid
  CHECK(rl.when("f") == 500ms);
  clock->advance(1h);  // refills to the burst, no more
  CHECK(rl.when("g") == 0s);
  CHECK(rl.when("h") == 0s);
  CHECK(rl.when("i") == 0s);
  CHECK(rl.when("j") == 500ms);
  CHECK(rl.num_requeues("a") == 0);
}

TEST_CASE("MaxOfRateLimiter takes the longest delay and forgets in all") {
  auto clock = std::make_shared<nca::FakeClock>();
  auto per_item = std::make_shared<ItemExponentialFailureRateLimiter>(1s, 1h);
  auto bucket = std::make_shared<BucketRateLimiter>(1.0, 1, clock);
  MaxOfRateLimiter rl({per_item, bucket});
  CHECK(rl.when("a") == 1s);  // per item 1s; bucket 0
  CHECK(rl.when("b") == 1s);  // per item 1s; bucket 1s
  CHECK(rl.when("c") == 2s);  // bucket now owes 2s
  CHECK(rl.when("a") == 3s);  // bucket 3s > per item 2s
  CHECK(rl.num_requeues("a") == 2);
  rl.forget("a");
  CHECK(rl.num_requeues("a") == 0);
  clock->advance(1h);
  CHECK(rl.when("a") == 1s);
}

TEST_CASE("default controller limiter starts at 5ms per item") {
  auto rl = default_controller_rate_limiter(std::make_shared<nca::FakeClock>());
  CHECK(rl->when("x") == 5ms);
  CHECK(rl->when("x") == 10ms);
}

TEST_CASE("RateLimitingQueue re-adds after the limiter's delay and counts requeues") {
  auto clock = std::make_shared<nca::FakeClock>();
  RateLimitingQueue q(QueueOptions{"t", clock, nullptr},
                      std::make_shared<ItemExponentialFailureRateLimiter>(1s, 10s));
  q.add("a");
  REQUIRE(q.get() == "a");
  q.add_rate_limited("a");  // failed once: back in 1s
  q.done("a");
  CHECK(q.len() == 0);
  CHECK(q.num_requeues("a") == 1);
  clock->advance(1s);
  REQUIRE(q.get() == "a");
  q.add_rate_limited("a");  // failed twice: back in 2s
  q.done("a");
  clock->advance(1999ms);
  CHECK(q.len() == 0);
  clock->advance(1ms);
  REQUIRE(q.get() == "a");
  q.forget("a");  // succeeded
  q.done("a");
  CHECK(q.num_requeues("a") == 0);
  q.shutdown();
  q.add_rate_limited("a");
  CHECK(clock->pending_timers() == 0);
}

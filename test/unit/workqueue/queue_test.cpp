#include "workqueue/queue.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "base/fake_clock.h"

using namespace std::chrono_literals;
using nca::workqueue::Queue;
using nca::workqueue::QueueOptions;

namespace {

std::shared_ptr<nca::FakeClock> fake() { return std::make_shared<nca::FakeClock>(); }

struct RecordingMetrics : nca::workqueue::QueueMetrics {
  std::mutex mu;
  int adds = 0;
  std::size_t last_depth = 0;
  std::vector<nca::Duration> latencies, works;
  nca::Duration unfinished_total{0}, unfinished_longest{0};
  void depth(std::size_t v) override {
    std::lock_guard l(mu);
    last_depth = v;
  }
  void added() override {
    std::lock_guard l(mu);
    ++adds;
  }
  void latency(nca::Duration d) override {
    std::lock_guard l(mu);
    latencies.push_back(d);
  }
  void work_duration(nca::Duration d) override {
    std::lock_guard l(mu);
    works.push_back(d);
  }
  void unfinished_work(nca::Duration total, nca::Duration longest) override {
    std::lock_guard l(mu);
    unfinished_total = total;
    unfinished_longest = longest;
  }
};

}  // namespace

TEST_CASE("Queue hands keys out in order and collapses duplicates") {
  Queue q(QueueOptions{"t", fake(), nullptr});
  q.add("a");
  q.add("b");
  q.add("a");
  q.add("c");
  q.add("b");
  CHECK(q.len() == 3);
  CHECK(q.get() == "a");
  CHECK(q.get() == "b");
  CHECK(q.get() == "c");
  CHECK(q.len() == 0);
}

TEST_CASE("Queue re-queues a key added while it is processed, only after done") {
  Queue q(QueueOptions{"t", fake(), nullptr});
  q.add("a");
  REQUIRE(q.get() == "a");
  q.add("a");
  q.add("a");
  // Not handed out to a second worker while the first holds it.
  CHECK(q.len() == 0);
  q.add("b");
  CHECK(q.get() == "b");
  q.done("b");
  CHECK(q.len() == 0);
  q.done("a");
  CHECK(q.len() == 1);
  CHECK(q.get() == "a");
  q.done("a");
  CHECK(q.len() == 0);
  // A stray done for a key not held changes nothing.
  q.done("zzz");
  CHECK(q.len() == 0);
}

TEST_CASE("Queue after shutdown refuses new keys but drains what is queued") {
  Queue q(QueueOptions{"t", fake(), nullptr});
  q.add("a");
  q.add("b");
  q.shutdown();
  CHECK(q.shutting_down());
  q.add("c");
  CHECK(q.get() == "a");
  CHECK(q.get() == "b");
  CHECK(q.get() == std::nullopt);
}

TEST_CASE("Queue wakes a blocked get on shutdown") {
  Queue q(QueueOptions{"t", fake(), nullptr});
  std::optional<std::string> got = "unset";
  std::thread worker([&] { got = q.get(); });
  q.shutdown();
  worker.join();
  CHECK(got == std::nullopt);
}

TEST_CASE("shutdown_with_drain returns only after workers finish every key") {
  Queue q(QueueOptions{"t", fake(), nullptr});
  for (int i = 0; i < 50; ++i) q.add("k" + std::to_string(i));
  REQUIRE(q.get() == "k0");  // held by "this worker"
  std::atomic<bool> drained{false};
  std::thread closer([&] {
    q.shutdown_with_drain();
    drained = true;
  });
  std::vector<std::string> processed;
  std::thread worker([&] {
    while (auto key = q.get()) {
      processed.push_back(*key);
      q.done(*key);
    }
  });
  worker.join();  // queue empty and shut down; k0 still held
  CHECK(processed.size() == 49);
  CHECK_FALSE(drained);
  q.done("k0");
  closer.join();
  CHECK(drained);
}

TEST_CASE("Queue never gives one key to two workers at once") {
  Queue q(QueueOptions{"t", fake(), nullptr});
  std::mutex mu;
  std::set<std::string> in_flight;
  std::atomic<int> violations{0}, processed{0};
  auto worker = [&] {
    while (auto key = q.get()) {
      {
        std::lock_guard l(mu);
        if (!in_flight.insert(*key).second) ++violations;
      }
      std::this_thread::yield();
      {
        std::lock_guard l(mu);
        in_flight.erase(*key);
      }
      ++processed;
      q.done(*key);
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) workers.emplace_back(worker);
  for (int round = 0; round < 2000; ++round) q.add("k" + std::to_string(round % 5));
  q.shutdown_with_drain();
  for (auto& w : workers) w.join();
  CHECK(violations == 0);
  CHECK(processed >= 5);
  CHECK(processed <= 2000);
}

TEST_CASE("Queue reports depth, adds, latency, work time and unfinished work") {
  auto clock = fake();
  auto metrics = std::make_shared<RecordingMetrics>();
  Queue q(QueueOptions{"t", clock, metrics});
  q.add("a");
  q.add("a");
  q.add("b");
  CHECK(metrics->adds == 2);
  CHECK(metrics->last_depth == 2);
  clock->advance(3s);
  REQUIRE(q.get() == "a");
  CHECK(metrics->last_depth == 1);
  REQUIRE(metrics->latencies.size() == 1);
  CHECK(metrics->latencies[0] == 3s);
  clock->advance(2s);
  REQUIRE(q.get() == "b");
  clock->advance(1s);
  q.update_unfinished_work();
  CHECK(metrics->unfinished_total == 4s);  // a: 3s, b: 1s
  CHECK(metrics->unfinished_longest == 3s);
  q.done("a");
  REQUIRE(metrics->works.size() == 1);
  CHECK(metrics->works[0] == 3s);
}

// DelayingQueue: a Queue that can also add a key after a delay, timed by the injected
// Clock (Clock::schedule), so a FakeClock drives it in tests.
//
// A key waiting for its delay is not in the queue yet. Adding the same key again with a
// delay keeps the earlier of the two ready times (a key is never waiting twice). A plain
// add() while it waits queues it at once; the timer still fires later and adds it again,
// which collapses with any pending copy. After shutdown waiting keys are dropped.
// Thread-safe; the timer callbacks run on the clock's thread and only call add().
#pragma once

#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "workqueue/queue.h"

namespace nca::workqueue {

class DelayingQueue : public Queue {
 public:
  explicit DelayingQueue(QueueOptions options = {});
  ~DelayingQueue() override;

  // Adds `key` once `delay` has passed; at once when delay <= 0. Ignored after shutdown.
  void add_after(const std::string& key, Duration delay);

  // Keys waiting for their delay.
  std::size_t waiting() const;

  // Drops waiting keys and cancels their timers, then shuts the queue down.
  void shutdown() override;
  void shutdown_with_drain() override;

 private:
  struct Waiting {
    MonoTime ready;
    TimerId timer = 0;
    std::uint64_t seq = 0;
  };
  void fire(const std::string& key, std::uint64_t seq);
  void stop_timers();

  mutable std::mutex wait_mu_;
  std::condition_variable wait_cv_;
  std::unordered_map<std::string, Waiting> waiting_;
  std::uint64_t next_seq_ = 1;
  int firing_ = 0;  // timer callbacks inside add(); the destructor waits for them
  bool stopped_ = false;
};

}  // namespace nca::workqueue

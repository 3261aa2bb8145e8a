// Queue: a work queue of string keys with the client-go contract.
//
//  * Fair: keys are processed in the order they were added.
//  * Stingy: a key added many times before a worker takes it is processed once; a key
//    added while it is being processed is processed again, once, after done().
//  * Exclusive: a key is never processed by two workers at once (it is not handed out
//    again until the worker that holds it calls done()).
//  * Draining: after shutdown() no new keys are accepted, but get() keeps handing out
//    what is queued and returns nullopt only when the queue is empty.
//
// Every method is thread-safe. get() blocks (on a condition variable, not on the clock)
// until a key is available or the queue is shut down and empty. Workers loop:
//
//   while (auto key = q.get()) { process(*key); q.done(*key); }
//
// The clock is only used to time keys for metrics.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "base/clock.h"
#include "workqueue/metrics.h"

namespace nca::workqueue {

struct QueueOptions {
  std::string name;                       // for logs
  std::shared_ptr<Clock> clock;           // default: real_clock()
  std::shared_ptr<QueueMetrics> metrics;  // default: noop_metrics()
};

class Queue {
 public:
  explicit Queue(QueueOptions options = {});
  virtual ~Queue() = default;
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  // Marks `key` as needing processing. Ignored after shutdown.
  void add(const std::string& key);

  // Blocks until a key is available and returns it, now marked as processing; nullopt
  // once the queue is shut down and empty.
  std::optional<std::string> get();

  // The worker finished `key`. If it was added again meanwhile, it is queued again.
  void done(const std::string& key);

  // Keys waiting to be handed out.
  std::size_t len() const;

  // Stops accepting keys and wakes every blocked get().
  virtual void shutdown();
  // shutdown(), then blocks until every queued key has been handed out and every worker
  // has called done(). Needs running workers, or it waits forever.
  virtual void shutdown_with_drain();
  bool shutting_down() const;

  // Reports in-flight processing time to the metrics hook (for a periodic scraper).
  void update_unfinished_work();

 protected:
  Clock& clock() const { return *clock_; }
  QueueMetrics& metrics() const { return *metrics_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<QueueMetrics> metrics_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::unordered_set<std::string> dirty_;                 // needs processing
  std::unordered_map<std::string, MonoTime> processing_;  // being processed, since
  std::unordered_map<std::string, MonoTime> queued_at_;   // for the latency metric
  bool shutting_down_ = false;
};

}  // namespace nca::workqueue

// RateLimitingQueue: a DelayingQueue whose failed keys come back after a delay chosen by
// a RateLimiter. The usual worker step:
//
//   Status s = reconcile(key);
//   if (s.is_ok()) q.forget(key); else q.add_rate_limited(key);
//   q.done(key);
//
// Thread-safe.
#pragma once

#include <memory>

#include "workqueue/delaying_queue.h"
#include "workqueue/rate_limiter.h"

namespace nca::workqueue {

class RateLimitingQueue : public DelayingQueue {
 public:
  // `limiter` defaults to default_controller_rate_limiter(options.clock).
  explicit RateLimitingQueue(QueueOptions options = {},
                             std::shared_ptr<RateLimiter> limiter = nullptr);

  // Adds `key` after the limiter's delay (counts a retry).
  void add_rate_limited(const std::string& key);
  // Resets the limiter's memory of `key`; does not remove it from the queue.
  void forget(const std::string& key);
  int num_requeues(const std::string& key) const;

 private:
  std::shared_ptr<RateLimiter> limiter_;
};

}  // namespace nca::workqueue

#include "workqueue/rate_limiting_queue.h"

namespace nca::workqueue {

namespace {
std::shared_ptr<Clock> clock_of(const QueueOptions& options) {
  return options.clock ? options.clock : real_clock();
}
}  // namespace

RateLimitingQueue::RateLimitingQueue(QueueOptions options, std::shared_ptr<RateLimiter> limiter)
    : DelayingQueue(options),
      limiter_(limiter ? std::move(limiter) : default_controller_rate_limiter(clock_of(options))) {}

void RateLimitingQueue::add_rate_limited(const std::string& key) {
  if (shutting_down()) return;
  metrics().retry();
  add_after(key, limiter_->when(key));
}

void RateLimitingQueue::forget(const std::string& key) { limiter_->forget(key); }

int RateLimitingQueue::num_requeues(const std::string& key) const {
  return limiter_->num_requeues(key);
}

}  // namespace nca::workqueue

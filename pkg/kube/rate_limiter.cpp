#include "kube/rate_limiter.h"

#include <algorithm>

namespace nca::kube {

TokenBucket::TokenBucket(std::shared_ptr<Clock> clock, double qps, int burst)
    : clock_(std::move(clock)),
      qps_(qps),
      burst_(std::max(1, burst)),
      tokens_(burst_),
      last_(clock_->now()) {}

Duration TokenBucket::reserve() {
  if (qps_ <= 0) return Duration::zero();
  std::lock_guard lock(mu_);
  MonoTime now = clock_->now();
  if (now > last_) {
    double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * qps_);
    last_ = now;
  }
  tokens_ -= 1;  // may go negative: the debt is the queue of waiters
  if (tokens_ >= 0) return Duration::zero();
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(-tokens_ / qps_));
}

bool TokenBucket::wait(std::stop_token stop) {
  Duration d = reserve();
  if (d <= Duration::zero()) return !stop.stop_requested();
  return clock_->sleep_for(d, stop);
}

}  // namespace nca::kube

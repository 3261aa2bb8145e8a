#include "workqueue/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace nca::workqueue {

using namespace std::chrono_literals;

ItemExponentialFailureRateLimiter::ItemExponentialFailureRateLimiter(Duration base, Duration max)
    : base_(base), max_(max) {}

Duration ItemExponentialFailureRateLimiter::when(const std::string& key) {
  std::lock_guard lock(mu_);
  const int exp = failures_[key]++;
  // In double: 2^exp overflows any integer long before the cap stops mattering.
  const double backoff = static_cast<double>(base_.count()) * std::pow(2.0, exp);
  if (!std::isfinite(backoff) || backoff >= static_cast<double>(max_.count())) return max_;
  return Duration(static_cast<Duration::rep>(backoff));
}

void ItemExponentialFailureRateLimiter::forget(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

int ItemExponentialFailureRateLimiter::num_requeues(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

BucketRateLimiter::BucketRateLimiter(double qps, int burst, std::shared_ptr<Clock> clock)
    : qps_(qps > 0 ? qps : 1e-9),
      burst_(std::max(burst, 1)),
      clock_(clock ? std::move(clock) : real_clock()),
      tokens_(burst_),
      last_(clock_->now()) {}

Duration BucketRateLimiter::when(const std::string& /*key*/) {
  std::lock_guard lock(mu_);
  const MonoTime now = clock_->now();
  if (now > last_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * qps_);
    last_ = now;
  }
  tokens_ -= 1.0;
  if (tokens_ >= 0) return Duration::zero();
  const double wait_seconds = -tokens_ / qps_;
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(wait_seconds));
}

MaxOfRateLimiter::MaxOfRateLimiter(std::vector<std::shared_ptr<RateLimiter>> limiters)
    : limiters_(std::move(limiters)) {}

Duration MaxOfRateLimiter::when(const std::string& key) {
  Duration longest = Duration::zero();
  // Every limiter sees the failure, even when an earlier one already wants longer.
  for (auto& l : limiters_) longest = std::max(longest, l->when(key));
  return longest;
}

void MaxOfRateLimiter::forget(const std::string& key) {
  for (auto& l : limiters_) l->forget(key);
}

int MaxOfRateLimiter::num_requeues(const std::string& key) const {
  int most = 0;
  for (const auto& l : limiters_) most = std::max(most, l->num_requeues(key));
  return most;
}

std::shared_ptr<RateLimiter> default_controller_rate_limiter(std::shared_ptr<Clock> clock) {
  return std::make_shared<MaxOfRateLimiter>(std::vector<std::shared_ptr<RateLimiter>>{
      std::make_shared<ItemExponentialFailureRateLimiter>(5ms, 1000s),
      std::make_shared<BucketRateLimiter>(10.0, 100, std::move(clock))});
}

}  // namespace nca::workqueue

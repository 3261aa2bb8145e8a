// Rate limiters: how long to wait before a key that failed is retried.
//
//  * ItemExponentialFailureRateLimiter: per key, base * 2^failures, capped at max; forget()
//    resets the key (call it when the key succeeded).
//  * BucketRateLimiter: one token bucket for all keys (qps, burst) on the injected Clock,
//    so a storm of failures cannot exceed the overall retry rate.
//  * MaxOfRateLimiter: the longest delay of several limiters (the controller default is
//    MaxOf(ItemExponential(5ms, 1000s), Bucket(10 qps, burst 100))).
//
// All limiters are thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.h"

namespace nca::workqueue {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // How long `key` should wait now; records one more failure for it.
  virtual Duration when(const std::string& key) = 0;
  // Stops tracking `key` (it succeeded or was given up on).
  virtual void forget(const std::string& key) = 0;
  // Failures recorded for `key` since it was last forgotten.
  virtual int num_requeues(const std::string& key) const = 0;
};

class ItemExponentialFailureRateLimiter final : public RateLimiter {
 public:
  ItemExponentialFailureRateLimiter(Duration base, Duration max);
  Duration when(const std::string& key) override;
  void forget(const std::string& key) override;
  int num_requeues(const std::string& key) const override;

 private:
  const Duration base_, max_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, int> failures_;
};

class BucketRateLimiter final : public RateLimiter {
 public:
  // `qps` tokens per second refill a bucket holding at most `burst`, which starts full.
  BucketRateLimiter(double qps, int burst, std::shared_ptr<Clock> clock);
  // Reserves one token; the wait is how long until that token exists.
  Duration when(const std::string& key) override;
  void forget(const std::string&) override {}
  int num_requeues(const std::string&) const override { return 0; }

 private:
  const double qps_;
  const double burst_;
  std::shared_ptr<Clock> clock_;
  std::mutex mu_;
  double tokens_;  // may go negative: tokens reserved ahead of time
  MonoTime last_;
};

class MaxOfRateLimiter final : public RateLimiter {
 public:
  explicit MaxOfRateLimiter(std::vector<std::shared_ptr<RateLimiter>> limiters);
  Duration when(const std::string& key) override;
  void forget(const std::string& key) override;
  int num_requeues(const std::string& key) const override;

 private:
  std::vector<std::shared_ptr<RateLimiter>> limiters_;
};

// MaxOf(ItemExponential(5ms, 1000s), Bucket(10, 100)): client-go's controller default.
std::shared_ptr<RateLimiter> default_controller_rate_limiter(std::shared_ptr<Clock> clock);

}  // namespace nca::workqueue

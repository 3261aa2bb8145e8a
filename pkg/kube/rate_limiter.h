// TokenBucket: the client-side request limit (qps, burst), on the injected Clock so tests
// need not sleep. Each request takes one token; when none is left it waits for the next.
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <stop_token>

#include "base/clock.h"

namespace nca::kube {

class TokenBucket {
 public:
  // qps <= 0 disables limiting. burst < 1 is treated as 1.
  TokenBucket(std::shared_ptr<Clock> clock, double qps, int burst);

  // Takes a token and returns how long the caller must wait before using it (zero when
  // one was available). Later callers queue behind earlier ones.
  Duration reserve();

  // reserve() and then wait on the clock; false when `stop` was requested first.
  bool wait(std::stop_token stop = {});

 private:
  std::shared_ptr<Clock> clock_;
  double qps_;
  double burst_;
  std::mutex mu_;
  double tokens_;
  MonoTime last_;
};

}  // namespace nca::kube

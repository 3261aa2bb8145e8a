// Clock: the one source of time for every component, injected so that tests run on a
// FakeClock and never sleep.
//
// Two kinds of time: monotonic (`now`, for delays, backoff and lease expiry) and wall
// (`wall_now`, for timestamps compared with the API server's). Timers registered with
// `schedule` run once, at or after their time, on a thread the clock owns (RealClock) or
// inside FakeClock::advance. All methods are thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>

namespace nca {

using MonoTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;
using Duration = std::chrono::nanoseconds;
using TimerId = std::uint64_t;

class Clock {
 public:
  virtual ~Clock() = default;

  virtual MonoTime now() const = 0;
  virtual WallTime wall_now() const = 0;

  // Runs `fn` once at or after `when`. `fn` must not block; it may call schedule/cancel.
  virtual TimerId schedule(MonoTime when, std::function<void()> fn) = 0;

  // Cancels a timer that has not started running; a no-op otherwise.
  virtual void cancel(TimerId id) = 0;

  // Blocks until `when` or until `stop` is requested. Returns false when stopped early.
  bool sleep_until(MonoTime when, std::stop_token stop = {});
  bool sleep_for(Duration d, std::stop_token stop = {}) { return sleep_until(now() + d, stop); }
};

// The process clock. Timers run on one background thread started on first use.
class RealClock final : public Clock {
 public:
  RealClock();
  ~RealClock() override;
  RealClock(const RealClock&) = delete;
  RealClock& operator=(const RealClock&) = delete;

  MonoTime now() const override { return std::chrono::steady_clock::now(); }
  WallTime wall_now() const override { return std::chrono::system_clock::now(); }
  TimerId schedule(MonoTime when, std::function<void()> fn) override;
  void cancel(TimerId id) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A shared RealClock for production wiring.
std::shared_ptr<Clock> real_clock();

}  // namespace nca

// FakeClock: simulated time for tests. Time moves only when the test calls advance();
// due timers then run on the calling thread, in time order. Threads blocked in
// sleep_until wake when time passes their deadline. Thread-safe.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <utility>

#include "base/clock.h"

namespace nca {

class FakeClock final : public Clock {
 public:
  FakeClock();

  MonoTime now() const override;
  WallTime wall_now() const override;
  TimerId schedule(MonoTime when, std::function<void()> fn) override;
  void cancel(TimerId id) override;

  // Moves time forward by `d`, running every timer that becomes due (including timers
  // that those timers schedule within the window).
  void advance(Duration d);
  void set_wall(WallTime t);

  // Number of timers not yet run; lets a test wait for a sleeper to register.
  std::size_t pending_timers() const;
  // Blocks (in real time, bounded) until at least n timers are pending. Returns whether
  // they appeared within `real_timeout`; for tests coordinating with a worker thread.
  bool wait_for_timers(std::size_t n, std::chrono::milliseconds real_timeout);

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  MonoTime now_;
  WallTime wall_;
  TimerId next_id_ = 1;
  std::multimap<MonoTime, std::pair<TimerId, std::function<void()>>> timers_;
};

}  // namespace nca

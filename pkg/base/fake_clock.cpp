#include "base/fake_clock.h"

namespace nca {

FakeClock::FakeClock()
    : now_(MonoTime{} + std::chrono::hours(1)),
      wall_(WallTime{} + std::chrono::seconds(1'795'000'000)) {}

MonoTime FakeClock::now() const {
  std::lock_guard lock(mu_);
  return now_;
}

WallTime FakeClock::wall_now() const {
  std::lock_guard lock(mu_);
  return wall_;
}

TimerId FakeClock::schedule(MonoTime when, std::function<void()> fn) {
  std::unique_lock lock(mu_);
  TimerId id = next_id_++;
  if (when <= now_) {
    // Already due: run now, like a real timer thread would at once.
    lock.unlock();
    fn();
    return id;
  }
  timers_.emplace(when, std::make_pair(id, std::move(fn)));
  changed_.notify_all();
  return id;
}

void FakeClock::cancel(TimerId id) {
  std::lock_guard lock(mu_);
  for (auto it = timers_.begin(); it != timers_.end(); ++it) {
    if (it->second.first == id) {
      timers_.erase(it);
      break;
    }
  }
  changed_.notify_all();
}

void FakeClock::advance(Duration d) {
  std::unique_lock lock(mu_);
  const MonoTime target = now_ + d;
  // Wall time moves with monotonic time, so timers see both in step.
  auto move_to = [&](MonoTime t) {
    wall_ += std::chrono::duration_cast<WallTime::duration>(t - now_);
    now_ = t;
  };
  while (!timers_.empty() && timers_.begin()->first <= target) {
    auto it = timers_.begin();
    if (it->first > now_) move_to(it->first);
    auto fn = std::move(it->second.second);
    timers_.erase(it);
    lock.unlock();
    fn();
    lock.lock();
  }
  move_to(target);
  changed_.notify_all();
}

void FakeClock::set_wall(WallTime t) {
  std::lock_guard lock(mu_);
  wall_ = t;
}

std::size_t FakeClock::pending_timers() const {
  std::lock_guard lock(mu_);
  return timers_.size();
}

bool FakeClock::wait_for_timers(std::size_t n, std::chrono::milliseconds real_timeout) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, real_timeout, [&] { return timers_.size() >= n; });
}

}  // namespace nca

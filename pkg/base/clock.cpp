#include "base/clock.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace nca {

bool Clock::sleep_until(MonoTime when, std::stop_token stop) {
  // Shared so a timer that fires while we return early never touches a dead frame.
  struct State {
    std::mutex mu;
    std::condition_variable_any cv;
    bool fired = false;
  };
  auto state = std::make_shared<State>();
  TimerId id = schedule(when, [state] {
    std::lock_guard lock(state->mu);
    state->fired = true;
    state->cv.notify_all();
  });
  std::unique_lock lock(state->mu);
  state->cv.wait(lock, stop, [&] { return state->fired; });
  if (state->fired) return true;
  lock.unlock();
  cancel(id);
  return false;
}

struct RealClock::Impl {
  std::mutex mu;
  std::condition_variable cv;
  std::multimap<MonoTime, std::pair<TimerId, std::function<void()>>> timers;
  TimerId next_id = 1;
  TimerId running = 0;
  bool stopping = false;
  std::thread thread;

  void loop() {
    std::unique_lock lock(mu);
    while (!stopping) {
      if (timers.empty()) {
        cv.wait(lock);
        continue;
      }
      auto it = timers.begin();
      if (it->first > std::chrono::steady_clock::now()) {
        cv.wait_until(lock, it->first);
        continue;
      }
      auto fn = std::move(it->second.second);
      running = it->second.first;
      timers.erase(it);
      lock.unlock();
      fn();
      lock.lock();
      running = 0;
      cv.notify_all();
    }
  }
};

RealClock::RealClock() : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::thread([this] { impl_->loop(); });
}

RealClock::~RealClock() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->thread.join();
}

TimerId RealClock::schedule(MonoTime when, std::function<void()> fn) {
  std::lock_guard lock(impl_->mu);
  TimerId id = impl_->next_id++;
  impl_->timers.emplace(when, std::make_pair(id, std::move(fn)));
  impl_->cv.notify_all();
  return id;
}

void RealClock::cancel(TimerId id) {
  std::unique_lock lock(impl_->mu);
  for (auto it = impl_->timers.begin(); it != impl_->timers.end(); ++it) {
    if (it->second.first == id) {
      impl_->timers.erase(it);
      return;
    }
  }
  // Running right now on the timer thread: wait until it finishes, unless we are it.
  if (impl_->running == id && std::this_thread::get_id() != impl_->thread.get_id()) {
    impl_->cv.wait(lock, [&] { return impl_->running != id; });
  }
}

std::shared_ptr<Clock> real_clock() {
  static std::shared_ptr<Clock> clock = std::make_shared<RealClock>();
  return clock;
}

}  // namespace nca

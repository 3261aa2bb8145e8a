#include "workqueue/delaying_queue.h"

#include <vector>

namespace nca::workqueue {

DelayingQueue::DelayingQueue(QueueOptions options) : Queue(std::move(options)) {}

DelayingQueue::~DelayingQueue() { stop_timers(); }

void DelayingQueue::add_after(const std::string& key, Duration delay) {
  if (shutting_down()) return;
  if (delay <= Duration::zero()) {
    add(key);
    return;
  }
  const MonoTime ready = clock().now() + delay;
  std::uint64_t seq = 0;
  TimerId old_timer = 0;
  {
    std::lock_guard lock(wait_mu_);
    if (stopped_) return;
    auto it = waiting_.find(key);
    if (it != waiting_.end()) {
      if (it->second.ready <= ready) return;  // already due sooner
      old_timer = it->second.timer;
    }
    seq = next_seq_++;
    waiting_[key] = Waiting{ready, 0, seq};
  }
  if (old_timer != 0) clock().cancel(old_timer);
  // The timer may fire (FakeClock: inside schedule) before we record its id; the seq
  // tells fire() which entry it belongs to either way.
  const TimerId id = clock().schedule(ready, [this, key, seq] { fire(key, seq); });
  std::lock_guard lock(wait_mu_);
  if (auto it = waiting_.find(key); it != waiting_.end() && it->second.seq == seq) {
    it->second.timer = id;
  }
}

void DelayingQueue::fire(const std::string& key, std::uint64_t seq) {
  {
    std::lock_guard lock(wait_mu_);
    if (stopped_) return;
    auto it = waiting_.find(key);
    if (it == waiting_.end() || it->second.seq != seq) return;  // superseded
    waiting_.erase(it);
    ++firing_;
  }
  add(key);
  std::lock_guard lock(wait_mu_);
  --firing_;
  wait_cv_.notify_all();
}

std::size_t DelayingQueue::waiting() const {
  std::lock_guard lock(wait_mu_);
  return waiting_.size();
}

void DelayingQueue::stop_timers() {
  std::vector<TimerId> timers;
  {
    std::lock_guard lock(wait_mu_);
    stopped_ = true;
    for (const auto& [key, w] : waiting_) {
      if (w.timer != 0) timers.push_back(w.timer);
    }
    waiting_.clear();
  }
  // Outside the lock: RealClock::cancel waits for a running callback, which takes it.
  for (TimerId id : timers) clock().cancel(id);
  std::unique_lock lock(wait_mu_);
  wait_cv_.wait(lock, [&] { return firing_ == 0; });
}

void DelayingQueue::shutdown() {
  stop_timers();
  Queue::shutdown();
}

void DelayingQueue::shutdown_with_drain() {
  stop_timers();
  Queue::shutdown_with_drain();
}

}  // namespace nca::workqueue

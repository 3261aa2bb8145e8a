#include "workqueue/queue.h"

#include <algorithm>

namespace nca::workqueue {

std::shared_ptr<QueueMetrics> noop_metrics() {
  static auto noop = std::make_shared<QueueMetrics>();
  return noop;
}

Queue::Queue(QueueOptions options)
    : name_(std::move(options.name)),
      clock_(options.clock ? std::move(options.clock) : real_clock()),
      metrics_(options.metrics ? std::move(options.metrics) : noop_metrics()) {}

void Queue::add(const std::string& key) {
  std::lock_guard lock(mu_);
  if (shutting_down_) return;
  if (!dirty_.insert(key).second) return;  // already waiting: collapse
  metrics_->added();
  queued_at_.emplace(key, clock_->now());
  // Being processed: done() queues it again, so no two workers hold it.
  if (processing_.count(key) != 0) return;
  queue_.push_back(key);
  metrics_->depth(queue_.size());
  cv_.notify_one();
}

std::optional<std::string> Queue::get() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !queue_.empty() || shutting_down_; });
  if (queue_.empty()) return std::nullopt;
  std::string key = std::move(queue_.front());
  queue_.pop_front();
  metrics_->depth(queue_.size());
  const MonoTime now = clock_->now();
  if (auto it = queued_at_.find(key); it != queued_at_.end()) {
    metrics_->latency(now - it->second);
    queued_at_.erase(it);
  }
  processing_.emplace(key, now);
  dirty_.erase(key);
  return key;
}

void Queue::done(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = processing_.find(key);
  if (it == processing_.end()) return;  // not handed out: ignore a stray done()
  metrics_->work_duration(clock_->now() - it->second);
  processing_.erase(it);
  if (dirty_.count(key) != 0) {
    queue_.push_back(key);
    metrics_->depth(queue_.size());
  }
  // Wakes a getter for the re-queued key, and shutdown_with_drain.
  cv_.notify_all();
}

std::size_t Queue::len() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void Queue::shutdown() {
  std::lock_guard lock(mu_);
  shutting_down_ = true;
  cv_.notify_all();
}

void Queue::shutdown_with_drain() {
  std::unique_lock lock(mu_);
  shutting_down_ = true;
  cv_.notify_all();
  cv_.wait(lock, [&] { return queue_.empty() && processing_.empty(); });
}

bool Queue::shutting_down() const {
  std::lock_guard lock(mu_);
  return shutting_down_;
}

void Queue::update_unfinished_work() {
  std::lock_guard lock(mu_);
  const MonoTime now = clock_->now();
  Duration total{0}, longest{0};
  for (const auto& [key, since] : processing_) {
    total += now - since;
    longest = std::max(longest, Duration(now - since));
  }
  metrics_->unfinished_work(total, longest);
}

}  // namespace nca::workqueue

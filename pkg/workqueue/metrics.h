// QueueMetrics: the hook through which a work queue reports what someone will graph
// (depth, adds, time waiting, time processing, retries, unfinished work). The queue only
// calls it; pkg/metrics implements it over Prometheus, tests record calls. The default is
// a no-op. Implementations must be thread-safe and must not block: the queue calls them
// while holding its lock.
#pragma once

#include <memory>
#include <string>

#include "base/clock.h"

namespace nca::workqueue {

class QueueMetrics {
 public:
  virtual ~QueueMetrics() = default;

  // Items waiting in the queue (not counting those being processed or delayed).
  virtual void depth(std::size_t /*value*/) {}
  // A key entered the queue (duplicates that collapse are not counted).
  virtual void added() {}
  // A key was handed to a worker after waiting `waited` in the queue.
  virtual void latency(Duration /*waited*/) {}
  // A worker called done() after processing a key for `took`.
  virtual void work_duration(Duration /*took*/) {}
  // A key was re-added through the rate limiter.
  virtual void retry() {}
  // Sum of the time every in-flight key has been processing, and the longest of them;
  // reported by Queue::update_unfinished_work(), which a scraper calls.
  virtual void unfinished_work(Duration /*total*/, Duration /*longest*/) {}
};

// The default: records nothing.
std::shared_ptr<QueueMetrics> noop_metrics();

}  // namespace nca::workqueue

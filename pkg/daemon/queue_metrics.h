// QueueMetricsAdapter: the work queue's metrics hook, feeding the Prometheus metrics.
// Thread-safe (Metrics is).
#pragma once

#include <memory>

#include "metrics/metrics.h"
#include "workqueue/metrics.h"

namespace nca::daemon {

class QueueMetricsAdapter final : public workqueue::QueueMetrics {
 public:
  explicit QueueMetricsAdapter(std::shared_ptr<metrics::Metrics> m) : m_(std::move(m)) {}
  void depth(std::size_t value) override { m_->set_queue_depth(static_cast<double>(value)); }
  void added() override { m_->queue_add(); }
  void latency(Duration waited) override {
    m_->observe_queue_latency(std::chrono::duration<double>(waited).count());
  }
  void retry() override { m_->queue_retry(); }

 private:
  std::shared_ptr<metrics::Metrics> m_;
};

}  // namespace nca::daemon

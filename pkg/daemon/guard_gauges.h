// The flood guard's gauges from the current caches: pending client-bootstrap CSRs counted
// as the reconciler counts them, against the limit the policy derives from the config and
// the inventory. Computed from the state, not from the last CSR evaluated, so the gauges
// drop when the flood is cleaned up even if no bootstrap CSR is reconciled again.
// Thread-safe (reads thread-safe caches).
#pragma once

#include <memory>
#include <mutex>

#include "approver/seams.h"
#include "metrics/metrics.h"

namespace nca::daemon {

struct GuardState {
  std::int64_t pending_bootstrap = 0;
  std::int64_t limit = 0;
};

GuardState pending_guard_state(const approver::CsrSource& csrs, const approver::StateSource& state);

// Publishes the gauges once a second. The limit walks every machine of the inventory, so it
// is recomputed only when the inventory snapshot or the config is replaced (both immutable
// once published); an idle cluster costs one counter read per update.
class GuardGauges {
 public:
  void update(const approver::CsrSource& csrs, const approver::StateSource& state,
              metrics::Metrics& m);

 private:
  std::mutex mu_;
  std::weak_ptr<const inventory::Snapshot> inventory_;
  std::weak_ptr<const policy::PolicyConfig> config_;
  std::int64_t limit_ = 0;
};

}  // namespace nca::daemon

// The flood guard's gauges from the current caches: pending client-bootstrap CSRs counted
// as the reconciler counts them, against the limit the policy derives from the config and
// the inventory. Computed from the state, not from the last CSR evaluated, so the gauges
// drop when the flood is cleaned up even if no bootstrap CSR is reconciled again.
// Thread-safe (reads thread-safe caches).
#pragma once

#include "approver/seams.h"
#include "metrics/metrics.h"

namespace nca::daemon {

struct GuardState {
  std::int64_t pending_bootstrap = 0;
  std::int64_t limit = 0;
};

GuardState pending_guard_state(const approver::CsrSource& csrs, const approver::StateSource& state);

// pending_guard_state → Metrics::set_pending_guard.
void update_guard_gauges(const approver::CsrSource& csrs, const approver::StateSource& state,
                         metrics::Metrics& m);

}  // namespace nca::daemon

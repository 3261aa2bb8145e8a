// The client-bootstrap flood guard's limit: how many pending bootstrap CSRs are tolerated
// before no bootstrap CSR is approved. One function, used by the policy rule
// `bootstrap.pending-guard` and by the daemon's count-vs-limit gauges, so both say the
// same. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "inventory/machine.h"
#include "policy/config.h"

namespace nca::policy {

struct PendingGuardLimit {
  std::int64_t limit = 0;
  std::string how;  // "fixed limit" or "N machines awaiting a Node + slack S"
};

// config.fixed_limit when set, else (inventory machines that have no Node yet) + slack.
PendingGuardLimit pending_guard_limit(const PendingGuardConfig& config,
                                      const inventory::Snapshot& inventory);

}  // namespace nca::policy

#include "daemon/guard_gauges.h"

#include "approver/csr_index.h"
#include "policy/pending_guard.h"

namespace nca::daemon {

GuardState pending_guard_state(const approver::CsrSource& csrs,
                               const approver::StateSource& state) {
  GuardState g;
  g.pending_bootstrap = csrs.pending_bootstrap();
  g.limit = policy::pending_guard_limit(state.config()->pending_guard, *state.inventory()).limit;
  return g;
}

void update_guard_gauges(const approver::CsrSource& csrs, const approver::StateSource& state,
                         metrics::Metrics& m) {
  const GuardState g = pending_guard_state(csrs, state);
  m.set_pending_guard(static_cast<double>(g.pending_bootstrap), static_cast<double>(g.limit));
}

}  // namespace nca::daemon

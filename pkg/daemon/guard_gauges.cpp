#include "daemon/guard_gauges.h"

#include "policy/pending_guard.h"

namespace nca::daemon {

GuardState pending_guard_state(const approver::CsrSource& csrs,
                               const approver::StateSource& state) {
  GuardState g;
  g.pending_bootstrap = csrs.pending_bootstrap();
  g.limit = policy::pending_guard_limit(state.config()->pending_guard, *state.inventory()).limit;
  return g;
}

namespace {

// Same owner: the weak_ptr keeps the old control block allocated, so a new snapshot can
// never compare equal to a replaced one, even at the same address.
template <typename T>
bool same(const std::weak_ptr<const T>& seen, const std::shared_ptr<const T>& now) {
  return !seen.expired() && !seen.owner_before(now) && !now.owner_before(seen);
}

}  // namespace

void GuardGauges::update(const approver::CsrSource& csrs, const approver::StateSource& state,
                         metrics::Metrics& m) {
  const auto inventory = state.inventory();
  const auto config = state.config();
  std::int64_t limit = 0;
  {
    std::lock_guard lock(mu_);
    if (!same(inventory_, inventory) || !same(config_, config)) {
      limit_ = policy::pending_guard_limit(config->pending_guard, *inventory).limit;
      inventory_ = inventory;
      config_ = config;
    }
    limit = limit_;
  }
  m.set_pending_guard(static_cast<double>(csrs.pending_bootstrap()), static_cast<double>(limit));
}

}  // namespace nca::daemon

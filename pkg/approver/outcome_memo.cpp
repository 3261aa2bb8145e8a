#include "approver/outcome_memo.h"

namespace nca::approver {
namespace {

template <typename T>
bool same_owner(const std::weak_ptr<const T>& held, const std::shared_ptr<const T>& now) {
  return !held.expired() && !held.owner_before(now) && !now.owner_before(held);
}

}  // namespace

OutcomeMemo::OutcomeMemo(Duration max_age) : max_age_(max_age) {}

bool OutcomeMemo::holds(const Inventory& inventory, const Config& config) const {
  return same_owner(inventory_, inventory) && same_owner(config_, config);
}

std::optional<policy::Outcome> OutcomeMemo::get(const Inventory& inventory, const Config& config,
                                                const kube::CertificateSigningRequest& csr,
                                                std::int64_t pending_bootstrap, WallTime now) {
  std::lock_guard lock(mu_);
  if (!csr.metadata.uid.empty() && holds(inventory, config)) {
    auto it = by_uid_.find(csr.metadata.uid);
    if (it != by_uid_.end() && it->second.resource_version == csr.metadata.resource_version &&
        it->second.pending_bootstrap == pending_bootstrap && now >= it->second.at &&
        now - it->second.at <= max_age_) {
      ++hits_;
      return it->second.outcome;
    }
  }
  ++misses_;
  return std::nullopt;
}

void OutcomeMemo::put(const Inventory& inventory, const Config& config,
                      const kube::CertificateSigningRequest& csr, std::int64_t pending_bootstrap,
                      WallTime now, policy::Outcome outcome) {
  if (csr.metadata.uid.empty() || !inventory || !config) return;
  std::lock_guard lock(mu_);
  if (!holds(inventory, config)) {  // a new generation: what was kept no longer holds
    by_uid_.clear();
    inventory_ = inventory;
    config_ = config;
  }
  by_uid_.insert_or_assign(csr.metadata.uid,
                           Entry{csr.metadata.resource_version, pending_bootstrap, now, outcome});
  if (by_uid_.size() >= sweep_at_) {
    std::erase_if(by_uid_, [&](const auto& kv) { return now - kv.second.at > max_age_; });
    sweep_at_ = std::max<std::size_t>(256, by_uid_.size() * 2);
  }
}

std::uint64_t OutcomeMemo::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

std::uint64_t OutcomeMemo::misses() const {
  std::lock_guard lock(mu_);
  return misses_;
}

}  // namespace nca::approver

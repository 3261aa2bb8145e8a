// OutcomeMemo: the per-CSR policy outcome of CSRs evaluated a moment ago, for the cross-CSR
// rules. Deciding one CSR evaluates its newer serving siblings (newest of node) or its older
// pending bootstrap siblings (one client certificate): in a flood of k duplicates for one
// node that is k² evaluations, each parsing nothing but walking every rule. With the memo a
// sibling's outcome is reused when nothing it depends on changed: the same CSR version (uid
// and resourceVersion), the same inventory snapshot and config objects (both immutable once
// published), the same flood-guard count, and at most `max_age` of wall time (rules read
// the clock: creation windows, the bootstrap window).
// Thread-safe. Holds one generation (snapshot + config) at a time; entries older than
// max_age are swept as new ones come, so it never grows past what a second of decisions
// touched.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/clock.h"
#include "inventory/machine.h"
#include "kube/objects.h"
#include "policy/config.h"
#include "policy/decision.h"

namespace nca::approver {

class OutcomeMemo {
 public:
  using Inventory = std::shared_ptr<const inventory::Snapshot>;
  using Config = std::shared_ptr<const policy::PolicyConfig>;

  explicit OutcomeMemo(Duration max_age = std::chrono::seconds(1));

  std::optional<policy::Outcome> get(const Inventory& inventory, const Config& config,
                                     const kube::CertificateSigningRequest& csr,
                                     std::int64_t pending_bootstrap, WallTime now);
  void put(const Inventory& inventory, const Config& config,
           const kube::CertificateSigningRequest& csr, std::int64_t pending_bootstrap, WallTime now,
           policy::Outcome outcome);

  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  bool holds(const Inventory& inventory, const Config& config) const;  // under mu_

  struct Entry {
    std::string resource_version;
    std::int64_t pending_bootstrap = 0;
    WallTime at;
    policy::Outcome outcome;
  };
  const Duration max_age_;
  mutable std::mutex mu_;
  // The generation the entries belong to; a weak_ptr keeps its control block, so a new
  // snapshot can never compare equal to a replaced one.
  std::weak_ptr<const inventory::Snapshot> inventory_;
  std::weak_ptr<const policy::PolicyConfig> config_;
  std::unordered_map<std::string, Entry> by_uid_;
  std::size_t sweep_at_ = 256;  // size at which old entries are swept next
  std::uint64_t hits_ = 0, misses_ = 0;
};

// What decide() needs to use a memo: the memo and the generation the caller decides with.
struct SiblingOutcomes {
  OutcomeMemo* memo = nullptr;
  OutcomeMemo::Inventory inventory;
  OutcomeMemo::Config config;
};

}  // namespace nca::approver

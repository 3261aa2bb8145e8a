#include "policy/pending_guard.h"

#include <set>
#include <string_view>

namespace nca::policy {

PendingGuardLimit pending_guard_limit(const PendingGuardConfig& config,
                                      const inventory::Snapshot& inventory) {
  if (config.fixed_limit) return {*config.fixed_limit, "fixed limit"};
  std::set<std::string_view> awaiting;
  for (const auto& m : inventory.machines) {
    if (m.node_name.empty() || m.has_node_ref) continue;
    if (inventory.node(m.node_name) == nullptr) awaiting.insert(m.node_name);
  }
  return {static_cast<std::int64_t>(awaiting.size()) + config.slack,
          std::to_string(awaiting.size()) + " machines awaiting a Node + slack " +
              std::to_string(config.slack)};
}

}  // namespace nca::policy

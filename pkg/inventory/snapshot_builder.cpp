#include "inventory/snapshot_builder.h"

namespace nca::inventory {

SnapshotBuilder& SnapshotBuilder::inventory_source_present() {
  snapshot_.has_inventory_source = true;
  return *this;
}

SnapshotBuilder& SnapshotBuilder::add(Machine machine) {
  if (machine.source == Source::kNode) {
    if (snapshot_.node(machine.node_name) != nullptr) {
      notes_.push_back("Node " + machine.node_name + " listed twice; the first one is kept");
      return *this;
    }
    snapshot_.node_index.emplace(machine.node_name, snapshot_.nodes.size());
    snapshot_.nodes.push_back(std::move(machine));
    return *this;
  }
  snapshot_.has_inventory_source = true;
  snapshot_.machines.push_back(std::move(machine));
  return *this;
}

SnapshotBuilder& SnapshotBuilder::add(std::vector<Machine> machines) {
  for (Machine& m : machines) add(std::move(m));
  return *this;
}

SnapshotBuilder& SnapshotBuilder::add(Decoded decoded, const std::string& what) {
  for (const std::string& warning : decoded.warnings) notes_.push_back(what + ": " + warning);
  if (!decoded.machine) {
    notes_.push_back(what + " skipped: " + decoded.skipped);
    return *this;
  }
  return add(std::move(*decoded.machine));
}

Snapshot SnapshotBuilder::build() const { return snapshot_; }

}  // namespace nca::inventory

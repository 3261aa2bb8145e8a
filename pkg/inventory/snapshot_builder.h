// SnapshotBuilder: assembles an immutable Snapshot from decoded machines and Nodes.
// Objects that decoded to nothing are recorded as notes ("BareMetalHost ns/host-3
// skipped: …") for the caller to log; Machines go to Snapshot::machines, Nodes (source
// kNode) to Snapshot::nodes, one per node name (a duplicate is a note, first one wins).
// Not thread-safe: build on one thread, then share the Snapshot as const.
#pragma once

#include <string>
#include <vector>

#include "inventory/decoded.h"
#include "inventory/machine.h"

namespace nca::inventory {

class SnapshotBuilder {
 public:
  // Declares that a non-Node inventory source is configured, even if it holds no
  // machines: Node self-reported addresses then stop counting as inventory. Adding any
  // non-Node machine implies it.
  SnapshotBuilder& inventory_source_present();

  // A machine from any source; kNode machines are treated as Nodes.
  SnapshotBuilder& add(Machine machine);
  SnapshotBuilder& add(std::vector<Machine> machines);
  // What a decoder produced; `what` names the object in notes ("Machine ns/name").
  SnapshotBuilder& add(Decoded decoded, const std::string& what);

  const std::vector<std::string>& notes() const { return notes_; }

  Snapshot build() const;

 private:
  Snapshot snapshot_;
  std::vector<std::string> notes_;
};

}  // namespace nca::inventory

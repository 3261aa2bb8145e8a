// Decoded: what an inventory decoder made of one API object. Decoders are defensive: a
// missing or mistyped field never crashes and never widens what a machine may claim.
// Either the object yields a Machine (possibly with warnings about fields it dropped), or
// it is skipped with a reason the caller logs. An object is skipped only for what it says
// (being deleted, provisioned for nobody, not inspected yet), never for a field that does
// not decode: such an object is kept *degraded* (see degrade()) so that it is not
// forgotten — its addresses and hostnames still contest other nodes' claims. Plain value.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "inventory/machine.h"

namespace nca::inventory {

struct Decoded {
  std::optional<Machine> machine;  // nullopt: the object gives no machine
  std::string skipped;             // why, when machine is nullopt ("status.nodeRef: not an object")
  std::vector<std::string> warnings;  // parts ignored, e.g. an unparsable address

  static Decoded skip(std::string reason) {
    Decoded d;
    d.skipped = std::move(reason);
    return d;
  }

  // Keeps `machine` although `reason` (an unreadable field that decides which node it is
  // or whether it is linked) was not understood: it then maps to no node (node names
  // cleared) and counts as linked (no bootstrap through it), so it can only narrow.
  static Decoded degrade(Machine machine, std::vector<std::string> warnings,
                         const std::string& reason) {
    Decoded d;
    machine.node_name.clear();
    machine.other_node_names.clear();
    machine.node_names_as_written.clear();
    machine.has_node_ref = true;
    d.warnings = std::move(warnings);
    d.warnings.push_back(reason + "; kept for its addresses only, it matches no node");
    d.machine = std::move(machine);
    return d;
  }
  bool degraded() const { return machine && machine->has_node_ref && machine->node_name.empty(); }
};

}  // namespace nca::inventory

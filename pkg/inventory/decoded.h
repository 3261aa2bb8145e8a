// Decoded: what an inventory decoder made of one API object. Decoders are defensive: a
// missing or mistyped field never crashes and never widens what a machine may claim.
// Either the object yields a Machine (possibly with warnings about fields it dropped), or
// it is skipped with a reason the caller logs. Plain value.
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
};

}  // namespace nca::inventory

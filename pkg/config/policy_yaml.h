// Internal to pkg/config: decodes the policy keys from a top-level mapping, so that a
// later application config can embed them next to its own keys and still reject unknown
// ones. Not thread-shared.
#pragma once

#include "config/yaml_map_reader.h"
#include "policy/config.h"

namespace nca::config::detail {

// Reads every policy key from `top` (marking them known); does not call top.finish().
void read_policy(MapReader& top, policy::PolicyConfig& out);

}  // namespace nca::config::detail

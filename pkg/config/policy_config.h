// The policy configuration file: strict YAML → policy::PolicyConfig. Unknown keys, wrong
// types and bad values are errors that name the key path and line; every problem in the
// document is reported at once. An empty document is valid and gives the safe defaults.
// Keys and defaults are documented in docs/policy.md. Pure apart from load_*; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "policy/config.h"

namespace nca::config {

// `source` names the input in error messages (a file path, "ConfigMap ns/name").
Result<policy::PolicyConfig> parse_policy_config(std::string_view yaml,
                                                 std::string_view source = "config");

// Reads and parses a file.
Result<policy::PolicyConfig> load_policy_config(const std::string& path);

}  // namespace nca::config

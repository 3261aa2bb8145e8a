// ExplainOptions: the flags of `node-csr-approver explain`, parsed from the command line
// into a plain settings struct. Pure; thread-safe.
//
//   node-csr-approver explain --csr FILE [--inventory FILE] [--nodes FILE]
//                             [--config FILE] [--now RFC3339] [--output text|json]
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace nca::app {

enum class OutputFormat { kText, kJson };

struct ExplainOptions {
  std::string csr_file;         // required: a CertificateSigningRequest, YAML or JSON
  std::string inventory_file;   // optional: static inventory (or Machines/BareMetalHosts)
  std::string nodes_file;       // optional: a NodeList, a List of Nodes, or one Node
  std::string config_file;      // optional: the policy config YAML
  std::optional<WallTime> now;  // --now; the current time when absent
  OutputFormat output = OutputFormat::kText;
  bool help = false;  // -h/--help: print usage, exit 0
};

// The usage text, ending with a newline.
std::string_view explain_usage();

// `args` are the words after "explain". Accepts "--flag value" and "--flag=value".
// Unknown flags, missing values, a repeated flag, a bad --now or --output, and a missing
// --csr are Invalid with a message saying which.
Result<ExplainOptions> parse_explain_args(const std::vector<std::string>& args);

}  // namespace nca::app

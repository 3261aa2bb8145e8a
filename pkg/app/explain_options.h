// ExplainOptions: the flags of `node-csr-approver explain`, parsed from the command line
// into a plain settings struct. Pure; thread-safe.
//
//   offline: node-csr-approver explain --csr FILE [--inventory FILE] [--nodes FILE]
//                                      [--config FILE] [--now RFC3339] [--output text|json]
//   live:    node-csr-approver explain --name CSR [--kubeconfig FILE] [--context C]
//                                      [--config FILE] [--config-map NS/NAME | --no-config-map]
//                                      [--inventory FILE] [--now RFC3339] [--output text|json]
// Live, without --config-map or --no-config-map, the ConfigMap that deploy/'s Deployment
// runs with (kDeployedConfigMap) is read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace nca::app {

enum class OutputFormat { kText, kJson };

// The ConfigMap deploy/08-deployment.yaml passes to `run --config-map` (in the namespace of
// deploy/00-namespace.yaml): live explain's default.
inline constexpr std::string_view kDeployedConfigMap = "node-csr-approver/node-csr-approver-config";

struct ExplainOptions {
  std::string csr_file;         // offline: a CertificateSigningRequest, YAML or JSON
  std::string name;             // live: the CSR's name in the cluster (exclusive with csr_file)
  std::string kubeconfig;       // live: kubeconfig file; empty = in-cluster config
  std::string context;          // live: kubeconfig context; empty = current-context
  std::string config_map;       // live: "NAMESPACE/NAME" with config.yaml / inventory.yaml;
                                // empty = kDeployedConfigMap unless no_config_map
  bool no_config_map = false;   // live: read no ConfigMap (files or defaults only)
  std::string inventory_file;   // optional: static inventory (or Machines/BareMetalHosts)
  std::string nodes_file;       // optional: a NodeList, a List of Nodes, or one Node
  std::string config_file;      // optional: the policy config YAML
  std::optional<WallTime> now;  // --now; the current time when absent
  OutputFormat output = OutputFormat::kText;
  bool help = false;  // -h/--help: print usage, exit 0

  bool live() const { return !name.empty(); }
};

// The usage text, ending with a newline.
std::string_view explain_usage();

// `args` are the words after "explain". Accepts "--flag value" and "--flag=value".
// Unknown flags, missing values, a repeated flag, a bad --now or --output, neither or both
// of --csr and --name, a live-only flag without --name (or --nodes with it), and a
// --config-map that is not NAMESPACE/NAME are Invalid with a message saying which.
Result<ExplainOptions> parse_explain_args(const std::vector<std::string>& args);

}  // namespace nca::app

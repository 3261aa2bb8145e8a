// RunOptions: the flags of `node-csr-approver run`, parsed from the command line with
// NCA_* environment overrides (flag --foo-bar ⇐ NCA_FOO_BAR; the command line wins over
// the environment). Plain values. Parsing is pure: the environment is passed in.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace nca::daemon {

struct RunOptions {
  std::string kubeconfig;      // empty: in-cluster config
  std::string context;         // kubeconfig context; empty: current-context
  std::string config_file;     // policy YAML file
  std::string config_map;      // "NAMESPACE/NAME": policy (config.yaml) and static
                               // inventory (inventory.yaml), watched and hot-reloaded
  std::string inventory_file;  // static inventory YAML file
  std::string namespace_ = "node-csr-approver";  // for the Lease
  bool leader_elect = true;
  std::string lease_name = "node-csr-approver";
  std::string identity;  // leader identity; default: hostname + pid
  int workers = 2;
  std::string metrics_bind_address = ":9090";
  std::string health_bind_address = ":8081";
  bool metrics_secure = true;    // HTTPS + TokenReview/SubjectAccessReview on /metrics
  std::string metrics_cert_dir;  // tls.crt/tls.key for /metrics; empty: self-signed
  bool dry_run = false;
  std::string log_level = "info";
  int resync_seconds = 300;    // periodic re-evaluation of pending CSRs (safety net)
  int discovery_seconds = 60;  // re-check which inventory APIs exist
  // No client-side limit by default (as controller-runtime): the API server's Priority and
  // Fairness is the limit, and a 429 is retried with backoff. See docs/benchmarks.md.
  double qps = 0;
  int burst = 100;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_env();

// argv excludes the program and the subcommand. `--help` gives Code::kCancelled with the
// usage text as the message.
Result<RunOptions> parse_run_options(const std::vector<std::string>& args, const EnvLookup& env);

std::string run_usage();

}  // namespace nca::daemon

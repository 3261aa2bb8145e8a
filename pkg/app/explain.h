// `node-csr-approver explain`: evaluates one CertificateSigningRequest and prints the
// decision with every check (text or JSON). Offline (--csr) against the Nodes, inventory
// and policy config given as files; live (--name) against what the controller sees in
// the cluster (app/explain_live.h). The same approver::decide the controller's reconciler
// runs, so the answer is what the controller does with the same CSRs, inventory and
// config; the output names the config and inventory sources used. Nothing is written to a
// cluster, and DNS is never resolved (with serving.resolveDNS on, the trace says no
// resolver is available). Thread-safe (no shared state).
//
// Exit status: 0 whatever the outcome (approve, deny, pending, ignore); 2 when the
// arguments, an input file or the cluster cannot be used (CSR not found, server
// unreachable, bad kubeconfig), with one line on `err` naming the input and the problem;
// 3 when the controller's config could not be read (the outcome is then pending with
// reason ConfigUnavailable, never approve). Notes about skipped objects go to `err` and do
// not change the status.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "app/explain_options.h"
#include "base/clock.h"
#include "kube/client.h"

namespace nca::app {

inline constexpr int kExitUsage = 2;
inline constexpr int kExitConfigUnavailable = 3;

// The trace line added when the controller's config could not be read.
inline constexpr std::string_view kConfigSourceCheck = "explain.config-source";

// Runs with parsed options; `now` is used when options.now is not set.
int run_explain(const ExplainOptions& options, WallTime now, std::ostream& out, std::ostream& err);

// Live mode through `client` (options.live() must hold); for tests with a fake client.
int run_live_explain(const ExplainOptions& options, kube::ApiClient& client, WallTime now,
                     std::ostream& out, std::ostream& err);

// Parses `args` (the words after "explain") and runs; --now defaults to the system clock.
int explain_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace nca::app

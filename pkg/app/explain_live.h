// Live mode of `node-csr-approver explain --name CSR`: reads what the controller would see
// from the cluster — the CSR, the Nodes, every machine API the cluster serves, the config
// and static inventory (files and/or the ConfigMap — --config-map, else the one deploy/'s
// Deployment runs with — its keys replacing the files' as in the daemon), and every CSR
// (for the flood guard and the cross-CSR rules) — into the same ExplainInputs the offline
// mode builds, so one decision (approver::decide) and one trace serve both. Only GET/LIST
// requests are made; nothing is written. A ConfigMap that cannot be read sets
// ExplainInputs::config_error instead of failing.
//
// Errors are statuses whose message says what could not be read and why (the CSR does
// not exist, the server is unreachable, the kubeconfig is bad, access is forbidden).
// Thread-safe (no shared state; the client must be thread-safe, RestClient is).
#pragma once

#include <memory>

#include "app/explain_inputs.h"
#include "app/explain_options.h"
#include "base/status.h"
#include "kube/client.h"

namespace nca::app {

// A RestClient from --kubeconfig/--context, or the in-cluster configuration when no
// --kubeconfig is given. Errors name the kubeconfig and the problem.
Result<std::shared_ptr<kube::ApiClient>> live_client(const ExplainOptions& options);

// Everything approver::decide needs for options.name, read through `client`.
Result<ExplainInputs> load_live_inputs(const ExplainOptions& options, kube::ApiClient& client);

}  // namespace nca::app

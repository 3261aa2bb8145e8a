// Live mode of `node-csr-approver explain --name CSR`: reads what the controller would see
// from the cluster — the CSR, the Nodes, every machine API the cluster serves, the config
// and static inventory (files and/or the --config-map ConfigMap, the ConfigMap's keys
// replacing the files' as in the daemon), and the pending bootstrap CSRs for the flood
// guard — into the same ExplainInputs the offline mode builds, so one evaluation and one
// trace serve both. Only GET/LIST requests are made; nothing is written.
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

// Everything policy::evaluate needs for options.name, read through `client`.
// ExplainInputs::pending_bootstrap_csrs is set from the cluster's CSR list.
Result<ExplainInputs> load_live_inputs(const ExplainOptions& options, kube::ApiClient& client);

}  // namespace nca::app

// Which configuration and static inventory the controller runs with, as live `explain`
// can know it from the cluster: the --config/--inventory files, then the controller's
// ConfigMap over them (--config-map, else the Deployment's kDeployedConfigMap, unless
// --no-config-map), with the daemon's rules for a ConfigMap that is invalid, deleted or
// lost a key: the controller then keeps the last good version, and so does explain, by
// reading the copy NAME-last-good the leader stores (daemon::ConfigTracker). A version
// explain cannot know sets LiveConfig::config_error (the answer is then never approve);
// a bad --config or --inventory file is an error. Only GET requests; thread-safe (no state).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/explain_options.h"
#include "base/status.h"
#include "inventory/machine.h"
#include "kube/client.h"
#include "policy/config.h"

namespace nca::app {

struct LiveConfig {
  policy::PolicyConfig config;
  std::string config_source = "built-in defaults";
  std::optional<std::vector<inventory::Machine>> static_machines;  // set: a static inventory
  std::string static_source;
  std::string config_error;  // the controller's config could not be known: why
};

// `notes` collects what an admin should know about the choice (printed on stderr).
Result<LiveConfig> load_live_config(const ExplainOptions& options, kube::ApiClient& client,
                                    std::vector<std::string>& notes);

}  // namespace nca::app

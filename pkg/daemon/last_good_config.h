// The last good configuration, kept where a restart finds it: a ConfigMap NAME-last-good
// next to the configuration ConfigMap NAME, written by the leader after each version it
// applied (only the config.yaml and inventory.yaml keys, plus an annotation naming the
// source version). A replica whose configuration ConfigMap is invalid or missing at
// start starts from it, loudly, instead of exiting (ConfigTracker). Thread-safe (the
// client is); functions, no state.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "base/status.h"
#include "kube/client.h"
#include "kube/objects.h"

namespace nca::daemon {

inline constexpr std::string_view kLastGoodSuffix = "-last-good";
inline constexpr std::string_view kLastGoodSourceAnnotation =
    "node-csr-approver.io/source-resource-version";

std::string last_good_name(const std::string& config_map_name);

// Creates or updates NS/NAME-last-good to hold `data` (a no-op when it already does).
Status store_last_good(kube::ApiClient& client, const std::string& ns, const std::string& name,
                       const std::map<std::string, std::string>& data,
                       const std::string& source_resource_version);

// NS/NAME-last-good, or nullopt when it does not exist.
Result<std::optional<kube::ConfigMap>> read_last_good(kube::ApiClient& client,
                                                      const std::string& ns,
                                                      const std::string& name);

}  // namespace nca::daemon

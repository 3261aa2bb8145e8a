// ConfigTracker: the policy config and static inventory that the daemon runs with, from a
// file and/or a watched ConfigMap (keys config.yaml and inventory.yaml; the ConfigMap's
// config.yaml, when present, replaces the file's config). A new ConfigMap version that
// does not parse is rejected — the last good config stays, a Warning Event names the
// error, config_reloads_total{result="failure"} counts it. Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "cache/informer.h"
#include "inventory/machine.h"
#include "kube/client.h"
#include "kube/objects.h"
#include "metrics/metrics.h"
#include "policy/config.h"

namespace nca::daemon {

inline constexpr std::string_view kConfigKey = "config.yaml";
inline constexpr std::string_view kInventoryKey = "inventory.yaml";

// Parses a static inventory document (YAML or JSON) into canonical machines.
Result<std::vector<inventory::Machine>> parse_static_inventory(std::string_view text);

class ConfigTracker {
 public:
  using StaticFn = std::function<void(std::vector<inventory::Machine>, bool present)>;
  using ChangedFn = std::function<void()>;

  // `base` is the config from --config (or defaults); `dry_run` forces dry-run on.
  ConfigTracker(policy::PolicyConfig base, bool dry_run, std::shared_ptr<metrics::Metrics> metrics,
                StaticFn on_static, ChangedFn on_changed);
  ~ConfigTracker();

  // Watches NAMESPACE/NAME. The first version (or its absence) is applied before
  // wait_for_sync returns; an invalid first version is an error there.
  void watch(std::shared_ptr<kube::RestClient> client, std::shared_ptr<Clock> clock,
             const std::string& ns, const std::string& name);
  Status wait_for_sync(std::stop_token stop);
  void stop();

  std::shared_ptr<const policy::PolicyConfig> config() const;

  // Applies a ConfigMap's data (exposed for tests). Returns the parse error, if any.
  Status apply(const kube::ConfigMap& cm);

 private:
  void set(policy::PolicyConfig cfg);
  void reject(const kube::ConfigMap& cm, const Status& error);

  const policy::PolicyConfig base_;
  const bool dry_run_;
  std::shared_ptr<metrics::Metrics> metrics_;
  StaticFn on_static_;
  ChangedFn on_changed_;
  std::shared_ptr<kube::RestClient> client_;
  std::shared_ptr<Clock> clock_;

  mutable std::mutex mu_;
  std::shared_ptr<const policy::PolicyConfig> current_;
  std::string applied_version_;
  Status first_error_;
  std::unique_ptr<cache::Informer<kube::ConfigMap>> informer_;
};

}  // namespace nca::daemon

// ConfigTracker: the policy config and static inventory that the daemon runs with, from a
// file and/or a watched ConfigMap (keys config.yaml and inventory.yaml; the ConfigMap's
// config.yaml, when present, replaces the file's config). Fails closed:
//  * A new ConfigMap version that does not parse is rejected — the last good config stays,
//    a Warning Event names the error, config_reloads_total{result="failure"} counts it.
//  * So is one that drops a key the last good version had, and the deletion of the
//    ConfigMap itself: a configured inventory never silently reverts to the permissive
//    defaults (to drop a key on purpose, remove it and restart).
//  * The leader keeps a copy of the last good version in NAME-last-good
//    (last_good_config.h). At start, a ConfigMap that is invalid or missing while that
//    copy exists is not fatal: the daemon starts from the copy, loudly (error log,
//    config_reloads_total{result="fallback"}, Warning Event). Only with no usable copy is
//    an invalid first version an error from wait_for_sync.
// Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/clock.h"
#include "cache/informer.h"
#include "inventory/machine.h"
#include "kube/client.h"
#include "kube/list_watch.h"
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
  // wait_for_sync returns.
  void watch(std::shared_ptr<kube::RestClient> client, std::shared_ptr<Clock> clock,
             const std::string& ns, const std::string& name);
  // The same over any client and list/watch (tests).
  void watch(std::shared_ptr<kube::ApiClient> client, std::shared_ptr<kube::ListWatcher> lw,
             std::shared_ptr<Clock> clock, const std::string& ns, const std::string& name);
  // Waits for the first version; falls back to the last good copy (see above).
  Status wait_for_sync(std::stop_token stop);
  void stop();

  // Whether this replica may write the last good copy (the leader). Without a check set,
  // it never writes. Call before watch().
  void set_leader_check(std::function<bool()> is_leader);
  // Writes the last applied version to NAME-last-good if leader and not written yet
  // (after each apply; call it too when leadership is gained). Errors are logged.
  void store_last_good();

  std::shared_ptr<const policy::PolicyConfig> config() const;

  // Applies a ConfigMap's data (exposed for tests). Returns the parse error, if any.
  Status apply(const kube::ConfigMap& cm);

 private:
  void set(policy::PolicyConfig cfg);
  void warn_event(const kube::ObjectMeta& about, const std::string& reason,
                  const std::string& message);
  void reject(const kube::ConfigMap& cm, const Status& error);
  void on_deleted(const kube::ConfigMap& cm);
  Status start_from_last_good(const Status& why);

  const policy::PolicyConfig base_;
  const bool dry_run_;
  std::shared_ptr<metrics::Metrics> metrics_;
  StaticFn on_static_;
  ChangedFn on_changed_;
  std::shared_ptr<kube::ApiClient> client_;
  std::shared_ptr<Clock> clock_;
  std::string ns_, name_;
  std::function<bool()> is_leader_;

  mutable std::mutex mu_;
  std::shared_ptr<const policy::PolicyConfig> current_;
  std::string applied_version_;
  // The two keys of the last version applied, and the version they came from.
  std::optional<std::map<std::string, std::string>> applied_data_;
  std::string applied_data_version_;
  std::optional<std::map<std::string, std::string>> stored_data_;  // last written copy
  Status first_error_;
  bool seen_main_ = false;  // the ConfigMap existed at some point
  std::mutex store_mu_;     // one last-good write at a time
  std::unique_ptr<cache::Informer<kube::ConfigMap>> informer_;
};

}  // namespace nca::daemon

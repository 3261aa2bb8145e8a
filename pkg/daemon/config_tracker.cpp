#include "daemon/config_tracker.h"

#include "base/log.h"
#include "config/policy_config.h"
#include "config/yaml_json.h"
#include "daemon/last_good_config.h"
#include "inventory/static_inventory.h"
#include "kube/decode.h"
#include "kube/encode.h"
#include "kube/rest_list_watcher.h"

namespace nca::daemon {

namespace {

// The keys we read, from a ConfigMap's data.
std::map<std::string, std::string> our_keys(const kube::ConfigMap& cm) {
  std::map<std::string, std::string> out;
  for (std::string_view key : {kConfigKey, kInventoryKey}) {
    if (auto it = cm.data.find(std::string(key)); it != cm.data.end()) out.emplace(*it);
  }
  return out;
}

std::string where(const kube::ObjectMeta& m) { return m.namespace_ + "/" + m.name; }

}  // namespace

Result<std::vector<inventory::Machine>> parse_static_inventory(std::string_view text) {
  auto doc = config::yaml_to_json(text);
  if (!doc) return doc.status().annotate("static inventory");
  return inventory::decode_static_inventory(*doc);
}

ConfigTracker::ConfigTracker(policy::PolicyConfig base, bool dry_run,
                             std::shared_ptr<metrics::Metrics> metrics, StaticFn on_static,
                             ChangedFn on_changed)
    : base_(std::move(base)),
      dry_run_(dry_run),
      metrics_(std::move(metrics)),
      on_static_(std::move(on_static)),
      on_changed_(std::move(on_changed)) {
  set(base_);
}

ConfigTracker::~ConfigTracker() { stop(); }

void ConfigTracker::set(policy::PolicyConfig cfg) {
  if (dry_run_) cfg.dry_run = true;
  std::lock_guard lock(mu_);
  current_ = std::make_shared<const policy::PolicyConfig>(std::move(cfg));
}

std::shared_ptr<const policy::PolicyConfig> ConfigTracker::config() const {
  std::lock_guard lock(mu_);
  return current_;
}

void ConfigTracker::set_leader_check(std::function<bool()> is_leader) {
  std::lock_guard lock(mu_);
  is_leader_ = std::move(is_leader);
}

void ConfigTracker::warn_event(const kube::ObjectMeta& about, const std::string& reason,
                               const std::string& message) {
  if (!client_ || !clock_) return;
  kube::EventSpec spec;
  spec.involved_object = {"v1",      "ConfigMap",           about.name, about.namespace_,
                          about.uid, about.resource_version};
  spec.type = "Warning";
  spec.reason = reason;
  spec.message = message;
  auto created = client_->create(kube::resources::events(), about.namespace_,
                                 kube::build_event(spec, clock_->wall_now()));
  if (!created) log::warn("recording an Event failed", {{"error", created.status().to_string()}});
}

void ConfigTracker::reject(const kube::ConfigMap& cm, const Status& error) {
  log::error("configuration rejected; keeping the last good one",
             {{"configmap", where(cm.metadata)}, {"error", error.to_string()}});
  if (metrics_) metrics_->config_reload("failure");
  warn_event(cm.metadata, "InvalidConfig",
             "rejected, the last good configuration stays in force: " + error.message());
}

void ConfigTracker::on_deleted(const kube::ConfigMap& cm) {
  log::error("configuration ConfigMap deleted; keeping the last good configuration",
             {{"configmap", where(cm.metadata)}});
  if (metrics_) metrics_->config_reload("failure");
  warn_event(cm.metadata, "ConfigDeleted",
             "the configuration ConfigMap was deleted; the last good configuration stays in "
             "force (recreate it to change the configuration)");
}

Status ConfigTracker::apply(const kube::ConfigMap& cm) {
  // Parse everything before applying anything: a half-applied version is never in force.
  const std::map<std::string, std::string> data = our_keys(cm);
  {
    std::lock_guard lock(mu_);
    if (applied_data_) {
      for (const auto& [key, _] : *applied_data_) {
        if (data.count(key) == 0) {
          return invalid(key +
                         " was removed; the last good version had it (a configured inventory or "
                         "policy never reverts to the defaults while running; restart to drop it)");
        }
      }
    }
  }
  std::optional<policy::PolicyConfig> cfg;
  if (auto it = data.find(std::string(kConfigKey)); it != data.end()) {
    auto parsed = config::parse_policy_config(it->second, std::string(kConfigKey));
    if (!parsed) return parsed.status();
    cfg = std::move(parsed).value();
  }
  std::optional<std::vector<inventory::Machine>> machines;
  if (auto it = data.find(std::string(kInventoryKey)); it != data.end()) {
    auto parsed = parse_static_inventory(it->second);
    if (!parsed) return parsed.status().annotate(std::string(kInventoryKey));
    machines = std::move(parsed).value();
  }
  set(cfg ? *cfg : base_);
  if (on_static_) {
    const bool present = machines.has_value();
    on_static_(machines ? std::move(*machines) : std::vector<inventory::Machine>{}, present);
  }
  {
    std::lock_guard lock(mu_);
    applied_data_ = data;
    applied_data_version_ = cm.metadata.resource_version;
  }
  if (metrics_) metrics_->config_reload("success");
  log::info("configuration applied",
            {{"configmap", where(cm.metadata)}, {"resourceVersion", cm.metadata.resource_version}});
  if (on_changed_) on_changed_();
  store_last_good();
  return Status::ok();
}

void ConfigTracker::store_last_good() {
  std::lock_guard store(store_mu_);
  std::map<std::string, std::string> data;
  std::string version;
  {
    std::lock_guard lock(mu_);
    if (!client_ || name_.empty() || !applied_data_ || !is_leader_ || !is_leader_()) return;
    if (stored_data_ == applied_data_) return;
    data = *applied_data_;
    version = applied_data_version_;
  }
  Status st = daemon::store_last_good(*client_, ns_, name_, data, version);
  if (!st.is_ok()) {
    log::warn("storing the last good configuration failed; retried after the next change",
              {{"error", st.to_string()}});
    return;
  }
  std::lock_guard lock(mu_);
  stored_data_ = std::move(data);
}

void ConfigTracker::watch(std::shared_ptr<kube::RestClient> client, std::shared_ptr<Clock> clock,
                          const std::string& ns, const std::string& name) {
  auto lw = std::make_shared<kube::RestListWatcher>(client, kube::resources::configmaps(), ns);
  watch(std::shared_ptr<kube::ApiClient>(client), std::move(lw), std::move(clock), ns, name);
}

void ConfigTracker::watch(std::shared_ptr<kube::ApiClient> client,
                          std::shared_ptr<kube::ListWatcher> lw, std::shared_ptr<Clock> clock,
                          const std::string& ns, const std::string& name) {
  client_ = std::move(client);
  clock_ = clock;
  ns_ = ns;
  name_ = name;
  cache::ReflectorOptions opts;
  opts.name = "configmap " + ns + "/" + name;
  opts.field_selector = "metadata.name=" + name;
  opts.clock = clock;
  informer_ = std::make_unique<cache::Informer<kube::ConfigMap>>(
      std::move(lw), [](const nlohmann::json& j) { return kube::decode_configmap(j); }, opts);
  auto on_version = [this](const std::shared_ptr<const kube::ConfigMap>& cm) {
    {
      std::lock_guard lock(mu_);
      seen_main_ = true;
    }
    Status st = apply(*cm);
    {
      std::lock_guard lock(mu_);
      if (st.is_ok()) {
        applied_version_ = cm->metadata.resource_version;
      } else if (applied_version_.empty()) {
        first_error_ = st;  // at start-up: wait_for_sync falls back or reports it
      }
    }
    if (!st.is_ok()) reject(*cm, st);
  };
  (void)informer_->add_event_handlers(
      {.on_add = on_version,
       .on_update = [on_version](const auto&, const auto& cm) { on_version(cm); },
       .on_delete = [this](const auto& cm, bool) { on_deleted(*cm); }});
  informer_->start();
}

Status ConfigTracker::start_from_last_good(const Status& why) {
  auto copy = read_last_good(*client_, ns_, name_);
  // Only "no copy" keeps why's code (a missing main then means the file/defaults); a copy
  // that cannot be read or used is an error of its own: never start permissive then.
  if (!copy) {
    return Status(Code::kUnavailable, why.message() + "; and the last good copy cannot be read (" +
                                          copy.status().to_string() + ")");
  }
  if (!*copy) return why;
  // Applied as the running version; later versions of the main ConfigMap apply as usual.
  if (Status st = apply(**copy); !st.is_ok()) {
    return invalid(why.message() + "; and the last good copy is unusable too (" + st.to_string() +
                   ")");
  }
  log::error("starting from the last good configuration",
             {{"configmap", ns_ + "/" + name_},
              {"copy", ns_ + "/" + last_good_name(name_)},
              {"why", why.to_string()}});
  if (metrics_) metrics_->config_reload("fallback");
  kube::ObjectMeta about = (*copy)->metadata;
  about.name = name_;  // the Event is about the configuration, which may not exist
  about.uid.clear();
  about.resource_version.clear();
  warn_event(about, "StartedFromLastGoodConfig",
             "started from " + last_good_name(name_) + " because " + why.message());
  return Status::ok();
}

Status ConfigTracker::wait_for_sync(std::stop_token stop) {
  if (!informer_) return Status::ok();
  if (!informer_->wait_for_sync(stop)) return Status(Code::kCancelled, "stopped");
  Status first;
  bool applied = false, seen = false;
  {
    std::lock_guard lock(mu_);
    first = first_error_;
    applied = !applied_version_.empty();
    seen = seen_main_;
  }
  if (applied) return Status::ok();
  if (!first.is_ok()) {
    return start_from_last_good(first.annotate("configuration ConfigMap " + ns_ + "/" + name_));
  }
  if (!seen) {
    // Missing: deleted while we were down, or never created. A copy means it existed.
    Status st = start_from_last_good(
        not_found("configuration ConfigMap " + ns_ + "/" + name_ + " does not exist"));
    if (st.code() == Code::kNotFound) return Status::ok();  // no copy: file/defaults
    return st;
  }
  return Status::ok();
}

void ConfigTracker::stop() {
  if (informer_) informer_->stop();
}

}  // namespace nca::daemon

#include "daemon/config_tracker.h"

#include "base/log.h"
#include "config/policy_config.h"
#include "config/yaml_json.h"
#include "inventory/static_inventory.h"
#include "kube/decode.h"
#include "kube/encode.h"
#include "kube/rest_list_watcher.h"

namespace nca::daemon {

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

void ConfigTracker::reject(const kube::ConfigMap& cm, const Status& error) {
  log::error("configuration rejected; keeping the last good one",
             {{"configmap", cm.metadata.namespace_ + "/" + cm.metadata.name},
              {"error", error.to_string()}});
  if (metrics_) metrics_->config_reload("failure");
  if (!client_) return;
  kube::EventSpec spec;
  spec.involved_object = {"v1", "ConfigMap", cm.metadata.name, cm.metadata.namespace_,
                          cm.metadata.uid, cm.metadata.resource_version};
  spec.type = "Warning";
  spec.reason = "InvalidConfig";
  spec.message = "rejected, the last good configuration stays in force: " + error.message();
  auto created = client_->create(kube::resources::events(), cm.metadata.namespace_,
                                 kube::build_event(spec, clock_->wall_now()));
  if (!created) log::warn("recording an Event failed", {{"error", created.status().to_string()}});
}

Status ConfigTracker::apply(const kube::ConfigMap& cm) {
  // Parse everything before applying anything: a half-applied version is never in force.
  std::optional<policy::PolicyConfig> cfg;
  if (auto it = cm.data.find(std::string(kConfigKey)); it != cm.data.end()) {
    auto parsed = config::parse_policy_config(it->second, std::string(kConfigKey));
    if (!parsed) return parsed.status();
    cfg = std::move(parsed).value();
  }
  std::optional<std::vector<inventory::Machine>> machines;
  if (auto it = cm.data.find(std::string(kInventoryKey)); it != cm.data.end()) {
    auto parsed = parse_static_inventory(it->second);
    if (!parsed) return parsed.status().annotate(std::string(kInventoryKey));
    machines = std::move(parsed).value();
  }
  set(cfg ? *cfg : base_);
  if (on_static_) {
    const bool present = machines.has_value();
    on_static_(machines ? std::move(*machines) : std::vector<inventory::Machine>{}, present);
  }
  if (metrics_) metrics_->config_reload("success");
  log::info("configuration applied", {{"configmap", cm.metadata.namespace_ + "/" + cm.metadata.name},
                                      {"resourceVersion", cm.metadata.resource_version}});
  if (on_changed_) on_changed_();
  return Status::ok();
}

void ConfigTracker::watch(std::shared_ptr<kube::RestClient> client, std::shared_ptr<Clock> clock,
                          const std::string& ns, const std::string& name) {
  client_ = client;
  clock_ = clock;
  cache::ReflectorOptions opts;
  opts.name = "configmap " + ns + "/" + name;
  opts.field_selector = "metadata.name=" + name;
  opts.clock = clock;
  informer_ = std::make_unique<cache::Informer<kube::ConfigMap>>(
      std::make_shared<kube::RestListWatcher>(client, kube::resources::configmaps(), ns),
      [](const nlohmann::json& j) { return kube::decode_configmap(j); }, opts);
  auto on_version = [this](const std::shared_ptr<const kube::ConfigMap>& cm) {
    Status st = apply(*cm);
    {
      std::lock_guard lock(mu_);
      if (st.is_ok()) {
        applied_version_ = cm->metadata.resource_version;
      } else if (applied_version_.empty()) {
        first_error_ = st;  // fatal at start-up: wait_for_sync reports it
      }
    }
    if (!st.is_ok()) reject(*cm, st);
  };
  (void)informer_->add_event_handlers(
      {.on_add = on_version,
       .on_update = [on_version](const auto&, const auto& cm) { on_version(cm); },
       .on_delete = [this](const auto& cm, bool) {
         log::warn("configuration ConfigMap deleted; back to the file/default configuration",
                   {{"configmap", cm->metadata.namespace_ + "/" + cm->metadata.name}});
         set(base_);
         if (on_static_) on_static_({}, false);
         if (on_changed_) on_changed_();
       }});
  informer_->start();
}

Status ConfigTracker::wait_for_sync(std::stop_token stop) {
  if (!informer_) return Status::ok();
  if (!informer_->wait_for_sync(stop)) return Status(Code::kCancelled, "stopped");
  std::lock_guard lock(mu_);
  if (!first_error_.is_ok()) return first_error_.annotate("configuration ConfigMap");
  return Status::ok();
}

void ConfigTracker::stop() {
  if (informer_) informer_->stop();
}

}  // namespace nca::daemon

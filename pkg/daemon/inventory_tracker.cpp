#include "daemon/inventory_tracker.h"

#include "base/log.h"
#include "inventory/node_machine.h"
#include "inventory/object_decoder.h"
#include "inventory/snapshot_builder.h"
#include "kube/decode.h"
#include "kube/rest_list_watcher.h"

namespace nca::daemon {

std::vector<std::vector<InventoryApi>> known_inventory_apis() {
  auto api = [](std::string group, std::string version, std::string resource) {
    return InventoryApi{group + "/" + version + " " + resource,
                        kube::Resource{group, version, resource, true}};
  };
  return {
      {api("machine.openshift.io", "v1beta1", "machines")},
      {api("cluster.x-k8s.io", "v1beta2", "machines"),
       api("cluster.x-k8s.io", "v1beta1", "machines")},
      {api("metal3.io", "v1alpha1", "baremetalhosts")},
  };
}

InventoryTracker::InventoryTracker(std::shared_ptr<kube::RestClient> client,
                                   std::shared_ptr<Clock> clock, ChangeFn on_change)
    : client_(std::move(client)), clock_(std::move(clock)), on_change_(std::move(on_change)) {}

InventoryTracker::~InventoryTracker() { stop(); }

void InventoryTracker::put(const std::string& source_key,
                           std::optional<inventory::Machine> machine) {
  std::set<std::string> affected;
  {
    std::lock_guard lock(mu_);
    auto it = machines_.find(source_key);
    if (it != machines_.end()) {
      affected.insert(it->second.node_name);
      machines_.erase(it);
    }
    if (machine) {
      affected.insert(machine->node_name);
      machines_.emplace(source_key, std::move(*machine));
    }
    dirty_ = true;
  }
  affected.erase("");
  if (on_change_ && !affected.empty()) on_change_(affected);
}

void InventoryTracker::start() {
  cache::ReflectorOptions opts;
  opts.name = "nodes";
  opts.clock = clock_;
  nodes_ = std::make_unique<cache::Informer<kube::Node>>(
      std::make_shared<kube::RestListWatcher>(client_, kube::resources::nodes()),
      [](const nlohmann::json& j) { return kube::decode_node(j); }, opts);
  auto node_key = [](const kube::Node& n) { return "Node//" + n.metadata.name; };
  auto upsert = [this, node_key](const std::shared_ptr<const kube::Node>& n) {
    inventory::Decoded d = inventory::node_machine(*n);
    put(node_key(*n), d.machine);
  };
  (void)nodes_->add_event_handlers(
      {.on_add = upsert,
       .on_update = [upsert](const auto&, const auto& n) { upsert(n); },
       .on_delete = [this, node_key](const auto& n, bool) { put(node_key(*n), std::nullopt); }});
  nodes_->start();
  discover();
}

void InventoryTracker::start_crd_informer(const InventoryApi& api) {
  cache::ReflectorOptions opts;
  opts.name = api.resource.qualified_name();
  opts.clock = clock_;
  auto informer = std::make_unique<cache::Informer<kube::Unstructured>>(
      std::make_shared<kube::RestListWatcher>(client_, api.resource),
      [](const nlohmann::json& j) { return kube::decode_unstructured(j); }, opts);
  const std::string prefix = api.resource.qualified_name() + "/";
  auto key_of = [prefix](const kube::Unstructured& u) {
    return prefix + u.metadata.namespace_ + "/" + u.metadata.name;
  };
  auto upsert = [this, key_of](const std::shared_ptr<const kube::Unstructured>& u) {
    inventory::Decoded d = inventory::decode_inventory_object(*u);
    if (!d.machine && !d.skipped.empty()) {
      log::debug("inventory object skipped", {{"object", key_of(*u)}, {"why", d.skipped}});
    }
    put(key_of(*u), d.machine);
  };
  (void)informer->add_event_handlers(
      {.on_add = upsert,
       .on_update = [upsert](const auto&, const auto& u) { upsert(u); },
       .on_delete = [this, key_of](const auto& u, bool) { put(key_of(*u), std::nullopt); }});
  informer->start();
  log::info("watching machine inventory API", {{"api", api.label}});
  std::lock_guard lock(mu_);
  crds_[api.label] = std::move(informer);
  dirty_ = true;
}

void InventoryTracker::discover() {
  for (const auto& group : known_inventory_apis()) {
    for (const InventoryApi& api : group) {
      {
        std::lock_guard lock(mu_);
        if (crds_.count(api.label)) break;  // this group is watched already
      }
      auto served = client_->has_resource(api.resource.group, api.resource.version,
                                          api.resource.resource);
      if (!served) {
        log::warn("API discovery failed",
                  {{"api", api.label}, {"error", served.status().to_string()}});
        break;
      }
      if (*served) {
        start_crd_informer(api);
        break;
      }
    }
  }
}

void InventoryTracker::stop() {
  std::map<std::string, std::unique_ptr<cache::Informer<kube::Unstructured>>> crds;
  {
    std::lock_guard lock(mu_);
    crds.swap(crds_);
  }
  for (auto& [_, informer] : crds) informer->stop();
  if (nodes_) nodes_->stop();
}

void InventoryTracker::set_static(std::vector<inventory::Machine> machines, bool present) {
  std::set<std::string> affected;
  {
    std::lock_guard lock(mu_);
    for (const auto& m : static_) affected.insert(m.node_name);
    for (const auto& m : machines) affected.insert(m.node_name);
    static_ = std::move(machines);
    static_present_ = present;
    dirty_ = true;
  }
  affected.erase("");
  if (on_change_ && !affected.empty()) on_change_(affected);
}

bool InventoryTracker::has_synced() const {
  std::lock_guard lock(mu_);
  if (!nodes_ || !nodes_->has_synced()) return false;
  for (const auto& [_, informer] : crds_) {
    if (!informer->has_synced()) return false;
  }
  return true;
}

std::shared_ptr<const inventory::Snapshot> InventoryTracker::snapshot() {
  std::lock_guard lock(mu_);
  if (!dirty_ && snapshot_) return snapshot_;
  inventory::SnapshotBuilder builder;
  if (static_present_ || !crds_.empty()) builder.inventory_source_present();
  for (const auto& [_, m] : machines_) builder.add(m);
  builder.add(static_);
  snapshot_ = std::make_shared<const inventory::Snapshot>(builder.build());
  dirty_ = false;
  return snapshot_;
}

std::vector<std::string> InventoryTracker::watched_apis() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [label, _] : crds_) out.push_back(label);
  return out;
}

std::map<std::string, std::uint64_t> InventoryTracker::watch_restarts() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::uint64_t> out;
  auto count = [](const cache::ReflectorStats& s) { return s.watch_restarts + s.watch_errors + s.relists_gone; };
  if (nodes_) out["nodes"] = count(nodes_->stats());
  for (const auto& group : known_inventory_apis()) {
    for (const InventoryApi& api : group) {
      auto it = crds_.find(api.label);
      if (it != crds_.end()) out[api.resource.resource] += count(it->second->stats());
    }
  }
  return out;
}

}  // namespace nca::daemon

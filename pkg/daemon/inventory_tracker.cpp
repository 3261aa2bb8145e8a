#include "daemon/inventory_tracker.h"

#include "base/log.h"
#include "inventory/node_machine.h"
#include "inventory/object_decoder.h"
#include "inventory/snapshot_builder.h"
#include "kube/decode.h"
#include "kube/rest_list_watcher.h"

namespace nca::daemon {

InventorySources rest_sources(std::shared_ptr<kube::RestClient> client) {
  InventorySources s;
  s.list_watcher = [client](const kube::Resource& r) -> std::shared_ptr<kube::ListWatcher> {
    return std::make_shared<kube::RestListWatcher>(client, r);
  };
  s.served = [client](const kube::Resource& r) {
    return client->has_resource(r.group, r.version, r.resource);
  };
  return s;
}

Result<InventoryEntry> decode_inventory_entry(const nlohmann::json& object) {
  // The metadata as decode_unstructured reads it, without copying the rest of the object.
  nlohmann::json head = nlohmann::json::object();
  if (object.is_object()) {
    for (const char* field : {"apiVersion", "kind", "metadata"}) {
      if (auto it = object.find(field); it != object.end()) head[field] = *it;
    }
  }
  if (auto it = head.find("metadata"); it != head.end() && it->is_object()) {
    it->erase("managedFields");  // large, and never read
  }
  Result<kube::Unstructured> u = kube::decode_unstructured(head);
  if (!u) return u.status();
  InventoryEntry e;
  e.metadata.name = std::move(u->metadata.name);
  e.metadata.namespace_ = std::move(u->metadata.namespace_);
  e.metadata.resource_version = std::move(u->metadata.resource_version);
  e.decoded = inventory::decode_inventory_object(object);
  for (std::string& w : u->decode_warnings) e.decoded.warnings.push_back(std::move(w));
  return e;
}

InventoryTracker::InventoryTracker(std::shared_ptr<kube::RestClient> client,
                                   std::shared_ptr<Clock> clock, ChangeFn on_change,
                                   std::shared_ptr<metrics::Metrics> metrics)
    : InventoryTracker(rest_sources(std::move(client)), std::move(clock), std::move(on_change),
                       std::move(metrics), DiscoveryOptions{}) {}

InventoryTracker::InventoryTracker(InventorySources sources, std::shared_ptr<Clock> clock,
                                   ChangeFn on_change, std::shared_ptr<metrics::Metrics> metrics,
                                   DiscoveryOptions options)
    : sources_(std::move(sources)),
      clock_(std::move(clock)),
      on_change_(std::move(on_change)),
      metrics_(std::move(metrics)),
      options_(options) {}

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

void InventoryTracker::record_problems(const std::string& resource, const std::string& key,
                                       const inventory::Decoded& d) {
  if (d.warnings.empty() && (d.machine || d.skipped.empty())) return;
  if (!d.warnings.empty()) {
    std::string skipped;
    for (const auto& w : d.warnings) skipped += (skipped.empty() ? "" : "; ") + w;
    log::warn("inventory object kept with fields left out",
              {{"object", key}, {"skipped", skipped}, {"degraded", d.degraded()}});
    if (metrics_) metrics_->inventory_fields_skipped(resource, d.warnings.size());
  }
  if (!d.machine) log::debug("inventory object skipped", {{"object", key}, {"why", d.skipped}});
}

void InventoryTracker::start() {
  cache::ReflectorOptions opts;
  opts.name = "nodes";
  opts.clock = clock_;
  nodes_ = std::make_unique<cache::Informer<kube::Node>>(
      sources_.list_watcher(kube::resources::nodes()),
      [](const nlohmann::json& j) { return kube::decode_node(j); }, opts);
  auto node_key = [](const kube::Node& n) { return "Node//" + n.metadata.name; };
  auto upsert = [this, node_key](const std::shared_ptr<const kube::Node>& n) {
    inventory::Decoded d = inventory::node_machine(*n);
    record_problems("nodes", node_key(*n), d);
    put(node_key(*n), d.machine);
  };
  (void)nodes_->add_event_handlers(
      {.on_add = upsert,
       .on_update = [upsert](const auto&, const auto& n) { upsert(n); },
       .on_delete = [this, node_key](const auto& n, bool) { put(node_key(*n), std::nullopt); }});
  nodes_->start();
  start_crd_watch();
  discovery_thread_ = std::jthread([this](std::stop_token st) { discovery_loop(st); });
}

cache::Informer<InventoryEntry>* InventoryTracker::start_crd_informer(const InventoryApi& api) {
  cache::ReflectorOptions opts;
  opts.name = api.resource.qualified_name();
  opts.clock = clock_;
  auto informer = std::make_unique<cache::Informer<InventoryEntry>>(
      sources_.list_watcher(api.resource), decode_inventory_entry, opts);
  const std::string prefix = api.resource.qualified_name() + "/";
  auto key_of = [prefix](const InventoryEntry& e) {
    return prefix + e.metadata.namespace_ + "/" + e.metadata.name;
  };
  const std::string resource = api.resource.resource;
  auto upsert = [this, key_of, resource](const std::shared_ptr<const InventoryEntry>& e) {
    record_problems(resource, key_of(*e), e->decoded);
    put(key_of(*e), e->decoded.machine);
  };
  (void)informer->add_event_handlers(
      {.on_add = upsert,
       .on_update = [upsert](const auto&, const auto& u) { upsert(u); },
       .on_delete = [this, key_of](const auto& u, bool) { put(key_of(*u), std::nullopt); }});
  informer->start();
  log::info("watching machine inventory API", {{"api", api.label}});
  std::lock_guard lock(mu_);
  auto* raw = informer.get();
  crds_[api.label] = std::move(informer);
  dirty_ = true;
  return raw;
}

void InventoryTracker::stop() {
  if (discovery_thread_.joinable()) {
    discovery_thread_.request_stop();
    discovery_thread_.join();
  }
  if (crd_watch_) crd_watch_->stop();
  std::map<std::string, std::unique_ptr<cache::Informer<InventoryEntry>>> crds;
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

std::string InventoryTracker::not_synced_reason() const {
  std::lock_guard lock(mu_);
  if (!nodes_ || !nodes_->has_synced()) return "Nodes not listed yet";
  if (!crd_watch_ || !crd_watch_->has_synced()) return "CustomResourceDefinitions not listed yet";
  if (!discovered_once_) {
    return "machine API discovery has not succeeded yet" +
           (discovery_error_.empty() ? std::string() : ": " + discovery_error_);
  }
  for (const auto& [label, informer] : crds_) {
    if (!informer->has_synced()) return label + " not listed yet";
  }
  return "";
}

bool InventoryTracker::has_synced() const { return not_synced_reason().empty(); }

bool InventoryTracker::discovery_settled() const {
  std::lock_guard lock(mu_);
  return settled_;
}

std::shared_ptr<const inventory::Snapshot> InventoryTracker::snapshot() {
  std::lock_guard lock(mu_);
  if (!dirty_ && snapshot_) return snapshot_;
  inventory::SnapshotBuilder builder;
  // Until discovery settled, some machine API may exist that we do not watch yet: Node
  // self-reported addresses must not count as inventory meanwhile.
  if (static_present_ || !crds_.empty() || !settled_) builder.inventory_source_present();
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
  auto count = [](const cache::ReflectorStats& s) {
    return s.watch_restarts + s.watch_errors + s.relists_gone;
  };
  if (nodes_) out["nodes"] = count(nodes_->stats());
  if (crd_watch_) out["customresourcedefinitions"] = count(crd_watch_->stats());
  for (const auto& group : known_inventory_apis()) {
    for (const InventoryApi& api : group) {
      auto it = crds_.find(api.label);
      if (it != crds_.end()) out[api.resource.resource] += count(it->second->stats());
    }
  }
  return out;
}

}  // namespace nca::daemon

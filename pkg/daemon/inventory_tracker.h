// InventoryTracker: keeps the inventory Snapshot current from live sources — Nodes, and
// each machine API that the cluster serves (machine.openshift.io Machines, Cluster API
// Machines, Metal3 BareMetalHosts) — plus a static inventory (file or ConfigMap).
//
// Discovery is event-driven and fails closed (inventory_discovery.cpp):
//  * CustomResourceDefinitions are watched; a change to the CRD of a known machine API
//    (installed, established, deleted) triggers API discovery at once, on the tracker's
//    discovery thread (discover() asks for a pass too: a backstop, never required).
//  * Until discovery has *settled* — a full pass answered for every group, no CRD change
//    since, and the informer of every API found has synced — the Snapshot says an
//    inventory source is present, so Node self-reported addresses are never trusted in
//    that gap (a Machine CRD installed after start cannot open a window).
//  * A discovery error is never read as "not served": the pass is retried with backoff,
//    and has_synced() stays false until the first pass fully succeeded.
//
// Machine API objects are decoded into the inventory form at the informer's decode step
// (InventoryEntry): the caches never hold their JSON, only the few fields a Machine has.
// Informer handlers only update a map of decoded machines and call `on_change` with the
// node names affected; an object that decodes with problems is kept with what could be
// read (see inventory::Decoded) and its skipped fields are counted and logged. The
// Snapshot is rebuilt lazily, at most once per change burst. Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "cache/informer.h"
#include "daemon/inventory_apis.h"
#include "inventory/decoded.h"
#include "inventory/machine.h"
#include "kube/client.h"
#include "kube/objects.h"
#include "metrics/metrics.h"

namespace nca::daemon {

// Where the tracker reads from: the seam tests replace.
struct InventorySources {
  // A cluster-wide list/watch of `resource`.
  std::function<std::shared_ptr<kube::ListWatcher>(const kube::Resource&)> list_watcher;
  // API discovery: whether the resource's group/version serves it.
  std::function<Result<bool>(const kube::Resource&)> served;
};
InventorySources rest_sources(std::shared_ptr<kube::RestClient> client);

struct DiscoveryOptions {
  Duration initial_backoff = std::chrono::seconds(1);  // after a failed discovery pass
  Duration max_backoff = std::chrono::seconds(30);
};

// One cached machine API object: what the inventory decoder made of it, and just enough
// metadata to key it.
struct InventoryEntry {
  struct Meta {
    std::string name;
    std::string namespace_;
    std::string resource_version;
  } metadata;
  inventory::Decoded decoded;  // with the metadata's decode warnings among its warnings
};
// The informer's decoder for machine API objects. Never fails for an object with a name:
// problems are the entry's warnings or skip reason.
Result<InventoryEntry> decode_inventory_entry(const nlohmann::json& object);

class InventoryTracker {
 public:
  using ChangeFn = std::function<void(const std::set<std::string>& node_names)>;

  InventoryTracker(std::shared_ptr<kube::RestClient> client, std::shared_ptr<Clock> clock,
                   ChangeFn on_change, std::shared_ptr<metrics::Metrics> metrics = nullptr);
  InventoryTracker(InventorySources sources, std::shared_ptr<Clock> clock, ChangeFn on_change,
                   std::shared_ptr<metrics::Metrics> metrics, DiscoveryOptions options);
  ~InventoryTracker();

  // Starts the Node and CRD informers and the discovery thread.
  void start();
  void stop();
  // Asks the discovery thread for a pass (returns at once).
  void discover();

  // Replaces the static machines (from a file or ConfigMap); `present` says a static
  // inventory is configured at all (even if empty).
  void set_static(std::vector<inventory::Machine> machines, bool present);

  // Nodes and CRDs listed, discovery succeeded once, every machine API informer synced.
  bool has_synced() const;
  // Why has_synced() is false, for /readyz ("" when synced).
  std::string not_synced_reason() const;
  // Whether discovery has settled (see above); while not, Node addresses are not trusted.
  bool discovery_settled() const;
  std::shared_ptr<const inventory::Snapshot> snapshot();
  // Names of the machine APIs being watched, for logs and tests.
  std::vector<std::string> watched_apis() const;
  // Watch restarts (normal ends and errors) per resource, for the metric.
  std::map<std::string, std::uint64_t> watch_restarts() const;

 private:
  void put(const std::string& source_key, std::optional<inventory::Machine> machine);
  void record_problems(const std::string& resource, const std::string& key,
                       const inventory::Decoded& d);
  cache::Informer<InventoryEntry>* start_crd_informer(const InventoryApi& api);
  void start_crd_watch();
  void on_crd(const kube::Unstructured& crd, bool deleted);
  void discovery_loop(std::stop_token stop);
  std::string discovery_pass(std::stop_token stop);
  bool group_watched_locked(std::size_t group) const;

  InventorySources sources_;
  std::shared_ptr<Clock> clock_;
  ChangeFn on_change_;
  std::shared_ptr<metrics::Metrics> metrics_;
  DiscoveryOptions options_;

  mutable std::mutex mu_;
  std::map<std::string, inventory::Machine> machines_;  // "kind/ns/name" → machine
  std::vector<inventory::Machine> static_;
  bool static_present_ = false;
  bool dirty_ = true;
  std::shared_ptr<const inventory::Snapshot> snapshot_;
  // Discovery state.
  bool discovery_requested_ = true;
  bool discovered_once_ = false;
  bool settled_ = false;
  std::uint64_t crd_generation_ = 0;       // bumped by every change to a known API's CRD
  std::string discovery_error_;            // of the last pass, "" when it succeeded
  std::map<std::string, bool> crds_seen_;  // known APIs' CRDs: name → Established
  std::condition_variable_any discovery_cv_;

  std::unique_ptr<cache::Informer<kube::Node>> nodes_;
  std::unique_ptr<cache::Informer<kube::Unstructured>> crd_watch_;
  std::map<std::string, std::unique_ptr<cache::Informer<InventoryEntry>>> crds_;
  std::jthread discovery_thread_;
};

}  // namespace nca::daemon

// InventoryTracker: keeps the inventory Snapshot current from live sources — Nodes, and
// each machine API that the cluster serves (machine.openshift.io Machines, Cluster API
// Machines, Metal3 BareMetalHosts; discovered at start and re-checked periodically, so an
// API installed later is picked up) — plus a static inventory (file or ConfigMap).
//
// Informer handlers only update a map of decoded machines and call `on_change` with the
// node names affected; the Snapshot is rebuilt lazily, at most once per change burst, when
// snapshot() is next called. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "cache/informer.h"
#include "inventory/machine.h"
#include "kube/client.h"
#include "kube/objects.h"

namespace nca::daemon {

struct InventoryApi {
  std::string label;  // "machine.openshift.io/v1beta1 machines", for logs
  kube::Resource resource;
};

// The machine APIs we look for, most specific version first within a group.
std::vector<std::vector<InventoryApi>> known_inventory_apis();

class InventoryTracker {
 public:
  using ChangeFn = std::function<void(const std::set<std::string>& node_names)>;

  InventoryTracker(std::shared_ptr<kube::RestClient> client, std::shared_ptr<Clock> clock,
                   ChangeFn on_change);
  ~InventoryTracker();

  // Starts the Node informer and discovers the machine APIs.
  void start();
  void stop();
  // Re-checks which machine APIs exist; starts informers for new ones.
  void discover();

  // Replaces the static machines (from a file or ConfigMap); `present` says a static
  // inventory is configured at all (even if empty).
  void set_static(std::vector<inventory::Machine> machines, bool present);

  bool has_synced() const;
  std::shared_ptr<const inventory::Snapshot> snapshot();
  // Names of the machine APIs being watched, for logs and tests.
  std::vector<std::string> watched_apis() const;
  // Watch restarts (normal ends and errors) per resource, for the metric.
  std::map<std::string, std::uint64_t> watch_restarts() const;

 private:
  void put(const std::string& source_key, std::optional<inventory::Machine> machine);
  void start_crd_informer(const InventoryApi& api);

  std::shared_ptr<kube::RestClient> client_;
  std::shared_ptr<Clock> clock_;
  ChangeFn on_change_;

  mutable std::mutex mu_;
  std::map<std::string, inventory::Machine> machines_;  // "kind/ns/name" → machine
  std::vector<inventory::Machine> static_;
  bool static_present_ = false;
  bool dirty_ = true;
  std::shared_ptr<const inventory::Snapshot> snapshot_;

  std::unique_ptr<cache::Informer<kube::Node>> nodes_;
  std::map<std::string, std::unique_ptr<cache::Informer<kube::Unstructured>>> crds_;
};

}  // namespace nca::daemon

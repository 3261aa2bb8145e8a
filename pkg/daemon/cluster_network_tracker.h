// ClusterNetworkTracker: keeps inventory::ClusterNetwork (the ranges no serving certificate
// may name) current from the API, with informers (list + watch, no polling) on:
//   - networking.k8s.io/v1 ServiceCIDRs, when the cluster serves that API (discovered once
//     at start; a discovery error is retried with backoff and keeps the tracker unsynced:
//     an error is never read as "not served");
//   - the Service default/kubernetes (spec.clusterIPs);
//   - the EndpointSlice default/kubernetes (the API servers' addresses), which the API
//     server itself maintains.
// Node pod CIDRs come with the Nodes (InventoryTracker), not from here.
//
// attach() returns the inventory Snapshot with this network filled in; until has_synced()
// the daemon decides nothing (serving CSRs wait). `on_change` runs (on an informer thread)
// after the network changed, so that pending CSRs are evaluated again. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include "base/clock.h"
#include "cache/informer.h"
#include "inventory/machine.h"
#include "kube/client.h"
#include "kube/objects.h"

namespace nca::daemon {

// The same network read once (for live `explain`): the objects the tracker watches, with
// the same decoders. A discovery or read error is an error (a missing Service or
// EndpointSlice is not), so that explain never answers from less than the daemon knows.
Result<inventory::ClusterNetwork> read_cluster_network(kube::ApiClient& client);

class ClusterNetworkTracker {
 public:
  ClusterNetworkTracker(std::shared_ptr<kube::RestClient> client, std::shared_ptr<Clock> clock,
                        std::function<void()> on_change);
  ~ClusterNetworkTracker();

  void start();
  void stop();

  // Discovery has answered and every informer has listed once.
  bool has_synced() const;
  // The network as last seen (empty until synced).
  inventory::ClusterNetwork network() const;
  // `snapshot` with cluster_network set to network(); cached per (snapshot, version).
  std::shared_ptr<const inventory::Snapshot> attach(
      std::shared_ptr<const inventory::Snapshot> snapshot);

 private:
  using UInformer = cache::Informer<kube::Unstructured>;
  std::unique_ptr<UInformer> make_informer(const kube::Resource& resource, const std::string& ns,
                                           const std::string& field_selector);
  void discover(std::stop_token stop);
  void changed();

  std::shared_ptr<kube::RestClient> client_;
  std::shared_ptr<Clock> clock_;
  std::function<void()> on_change_;

  std::unique_ptr<UInformer> service_, slices_;
  mutable std::mutex mu_;
  std::unique_ptr<UInformer> cidrs_;  // set by discovery when the API is served
  bool discovered_ = false;
  std::uint64_t version_ = 0;
  std::shared_ptr<const inventory::Snapshot> attached_from_, attached_;
  std::uint64_t attached_version_ = 0;
  std::jthread discovery_;
};

}  // namespace nca::daemon

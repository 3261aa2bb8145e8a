// Controller: the approver's control loop, built like sample-controller's NewController +
// Run. The constructor takes plain settings (ControllerSettings, already loaded and
// validated: no files are read here) and injected clients (ControllerClients) and builds
// the parts — CSR cache, inventory and config trackers, work queue, reconciler — with their
// event handlers wired to enqueue keys. run() serves /metrics, /healthz and /readyz,
// starts the informers, waits for the caches, starts leader election and the workers,
// then does housekeeping (resync, discovery, gauges) until `stop`; on its way out it stops
// taking work, drains the workers, releases the lease and stops the watches, in that order.
//
// Threads (all started and joined by run()): one per informer, `workers` reconcile
// workers, one leader-election thread, two HTTP acceptor threads (and one thread per open
// HTTP connection); housekeeping runs on the
// caller's thread. run() may be called once. The handlers, the reconciler and the
// trackers are thread-safe; the rest of the object is touched only by run()'s thread.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "approver/reconciler.h"
#include "base/clock.h"
#include "daemon/cluster_network_tracker.h"
#include "daemon/config_tracker.h"
#include "daemon/csr_cache.h"
#include "daemon/dns_evidence.h"
#include "daemon/guard_gauges.h"
#include "daemon/inventory_tracker.h"
#include "daemon/readiness.h"
#include "inventory/machine.h"
#include "kube/client.h"
#include "leaderelection/leader_elector.h"
#include "metrics/metrics.h"
#include "policy/config.h"
#include "workqueue/rate_limiting_queue.h"

namespace nca::metrics {
class AccessReviewer;
class HttpServer;
}  // namespace nca::metrics

namespace nca::daemon {

// What the controller runs with; everything already parsed (see controller_settings in
// daemon.cpp for how RunOptions become these).
struct ControllerSettings {
  policy::PolicyConfig base_config;  // from --config, or the built-in defaults
  // The --inventory file's machines; unset when no file is given.
  std::optional<std::vector<inventory::Machine>> static_inventory;
  bool dry_run = false;
  // The watched ConfigMap (config.yaml, inventory.yaml); empty namespace = none.
  std::string config_map_namespace, config_map_name;
  std::string identity;  // leader identity and Event source instance
  bool leader_elect = true;
  std::string lease_namespace = "node-csr-approver";
  std::string lease_name = "node-csr-approver";
  int workers = 2;
  std::chrono::seconds resync{300};
  std::chrono::seconds discovery{60};
  std::string metrics_bind_address = ":9090";
  std::string health_bind_address = ":8081";
  // /metrics over HTTPS with TokenReview + SubjectAccessReview (metrics_endpoint.h);
  // false: plain HTTP, no authentication.
  bool metrics_secure = true;
  std::string metrics_cert_dir;  // tls.crt + tls.key; empty: self-signed
};

// The clients the controller uses; the caller owns their configuration.
struct ControllerClients {
  std::shared_ptr<kube::RestClient> api;
  // The Lease's own client (its own timeout, never queued behind the caches or writers);
  // null: use `api`.
  std::shared_ptr<kube::RestClient> lease_api;
  // Events' own client (their own rate limit: an Event never delays an approval, and a
  // burst of approvals never starves Events of the shared budget); null: use `api`.
  std::shared_ptr<kube::RestClient> events_api;
  std::shared_ptr<Clock> clock;
  std::shared_ptr<metrics::Metrics> metrics;
  // Reviews /metrics scrapers' tokens; needed when metrics_secure.
  std::shared_ptr<metrics::AccessReviewer> metrics_reviewer;
};

class Controller {
 public:
  Controller(ControllerSettings settings, ControllerClients clients);
  ~Controller();
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // Runs until `stop`. Returns the process exit code: 0 after a clean shutdown, 1 when
  // start-up failed (an endpoint could not be served, the first config was invalid).
  int run(std::stop_token stop);

 private:
  class State;

  // Handlers: only enqueue keys.
  void enqueue_if_pending(const approver::CsrPtr& csr);
  void enqueue_pending();
  void requeue_nodes(const std::set<std::string>& nodes);
  void on_static_inventory(std::vector<inventory::Machine> machines, bool present);

  Status serve_endpoints();
  bool wait_for_caches(std::stop_token stop);
  void start_leader_election();
  void run_worker();
  void housekeeping(std::stop_token stop);
  void publish_restarts();
  void shutdown();
  bool is_leader() const;
  // Until when a decision write may run: the elector's leadership deadline.
  std::optional<MonoTime> write_deadline() const;

  const ControllerSettings settings_;
  const ControllerClients clients_;
  Readiness ready_;
  std::unique_ptr<metrics::HttpServer> metrics_server_, health_server_;
  workqueue::RateLimitingQueue queue_;
  DnsEvidence dns_;  // serving.resolveDNS; re-queues the CSRs an answer was awaited for
  CsrCache csrs_;
  InventoryTracker inventory_;
  ClusterNetworkTracker network_;
  ConfigTracker config_;
  std::shared_ptr<State> state_;
  std::unique_ptr<approver::Reconciler> reconciler_;
  std::unique_ptr<leaderelection::LeaderElector> elector_;
  std::jthread election_;
  std::vector<std::jthread> workers_;
  std::map<std::string, std::uint64_t> restarts_seen_;
  GuardGauges guard_gauges_;
};

}  // namespace nca::daemon

#include "daemon/controller.h"

#include <iostream>

#include "approver/csr_index.h"
#include "base/log.h"
#include "daemon/api_adapters.h"
#include "daemon/metrics_endpoint.h"
#include "daemon/queue_metrics.h"
#include "metrics/http_server.h"

namespace nca::daemon {
namespace {

using namespace std::chrono_literals;

workqueue::QueueOptions queue_options(const ControllerClients& c) {
  workqueue::QueueOptions q;
  q.name = "csrs";
  q.clock = c.clock;
  q.metrics = std::make_shared<QueueMetricsAdapter>(c.metrics);
  return q;
}

// Pending gauges per signer, from the cache's pending set (no scan of every CSR).
void update_pending_gauges(const CsrCache& csrs, metrics::Metrics& m, WallTime now) {
  std::map<std::string, PendingSummary> by_signer{
      {"kubernetes.io/kubelet-serving", {}}, {"kubernetes.io/kube-apiserver-client-kubelet", {}}};
  for (auto& [signer, s] : csrs.pending_by_signer()) by_signer[signer] = s;
  for (const auto& [signer, s] : by_signer) {
    m.set_pending(signer, static_cast<double>(s.count));
    m.set_oldest_pending_age(
        signer,
        s.oldest ? std::max(0.0, std::chrono::duration<double>(now - *s.oldest).count()) : 0.0);
  }
}

}  // namespace

// The StateSource the reconciler reads: inventory from the tracker, config from the
// config tracker.
class Controller::State final : public approver::StateSource {
 public:
  State(InventoryTracker& inventory, ClusterNetworkTracker& network, ConfigTracker& config)
      : inventory_(inventory), network_(network), config_(config) {}
  std::shared_ptr<const inventory::Snapshot> inventory() const override {
    return network_.attach(inventory_.snapshot());
  }
  std::shared_ptr<const policy::PolicyConfig> config() const override { return config_.config(); }

 private:
  InventoryTracker& inventory_;
  ClusterNetworkTracker& network_;
  ConfigTracker& config_;
};

Controller::Controller(ControllerSettings settings, ControllerClients clients)
    : settings_(std::move(settings)),
      clients_(std::move(clients)),
      health_server_(std::make_unique<metrics::HttpServer>()),
      queue_(queue_options(clients_)),
      dns_(clients_.clock, clients_.metrics,
           [this](std::vector<std::string> keys) {
             for (auto& key : keys) queue_.add(key);
           }),
      csrs_(clients_.api, clients_.clock),
      inventory_(
          clients_.api, clients_.clock,
          [this](const std::set<std::string>& nodes) { requeue_nodes(nodes); }, clients_.metrics),
      network_(clients_.api, clients_.clock, [this] { enqueue_pending(); }),
      config_(
          settings_.base_config, settings_.dry_run, clients_.metrics,
          [this](std::vector<inventory::Machine> machines, bool present) {
            on_static_inventory(std::move(machines), present);
          },
          [this] {
            if (auto c = config_.config()) dns_.configure(c->serving);
            enqueue_pending();
          }) {
  // A CSR that leaves Pending or the cache is enqueued too: reconcile() then drops what it
  // remembered about it.
  (void)csrs_.informer().add_event_handlers(
      {.on_add = [this](const approver::CsrPtr& csr) { enqueue_if_pending(csr); },
       .on_update =
           [this](const approver::CsrPtr& old_csr, const approver::CsrPtr& csr) {
             if (approver::is_kubelet_signer(*csr) && (csr->is_pending() || old_csr->is_pending()))
               queue_.add(csr->metadata.name);
           },
       .on_delete = [this](const approver::CsrPtr& csr, bool) { queue_.add(csr->metadata.name); }});
  ready_.add_check("inventory", [this] { return inventory_.not_synced_reason(); });
  // A CSR cache whose lists and watches keep failing is not being refreshed.
  ready_.add_check("caches", [this] {
    return csrs_.informer().health().healthy
               ? std::string()
               : std::string("caches not being refreshed: certificatesigningrequests");
  });
  ready_.add_check("cluster network", [this] {
    return network_.has_synced() ? std::string()
                                 : std::string("ServiceCIDRs and default/kubernetes not read yet");
  });
  if (settings_.static_inventory) inventory_.set_static(*settings_.static_inventory, true);
  if (!settings_.config_map_namespace.empty()) {
    config_.watch(clients_.api, clients_.clock, settings_.config_map_namespace,
                  settings_.config_map_name);
  }
  state_ = std::make_shared<State>(inventory_, network_, config_);
  reconciler_ = std::make_unique<approver::Reconciler>(approver::ReconcilerDeps{
      std::shared_ptr<approver::CsrSource>(&csrs_, [](auto*) {}), state_,
      std::make_shared<ApiDecisionWriter>(clients_.api, clients_.clock, settings_.identity,
                                          [this] { return write_deadline(); }),
      std::make_shared<ApiEventRecorder>(clients_.events_api ? clients_.events_api : clients_.api,
                                         clients_.clock, settings_.identity, clients_.metrics),
      clients_.metrics, clients_.clock, [this] { return is_leader(); }, &dns_});
}

Controller::~Controller() { shutdown(); }

void Controller::enqueue_if_pending(const approver::CsrPtr& csr) {
  if (approver::is_kubelet_signer(*csr) && csr->is_pending()) queue_.add(csr->metadata.name);
}

void Controller::enqueue_pending() {
  for (const auto& csr : csrs_.list()) enqueue_if_pending(csr);
}

void Controller::requeue_nodes(const std::set<std::string>& nodes) {
  for (const auto& node : nodes) {
    for (const auto& csr : csrs_.by_claimed_node(node)) enqueue_if_pending(csr);
  }
}

void Controller::on_static_inventory(std::vector<inventory::Machine> machines, bool present) {
  // A ConfigMap inventory replaces the file's; without one the file's stays.
  if (present) {
    inventory_.set_static(std::move(machines), true);
  } else if (settings_.static_inventory) {
    inventory_.set_static(*settings_.static_inventory, true);
  } else {
    inventory_.set_static({}, false);
  }
}

bool Controller::is_leader() const { return !elector_ || elector_->is_leader(); }

std::optional<MonoTime> Controller::write_deadline() const {
  // Without leader election nothing else bounds a write: the client's usual timeout.
  if (!settings_.leader_elect) return clients_.clock->now() + clients_.api->config().timeout;
  // Before the elector has started nobody leads here.
  return elector_ ? elector_->leadership_deadline() : std::nullopt;
}

Status Controller::serve_endpoints() {
  auto server = make_metrics_server(
      {settings_.metrics_secure, settings_.metrics_cert_dir, settings_.lease_namespace},
      clients_.metrics, clients_.metrics_reviewer, clients_.clock);
  if (!server.is_ok()) return server.status().annotate("cannot serve metrics");
  metrics_server_ = std::move(server).value();
  health_server_->handle("/healthz", [](const metrics::HttpRequest&) {
    return metrics::HttpResponse{200, "text/plain", "ok\n", {}};
  });
  health_server_->handle("/readyz", [this](const metrics::HttpRequest&) {
    auto [code, body] = ready_.render();
    return metrics::HttpResponse{code, "text/plain", body, {}};
  });
  if (Status st = metrics_server_->start(settings_.metrics_bind_address); !st.is_ok()) {
    return st.annotate("cannot serve metrics");
  }
  if (Status st = health_server_->start(settings_.health_bind_address); !st.is_ok()) {
    return st.annotate("cannot serve health checks");
  }
  return Status::ok();
}

// Nothing is decided before the config, the CSRs and the inventory are synced. False
// when stopped meanwhile.
bool Controller::wait_for_caches(std::stop_token stop) {
  csrs_.informer().wait_for_sync(stop);
  while (!stop.stop_requested() && !(inventory_.has_synced() && network_.has_synced())) {
    clients_.clock->sleep_for(100ms, stop);
  }
  if (stop.stop_requested()) return false;
  ready_.set_ready(true);
  log::info("caches synced; ready", {{"identity", settings_.identity},
                                     {"csrs", static_cast<std::int64_t>(csrs_.list().size())}});
  return true;
}

void Controller::start_leader_election() {
  if (!settings_.leader_elect) {
    clients_.metrics->set_leader(true);
    return;
  }
  leaderelection::ElectorSettings es;
  es.identity = settings_.identity;
  elector_ = std::make_unique<leaderelection::LeaderElector>(
      es,
      std::make_shared<ApiLeaseLock>(clients_.lease_api ? clients_.lease_api : clients_.api,
                                     settings_.lease_namespace, settings_.lease_name),
      clients_.clock,
      leaderelection::ElectorCallbacks{
          .on_started_leading =
              [this] {
                clients_.metrics->set_leader(true);
                config_.store_last_good();
                enqueue_pending();  // decisions deferred while following
              },
          .on_stopped_leading = [this] { clients_.metrics->set_leader(false); },
          .on_new_leader =
              [](const std::string& leader) {
                log::info("leader observed", {{"leader", leader}});
              }});
  election_ = std::jthread([this](std::stop_token st) { elector_->run(st); });
}

void Controller::run_worker() {
  while (auto key = queue_.get()) {
    auto result = reconciler_->reconcile(*key);
    if (result.status.is_ok()) {
      queue_.forget(*key);
    } else {
      queue_.add_rate_limited(*key);
    }
    queue_.done(*key);
  }
}

void Controller::publish_restarts() {
  auto counts = inventory_.watch_restarts();
  const auto s = csrs_.informer().stats();
  counts["certificatesigningrequests"] = s.watch_restarts + s.watch_errors + s.relists_gone;
  for (const auto& [resource, n] : counts) {
    for (auto& seen = restarts_seen_[resource]; seen < n; ++seen) {
      clients_.metrics->watch_restart(resource);
    }
  }
}

void Controller::housekeeping(std::stop_token stop) {
  const auto& clock = clients_.clock;
  MonoTime next_resync = clock->now() + settings_.resync;
  MonoTime next_discovery = clock->now() + settings_.discovery;
  while (!stop.stop_requested()) {
    update_pending_gauges(csrs_, *clients_.metrics, clock->wall_now());
    guard_gauges_.update(csrs_, *state_, *clients_.metrics);
    publish_restarts();
    if (clock->now() >= next_resync) {
      enqueue_pending();
      next_resync = clock->now() + settings_.resync;
    }
    if (clock->now() >= next_discovery) {
      inventory_.discover();
      next_discovery = clock->now() + settings_.discovery;
    }
    clock->sleep_for(1s, stop);
  }
}

int Controller::run(std::stop_token stop) {
  if (Status st = serve_endpoints(); !st.is_ok()) {
    log::error("start-up failed", {{"error", st.to_string()}});
    std::cerr << "node-csr-approver: " << st.message() << "\n";
    return 1;
  }
  csrs_.informer().start();
  inventory_.start();
  network_.start();
  if (Status st = config_.wait_for_sync(stop); !st.is_ok() && st.code() != Code::kCancelled) {
    log::error("invalid configuration", {{"error", st.to_string()}});
    std::cerr << "node-csr-approver: invalid configuration: " << st.message() << "\n";
    shutdown();
    return 1;
  }
  if (auto c = config_.config()) {
    dns_.configure(c->serving);
    if (c->serving.renewal_from_live_certificate.enabled) {
      log::warn(
          "serving.renewalFromLiveCertificate is on, but this build has no kubelet prober: "
          "no live certificate vouches for anything",
          {});
    }
  }
  if (wait_for_caches(stop)) {
    start_leader_election();
    config_.set_leader_check([this] { return is_leader(); });
    config_.store_last_good();
    for (int i = 0; i < settings_.workers; ++i) workers_.emplace_back([this] { run_worker(); });
    enqueue_pending();
    housekeeping(stop);
  }
  shutdown();
  log::info("stopped cleanly");
  return 0;
}

// Idempotent; the order matters: stop taking work, drain the workers, release the lease,
// stop the watches, then the endpoints.
void Controller::shutdown() {
  ready_.set_ready(false);
  queue_.shutdown();
  workers_.clear();  // joins: in-flight reconciles finish
  dns_.stop();       // joins the resolver's thread: no answer re-queues after this
  if (election_.joinable()) {
    election_.request_stop();
    election_.join();  // the elector releases the lease on its way out
  }
  config_.stop();
  inventory_.stop();
  network_.stop();
  csrs_.informer().stop();
  if (metrics_server_) metrics_server_->stop();
  health_server_->stop();
}

}  // namespace nca::daemon

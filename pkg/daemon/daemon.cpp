#include "daemon/daemon.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "approver/csr_index.h"
#include "approver/reconciler.h"
#include "base/log.h"
#include "cache/health_registry.h"
#include "config/policy_config.h"
#include "daemon/api_adapters.h"
#include "daemon/config_tracker.h"
#include "daemon/csr_cache.h"
#include "daemon/inventory_tracker.h"
#include "daemon/queue_metrics.h"
#include "kube/kubeconfig.h"
#include "leaderelection/leader_elector.h"
#include "metrics/http_server.h"
#include "metrics/metrics.h"
#include "workqueue/rate_limiting_queue.h"

#ifndef NCA_VERSION
#define NCA_VERSION "dev"
#endif

namespace nca::daemon {
namespace {

using namespace std::chrono_literals;

// The StateSource the reconciler reads: inventory from the tracker, config from the
// config tracker.
class DaemonState final : public approver::StateSource {
 public:
  DaemonState(InventoryTracker& inventory, ConfigTracker& config)
      : inventory_(inventory), config_(config) {}
  std::shared_ptr<const inventory::Snapshot> inventory() const override {
    return inventory_.snapshot();
  }
  std::shared_ptr<const policy::PolicyConfig> config() const override { return config_.config(); }

 private:
  InventoryTracker& inventory_;
  ConfigTracker& config_;
};

std::string default_identity() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + "_" + std::to_string(::getpid());
}

Result<kube::ClientConfig> client_config(const RunOptions& o) {
  auto cfg = o.kubeconfig.empty() ? kube::in_cluster_config()
                                  : kube::load_kubeconfig(o.kubeconfig, o.context);
  if (!cfg) return cfg.status();
  cfg->qps = o.qps;
  cfg->burst = o.burst;
  return cfg;
}

int fail(const std::string& what, const Status& st) {
  log::error(what, {{"error", st.to_string()}});
  std::cerr << "node-csr-approver: " << what << ": " << st.message() << "\n";
  return 1;
}

// Enqueues every pending CSR of the kubelet signers.
void enqueue_pending(const CsrCache& csrs, workqueue::Queue& queue) {
  for (const auto& csr : csrs.list()) {
    if (approver::is_kubelet_signer(*csr) && csr->is_pending()) queue.add(csr->metadata.name);
  }
}

// Pending gauges per signer.
void update_pending_gauges(const CsrCache& csrs, metrics::Metrics& m, WallTime now) {
  struct Agg {
    double count = 0;
    std::optional<WallTime> oldest;
  };
  std::map<std::string, Agg> by_signer{{"kubernetes.io/kubelet-serving", {}},
                                       {"kubernetes.io/kube-apiserver-client-kubelet", {}}};
  for (const auto& csr : csrs.list()) {
    if (!approver::is_kubelet_signer(*csr) || !csr->is_pending()) continue;
    Agg& a = by_signer[csr->signer_name];
    a.count += 1;
    if (csr->metadata.creation_timestamp &&
        (!a.oldest || *csr->metadata.creation_timestamp < *a.oldest)) {
      a.oldest = csr->metadata.creation_timestamp;
    }
  }
  for (const auto& [signer, a] : by_signer) {
    m.set_pending(signer, a.count);
    m.set_oldest_pending_age(
        signer,
        a.oldest ? std::max(0.0, std::chrono::duration<double>(now - *a.oldest).count()) : 0.0);
  }
}

}  // namespace

void block_termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int run_daemon(const RunOptions& o, std::stop_token outer_stop) {
  log::set_level(log::parse_level(o.log_level).value_or(log::Level::kInfo));
  std::stop_source stop;
  std::stop_callback forward(outer_stop, [&] { stop.request_stop(); });
  auto clock = real_clock();
  const std::string identity = o.identity.empty() ? default_identity() : o.identity;

  // --- configuration: every start-up error is fatal, with a clear message -----------
  policy::PolicyConfig base;
  if (!o.config_file.empty()) {
    auto loaded = config::load_policy_config(o.config_file);
    if (!loaded) return fail("invalid --config", loaded.status());
    base = std::move(loaded).value();
  }
  std::optional<std::vector<inventory::Machine>> static_file;
  if (!o.inventory_file.empty()) {
    std::ifstream in(o.inventory_file);
    if (!in) return fail("invalid --inventory", invalid("cannot read " + o.inventory_file));
    std::stringstream text;
    text << in.rdbuf();
    auto machines = parse_static_inventory(text.str());
    if (!machines) return fail("invalid --inventory", machines.status());
    static_file = std::move(machines).value();
  }
  auto cfg = client_config(o);
  if (!cfg) return fail("cannot configure the Kubernetes client", cfg.status());
  auto metrics = std::make_shared<metrics::Metrics>(NCA_VERSION);
  cfg->on_response = [metrics](std::string_view verb, int code) {
    metrics->api_request(verb, code);
  };
  auto client = kube::RestClient::create(*cfg, clock);
  if (!client) return fail("cannot create the Kubernetes client", client.status());

  // --- HTTP endpoints -----------------------------------------------------------------
  std::atomic<bool> ready{false};
  cache::HealthRegistry caches;  // ready also needs every registered cache fresh
  metrics::HttpServer metrics_server, health_server;
  metrics_server.handle("/metrics", [metrics] {
    return metrics::HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8",
                                 metrics->render()};
  });
  health_server.handle("/healthz", [] { return metrics::HttpResponse{200, "text/plain", "ok\n"}; });
  health_server.handle("/readyz", [&ready, &caches] {
    if (!ready) return metrics::HttpResponse{503, "text/plain", "informer caches not synced\n"};
    std::string stale;
    for (const auto& name : caches.stale()) stale += (stale.empty() ? "" : ", ") + name;
    return stale.empty() ? metrics::HttpResponse{200, "text/plain", "ok\n"}
                         : metrics::HttpResponse{503, "text/plain",
                                                 "caches not being refreshed: " + stale + "\n"};
  });
  if (Status st = metrics_server.start(o.metrics_bind_address); !st.is_ok()) {
    return fail("cannot serve metrics", st);
  }
  if (Status st = health_server.start(o.health_bind_address); !st.is_ok()) {
    return fail("cannot serve health checks", st);
  }

  // --- queue, caches, trackers --------------------------------------------------------
  workqueue::QueueOptions qopts;
  qopts.name = "csrs";
  qopts.clock = clock;
  qopts.metrics = std::make_shared<QueueMetricsAdapter>(metrics);
  workqueue::RateLimitingQueue queue(qopts);

  CsrCache csrs(*client, clock);
  caches.add("certificatesigningrequests", [&csrs] { return csrs.informer().health(); });
  auto enqueue_if_pending = [&queue](const approver::CsrPtr& csr) {
    if (approver::is_kubelet_signer(*csr) && csr->is_pending()) queue.add(csr->metadata.name);
  };
  (void)csrs.informer().add_event_handlers(
      {.on_add = enqueue_if_pending,
       .on_update = [enqueue_if_pending](const auto&, const auto& csr) { enqueue_if_pending(csr); },
       .on_delete = {}});
  auto requeue_nodes = [&csrs, &queue](const std::set<std::string>& nodes) {
    for (const auto& node : nodes) {
      for (const auto& csr : csrs.by_claimed_node(node)) {
        if (csr->is_pending() && approver::is_kubelet_signer(*csr)) queue.add(csr->metadata.name);
      }
    }
  };
  InventoryTracker inventory(*client, clock, requeue_nodes);
  if (static_file) inventory.set_static(*static_file, true);
  ConfigTracker config(
      base, o.dry_run, metrics,
      [&inventory, &static_file](std::vector<inventory::Machine> machines, bool present) {
        // A ConfigMap inventory replaces the file's; without one the file's stays.
        if (present) {
          inventory.set_static(std::move(machines), true);
        } else if (static_file) {
          inventory.set_static(*static_file, true);
        } else {
          inventory.set_static({}, false);
        }
      },
      [&csrs, &queue] { enqueue_pending(csrs, queue); });
  if (!o.config_map.empty()) {
    const auto slash = o.config_map.find('/');
    config.watch(*client, clock, o.config_map.substr(0, slash), o.config_map.substr(slash + 1));
  }
  csrs.informer().start();
  inventory.start();

  // --- wait for the caches before deciding anything ----------------------------------
  std::jthread signals([&stop](std::stop_token st) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    while (!st.stop_requested()) {
      timespec timeout{0, 200'000'000};
      int sig = sigtimedwait(&set, nullptr, &timeout);
      if (sig == SIGTERM || sig == SIGINT) {
        log::info("termination signal received; shutting down", {{"signal", sig}});
        stop.request_stop();
        return;
      }
    }
  });
  if (Status st = config.wait_for_sync(stop.get_token()); !st.is_ok()) {
    if (st.code() != Code::kCancelled) return fail("invalid configuration", st);
  }
  csrs.informer().wait_for_sync(stop.get_token());
  while (!stop.stop_requested() && !inventory.has_synced())
    clock->sleep_for(100ms, stop.get_token());
  if (!stop.stop_requested()) {
    ready = true;
    log::info("caches synced; ready",
              {{"identity", identity}, {"csrs", static_cast<std::int64_t>(csrs.list().size())}});
  }

  // --- leader election ----------------------------------------------------------------
  std::unique_ptr<leaderelection::LeaderElector> elector;
  std::jthread election;
  if (o.leader_elect) {
    leaderelection::ElectorSettings es;
    es.identity = identity;
    // The Lease has a client of its own: its requests never queue behind the caches' or
    // the writers' (shared rate limit, 30 s timeout); the elector bounds each one.
    auto lease_cfg = *cfg;
    lease_cfg.timeout = std::chrono::ceil<std::chrono::seconds>(es.renew_deadline);
    auto lease_client = kube::RestClient::create(lease_cfg, clock);
    if (!lease_client)
      return fail("cannot create the leader election client", lease_client.status());
    elector = std::make_unique<leaderelection::LeaderElector>(
        es, std::make_shared<ApiLeaseLock>(*lease_client, o.namespace_, o.lease_name), clock,
        leaderelection::ElectorCallbacks{
            .on_started_leading =
                [&] {
                  metrics->set_leader(true);
                  enqueue_pending(csrs, queue);  // decisions deferred while following
                },
            .on_stopped_leading = [&] { metrics->set_leader(false); },
            .on_new_leader =
                [](const std::string& leader) {
                  log::info("leader observed", {{"leader", leader}});
                }});
    election = std::jthread([&](std::stop_token st) { elector->run(st); });
  } else {
    metrics->set_leader(true);
  }

  // --- workers ------------------------------------------------------------------------
  auto writer = std::make_shared<ApiDecisionWriter>(*client, clock);
  auto events = std::make_shared<ApiEventRecorder>(*client, clock, identity);
  auto state = std::make_shared<DaemonState>(inventory, config);
  approver::Reconciler reconciler(
      {std::shared_ptr<approver::CsrSource>(&csrs, [](auto*) {}), state, writer, events, metrics,
       clock, [&elector] { return !elector || elector->is_leader(); }, nullptr});
  std::vector<std::jthread> workers;
  for (int i = 0; i < o.workers; ++i) {
    workers.emplace_back([&] {
      while (auto key = queue.get()) {
        auto result = reconciler.reconcile(*key);
        if (result.status.is_ok()) {
          queue.forget(*key);
        } else {
          queue.add_rate_limited(*key);
        }
        queue.done(*key);
      }
    });
  }
  enqueue_pending(csrs, queue);

  // --- housekeeping until stopped -----------------------------------------------------
  std::map<std::string, std::uint64_t> restarts_seen;
  auto publish_restarts = [&] {
    auto counts = inventory.watch_restarts();
    const auto s = csrs.informer().stats();
    counts["certificatesigningrequests"] = s.watch_restarts + s.watch_errors + s.relists_gone;
    for (const auto& [resource, n] : counts) {
      for (auto& seen = restarts_seen[resource]; seen < n; ++seen) metrics->watch_restart(resource);
    }
  };
  MonoTime next_resync = clock->now() + std::chrono::seconds(o.resync_seconds);
  MonoTime next_discovery = clock->now() + std::chrono::seconds(o.discovery_seconds);
  while (!stop.stop_requested()) {
    update_pending_gauges(csrs, *metrics, clock->wall_now());
    publish_restarts();
    if (clock->now() >= next_resync) {
      enqueue_pending(csrs, queue);
      next_resync = clock->now() + std::chrono::seconds(o.resync_seconds);
    }
    if (clock->now() >= next_discovery) {
      inventory.discover();
      next_discovery = clock->now() + std::chrono::seconds(o.discovery_seconds);
    }
    clock->sleep_for(1s, stop.get_token());
  }

  // --- orderly shutdown ---------------------------------------------------------------
  ready = false;
  caches.clear();
  queue.shutdown();
  workers.clear();  // joins: in-flight reconciles finish
  if (election.joinable()) {
    election.request_stop();
    election.join();  // the elector releases the lease on its way out
  }
  config.stop();
  inventory.stop();
  csrs.informer().stop();
  metrics_server.stop();
  health_server.stop();
  log::info("stopped cleanly");
  return 0;
}

}  // namespace nca::daemon

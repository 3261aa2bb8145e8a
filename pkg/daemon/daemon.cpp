#include "daemon/daemon.h"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "base/log.h"
#include "config/policy_config.h"
#include "daemon/api_access_reviewer.h"
#include "daemon/config_tracker.h"
#include "daemon/controller.h"
#include "kube/kubeconfig.h"
#include "leaderelection/leader_elector.h"
#include "metrics/metrics.h"

#ifndef NCA_VERSION
#define NCA_VERSION "dev"
#endif

namespace nca::daemon {
namespace {

// The Events client's budget: enough for every Event of a 100-CSR burst at once and 20 a
// second after that; beyond, the recorder's queue (1,024) holds them, and its correlator
// folds repeats.
// cpprestsdk's I/O pool only runs network completions (no call blocks on it), so two
// threads keep two cores busy; its default of 40 only adds idle threads to wake.
constexpr std::size_t kTransportThreads = 2;
constexpr double kEventsQps = 20;
constexpr int kEventsBurst = 100;

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

// RunOptions → ControllerSettings, reading the --config and --inventory files. Errors
// are prefixed with what failed ("invalid --config: ...").
Result<ControllerSettings> controller_settings(const RunOptions& o) {
  ControllerSettings s;
  if (!o.config_file.empty()) {
    auto loaded = config::load_policy_config(o.config_file);
    if (!loaded) return loaded.status().annotate("invalid --config");
    s.base_config = std::move(loaded).value();
  }
  if (!o.inventory_file.empty()) {
    std::ifstream in(o.inventory_file);
    if (!in) return invalid("invalid --inventory: cannot read " + o.inventory_file);
    std::stringstream text;
    text << in.rdbuf();
    auto machines = parse_static_inventory(text.str());
    if (!machines) return machines.status().annotate("invalid --inventory");
    s.static_inventory = std::move(machines).value();
  }
  s.dry_run = o.dry_run;
  if (!o.config_map.empty()) {
    const auto slash = o.config_map.find('/');
    s.config_map_namespace = o.config_map.substr(0, slash);
    s.config_map_name = o.config_map.substr(slash + 1);
  }
  s.identity = o.identity.empty() ? default_identity() : o.identity;
  s.leader_elect = o.leader_elect;
  s.lease_namespace = o.namespace_;
  s.lease_name = o.lease_name;
  s.workers = o.workers;
  s.resync = std::chrono::seconds(o.resync_seconds);
  s.discovery = std::chrono::seconds(o.discovery_seconds);
  s.metrics_bind_address = o.metrics_bind_address;
  s.health_bind_address = o.health_bind_address;
  s.metrics_secure = o.metrics_secure;
  s.metrics_cert_dir = o.metrics_cert_dir;
  return s;
}

// Requests `stop` on SIGTERM/SIGINT (blocked in every thread by block_termination_signals).
std::jthread watch_termination_signals(std::stop_source stop) {
  return std::jthread([stop](std::stop_token st) mutable {
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

  // Start-up errors are fatal, with a clear message.
  auto settings = controller_settings(o);
  if (!settings) {
    log::error("start-up failed", {{"error", settings.status().to_string()}});
    std::cerr << "node-csr-approver: " << settings.status().message() << "\n";
    return 1;
  }
  auto cfg = client_config(o);
  if (!cfg) return fail("cannot configure the Kubernetes client", cfg.status());
  kube::set_transport_threads(kTransportThreads);
  ControllerClients clients;
  clients.clock = real_clock();
  clients.metrics = std::make_shared<metrics::Metrics>(NCA_VERSION);
  cfg->on_response = [m = clients.metrics](std::string_view verb, int code) {
    m->api_request(verb, code);
  };
  auto client = kube::RestClient::create(*cfg, clients.clock);
  if (!client) return fail("cannot create the Kubernetes client", client.status());
  clients.api = std::move(client).value();
  if (o.leader_elect) {
    // The Lease has a client of its own: its requests never queue behind the caches' or
    // the writers' (shared rate limit, 30 s timeout); the elector bounds each one.
    auto lease_cfg = *cfg;
    lease_cfg.timeout =
        std::chrono::ceil<std::chrono::seconds>(leaderelection::ElectorSettings{}.renew_deadline);
    auto lease_client = kube::RestClient::create(lease_cfg, clients.clock);
    if (!lease_client) {
      return fail("cannot create the leader election client", lease_client.status());
    }
    clients.lease_api = std::move(lease_client).value();
  }

  {
    // Events are evidence, sent by the recorder's own thread at a budget of their own.
    auto events_cfg = *cfg;
    events_cfg.qps = kEventsQps;
    events_cfg.burst = kEventsBurst;
    auto events_client = kube::RestClient::create(events_cfg, clients.clock);
    if (!events_client) return fail("cannot create the Events client", events_client.status());
    clients.events_api = std::move(events_client).value();
  }
  if (o.metrics_secure) {
    // Scrapers' reviews have a client of their own (a small rate limit of their own, never
    // queued behind the caches), each review bounded to 5 s.
    auto review_cfg = *cfg;
    review_cfg.qps = 5;
    review_cfg.burst = 10;
    auto review_client = kube::RestClient::create(review_cfg, clients.clock);
    if (!review_client)
      return fail("cannot create the metrics review client", review_client.status());
    clients.metrics_reviewer = std::make_shared<ApiAccessReviewer>(std::move(review_client).value(),
                                                                   std::chrono::seconds(5));
  }
  Controller controller(std::move(settings).value(), std::move(clients));
  std::jthread signals = watch_termination_signals(stop);
  return controller.run(stop.get_token());
}

}  // namespace nca::daemon

#include "metrics/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>

namespace nca::metrics {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

const prometheus::Histogram::BucketBoundaries kLatencyBuckets{
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900};

std::string s(std::string_view v) { return std::string(v); }

}  // namespace

struct Metrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& decisions =
      BuildCounter()
          .Name("node_csr_approver_decisions_total")
          .Help("Decisions on CSRs by signer, kind, outcome and reason.")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& pending =
      BuildGauge()
          .Name("node_csr_approver_pending_csrs")
          .Help("Pending CSRs of the kubelet signers, by signer.")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& oldest =
      BuildGauge()
          .Name("node_csr_approver_oldest_pending_csr_age_seconds")
          .Help("Age of the oldest pending CSR, by signer (0 when none).")
          .Register(*registry);
  prometheus::Histogram& approval_latency =
      BuildHistogram()
          .Name("node_csr_approver_approval_latency_seconds")
          .Help("Time from CSR creation to the approval being written.")
          .Register(*registry)
          .Add({}, kLatencyBuckets);
  prometheus::Histogram& reconcile = BuildHistogram()
                                         .Name("node_csr_approver_reconcile_duration_seconds")
                                         .Help("Duration of one reconcile of one CSR.")
                                         .Register(*registry)
                                         .Add({}, kLatencyBuckets);
  prometheus::Gauge& queue_depth = BuildGauge()
                                       .Name("node_csr_approver_workqueue_depth")
                                       .Help("Keys waiting in the work queue.")
                                       .Register(*registry)
                                       .Add({});
  prometheus::Counter& queue_adds = BuildCounter()
                                        .Name("node_csr_approver_workqueue_adds_total")
                                        .Help("Keys added to the work queue.")
                                        .Register(*registry)
                                        .Add({});
  prometheus::Counter& queue_retries = BuildCounter()
                                           .Name("node_csr_approver_workqueue_retries_total")
                                           .Help("Rate-limited re-adds of keys after errors.")
                                           .Register(*registry)
                                           .Add({});
  prometheus::Histogram& queue_latency =
      BuildHistogram()
          .Name("node_csr_approver_workqueue_latency_seconds")
          .Help("Time a key waits in the work queue before a worker takes it.")
          .Register(*registry)
          .Add({}, kLatencyBuckets);
  prometheus::Family<prometheus::Counter>& watch_restarts =
      BuildCounter()
          .Name("node_csr_approver_watch_restarts_total")
          .Help("Watches re-established after ending, by resource.")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& api_requests =
      BuildCounter()
          .Name("node_csr_approver_api_requests_total")
          .Help("Requests to the Kubernetes API by verb and HTTP code (0: transport error).")
          .Register(*registry);
  prometheus::Gauge& is_leader = BuildGauge()
                                     .Name("node_csr_approver_is_leader")
                                     .Help("1 when this replica holds the leader lease.")
                                     .Register(*registry)
                                     .Add({});
  prometheus::Gauge& guard = BuildGauge()
                                 .Name("node_csr_approver_pending_guard_active")
                                 .Help("1 while the pending-CSR flood guard stops approvals.")
                                 .Register(*registry)
                                 .Add({});
  prometheus::Gauge& pending_bootstrap =
      BuildGauge()
          .Name("node_csr_approver_pending_bootstrap_csrs")
          .Help("Pending client-bootstrap CSRs, as the flood guard counts them.")
          .Register(*registry)
          .Add({});
  prometheus::Gauge& pending_bootstrap_limit =
      BuildGauge()
          .Name("node_csr_approver_pending_bootstrap_limit")
          .Help("The flood guard's limit on pending client-bootstrap CSRs.")
          .Register(*registry)
          .Add({});
  prometheus::Family<prometheus::Counter>& reloads =
      BuildCounter()
          .Name("node_csr_approver_config_reloads_total")
          .Help("Configuration reloads by result (success, failure).")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& events =
      BuildCounter()
          .Name("node_csr_approver_events_total")
          .Help(
              "Events handled by the recorder, by result (created, patched, rate_limited, "
              "queue_full, failed, dropped_at_shutdown).")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& fields_skipped =
      BuildCounter()
          .Name("node_csr_approver_inventory_fields_skipped_total")
          .Help("Fields of inventory objects left out because they did not decode, by resource.")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& dns_lookups =
      BuildCounter()
          .Name("node_csr_approver_dns_lookups_total")
          .Help(
              "DNS lookups for serving.resolveDNS answered, by type (A/AAAA, PTR) and result "
              "(found, not_found, transient).")
          .Register(*registry);
  prometheus::Histogram& dns_latency =
      BuildHistogram()
          .Name("node_csr_approver_dns_lookup_duration_seconds")
          .Help("Time from asking DNS to its answer (or failure), for serving.resolveDNS.")
          .Register(*registry)
          .Add({}, prometheus::Histogram::BucketBoundaries{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2,
                                                           5, 10});
  prometheus::Counter& dns_cache_hits =
      BuildCounter()
          .Name("node_csr_approver_dns_cache_hits_total")
          .Help("DNS lookups for serving.resolveDNS answered from the approver's cache.")
          .Register(*registry)
          .Add({});
  prometheus::Family<prometheus::Gauge>& build_info =
      BuildGauge()
          .Name("node_csr_approver_build_info")
          .Help("Always 1; the version label says which build runs.")
          .Register(*registry);
};

Metrics::Metrics(std::string_view version) : impl_(std::make_unique<Impl>()) {
  impl_->build_info.Add({{"version", s(version)}}).Set(1);
  // Series that alerts read exist from the start, so absent() means "not scraped".
  for (const char* signer :
       {"kubernetes.io/kubelet-serving", "kubernetes.io/kube-apiserver-client-kubelet"}) {
    impl_->pending.Add({{"signer", signer}}).Set(0);
    impl_->oldest.Add({{"signer", signer}}).Set(0);
  }
  for (const char* type : {"A/AAAA", "PTR"}) {
    for (const char* result : {"found", "not_found", "transient"}) {
      impl_->dns_lookups.Add({{"type", type}, {"result", result}});
    }
  }
  impl_->reloads.Add({{"result", "success"}});
  impl_->reloads.Add({{"result", "failure"}});
  for (const char* result :
       {"created", "patched", "rate_limited", "queue_full", "failed", "dropped_at_shutdown"}) {
    impl_->events.Add({{"result", result}});
  }
  impl_->reloads.Add({{"result", "fallback"}});
  impl_->fields_skipped.Add({{"resource", "nodes"}});
  // The watches every daemon runs (inventory APIs appear once they restart): a counter
  // that exists at 0 lets increase() see its first restart.
  for (const char* resource : {"certificatesigningrequests", "nodes"}) {
    impl_->watch_restarts.Add({{"resource", resource}});
  }
}

Metrics::~Metrics() = default;

void Metrics::decision(std::string_view signer, std::string_view kind, std::string_view outcome,
                       std::string_view reason) {
  impl_->decisions
      .Add({{"signer", s(signer)},
            {"kind", s(kind)},
            {"outcome", s(outcome)},
            {"reason", s(reason)}})
      .Increment();
}
void Metrics::set_pending(std::string_view signer, double count) {
  impl_->pending.Add({{"signer", s(signer)}}).Set(count);
}
void Metrics::set_oldest_pending_age(std::string_view signer, double seconds) {
  impl_->oldest.Add({{"signer", s(signer)}}).Set(seconds);
}
void Metrics::observe_approval_latency(double seconds) { impl_->approval_latency.Observe(seconds); }
void Metrics::observe_reconcile(double seconds) { impl_->reconcile.Observe(seconds); }
void Metrics::set_queue_depth(double depth) { impl_->queue_depth.Set(depth); }
void Metrics::queue_add() { impl_->queue_adds.Increment(); }
void Metrics::queue_retry() { impl_->queue_retries.Increment(); }
void Metrics::observe_queue_latency(double seconds) { impl_->queue_latency.Observe(seconds); }
void Metrics::watch_restart(std::string_view resource) {
  impl_->watch_restarts.Add({{"resource", s(resource)}}).Increment();
}
void Metrics::api_request(std::string_view verb, int code) {
  impl_->api_requests.Add({{"verb", s(verb)}, {"code", std::to_string(code)}}).Increment();
}
void Metrics::set_leader(bool leader) { impl_->is_leader.Set(leader ? 1 : 0); }
void Metrics::set_pending_guard(double pending_bootstrap, double limit) {
  impl_->pending_bootstrap.Set(pending_bootstrap);
  impl_->pending_bootstrap_limit.Set(limit);
  impl_->guard.Set(pending_bootstrap > limit ? 1 : 0);
}
void Metrics::config_reload(std::string_view result) {
  impl_->reloads.Add({{"result", s(result)}}).Increment();
}

void Metrics::event(std::string_view result) {
  impl_->events.Add({{"result", s(result)}}).Increment();
}
void Metrics::inventory_fields_skipped(std::string_view resource, std::size_t count) {
  impl_->fields_skipped.Add({{"resource", s(resource)}}).Increment(static_cast<double>(count));
}

void Metrics::dns_lookup(std::string_view type, std::string_view result, double seconds) {
  impl_->dns_lookups.Add({{"type", s(type)}, {"result", s(result)}}).Increment();
  impl_->dns_latency.Observe(seconds);
}

void Metrics::dns_cache_hit() { impl_->dns_cache_hits.Increment(); }

std::string Metrics::render() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, impl_->registry->Collect());
  return out.str();
}

}  // namespace nca::metrics

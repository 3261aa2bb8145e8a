// Metrics: every number the approver exposes, prefix node_csr_approver_, behind typed
// methods so prometheus-cpp stays inside this library. Names, types and labels are
// documented in docs/operations.md; alert rules and the dashboard depend on them, so a
// rename is a breaking change. Thread-safe: every method may be called from any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace nca::metrics {

class Metrics {
 public:
  explicit Metrics(std::string_view version);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One decision written (or, in dry-run, recorded) for a CSR.
  void decision(std::string_view signer, std::string_view kind, std::string_view outcome,
                std::string_view reason);
  void set_pending(std::string_view signer, double count);
  void set_oldest_pending_age(std::string_view signer, double seconds);
  void observe_approval_latency(double seconds);  // CSR creation → approval written
  void observe_reconcile(double seconds);

  // Work queue.
  void set_queue_depth(double depth);
  void queue_add();
  void queue_retry();
  void observe_queue_latency(double seconds);  // added → picked by a worker

  void watch_restart(std::string_view resource);
  void api_request(std::string_view verb, int code);  // code 0 = transport error
  void set_leader(bool leader);
  // The client-bootstrap flood guard: pending bootstrap CSRs counted against the limit;
  // the guard is active (approvals held) while count > limit.
  void set_pending_guard(double pending_bootstrap, double limit);
  void config_reload(std::string_view result);  // "success" | "failure" | "fallback"
  // One Event handled by the recorder: "created", "patched", "rate_limited",
  // "queue_full", "failed", "dropped_at_shutdown".
  void event(std::string_view result);
  // Fields of inventory objects (nodes, machines, baremetalhosts) that did not decode and
  // were left out; the objects themselves are kept.
  void inventory_fields_skipped(std::string_view resource, std::size_t count);

  // serving.resolveDNS: one DNS lookup answered (type "A/AAAA" | "PTR"; result "found" |
  // "not_found" | "transient") and how long it took; one lookup answered from the cache.
  void dns_lookup(std::string_view type, std::string_view result, double seconds);
  void dns_cache_hit();

  // The Prometheus text exposition of everything above.
  std::string render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nca::metrics

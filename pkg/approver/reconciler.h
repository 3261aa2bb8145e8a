// Reconciler: one CSR key in, at most one decision out. Level-triggered and idempotent:
// it reads the CSR from the cache, skips what is decided, issued or not ours, decides
// with approver::decide (the one decision function `explain` uses too) against the cache,
// the current inventory and config, and writes Approved/Denied through the DecisionWriter
// (one conditional request, from the cached copy) — only while this replica leads. When
// that write meets a newer version (409), it reads the CSR once from the API server and
// decides again on it; a second conflict is retried later with backoff. Every evaluation by the
// leader is visible: an Event, a log line and a metric, recorded once per (CSR, reason) so
// re-evaluations of a pending CSR do not spam. Followers record nothing and mark nothing
// as reported, so the replica that becomes leader reports every pending CSR's reason.
// The per-CSR bookkeeping is dropped when the CSR is deleted, decided (by anyone), issued
// or not ours: reconcile() of such a key forgets it, so handlers enqueue those keys too.
//
// Thread-safe: several workers may call reconcile() for different keys at once (the work
// queue never hands the same key to two workers).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "approver/outcome_memo.h"
#include "approver/reported_reasons.h"
#include "approver/seams.h"
#include "base/clock.h"
#include "metrics/metrics.h"
#include "policy/decision.h"
#include "policy/live_certificate.h"
#include "policy/resolver.h"

namespace nca::approver {

// The condition reason written on approved CSRs (the policy's reason goes to the message,
// the Event and the metric).
inline constexpr std::string_view kApprovedConditionReason = "NodeCSRApproverApproved";

struct ReconcilerDeps {
  std::shared_ptr<CsrSource> csrs;
  std::shared_ptr<StateSource> state;
  std::shared_ptr<DecisionWriter> writer;
  std::shared_ptr<EventRecorder> events;
  std::shared_ptr<metrics::Metrics> metrics;  // may be null
  std::shared_ptr<Clock> clock;
  std::function<bool()> is_leader;  // null = always
  // Evidence sources (null when not configured). They answer without blocking; the
  // controller re-queues a CSR whose evidence was pending once it arrives.
  const policy::Resolver* resolver = nullptr;
  const policy::LiveCertificateSource* live_certificates = nullptr;
};

struct ReconcileResult {
  Status status;                             // non-OK: requeue with backoff
  std::optional<policy::Decision> decision;  // absent when the key was skipped early
  bool wrote = false;                        // a decision was written to the API
};

class Reconciler {
 public:
  explicit Reconciler(ReconcilerDeps deps);

  ReconcileResult reconcile(const std::string& key);

  // Decides (approver::decide over the cache) without writing or recording anything.
  std::optional<policy::Decision> evaluate(const std::string& key) const;

  // CSRs whose last reported reason is remembered (bounded by the pending CSRs).
  std::size_t tracked_csrs() const { return reported_.size(); }

 private:
  policy::Decision decide(const kube::CertificateSigningRequest& csr,
                          const OutcomeMemo::Inventory& snapshot,
                          const OutcomeMemo::Config& config) const;
  Status write(const kube::CertificateSigningRequest& csr, const policy::Decision& d);
  // What a written decision and a pending one leave behind: Event, log line, metrics.
  void report_written(const kube::CertificateSigningRequest& csr, const policy::Decision& d);
  void report_pending(const kube::CertificateSigningRequest& csr, const policy::Decision& d);

  ReconcilerDeps deps_;
  ReportedReasons reported_;
  mutable OutcomeMemo siblings_;  // the cross-CSR rules' siblings, evaluated once
};

}  // namespace nca::approver

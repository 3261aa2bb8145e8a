#include "approver/reconciler.h"

#include <algorithm>

#include "approver/csr_index.h"
#include "approver/decide.h"
#include "base/log.h"
#include "policy/evaluate.h"
#include "policy/reasons.h"
#include "x509/csr_parser.h"

namespace nca::approver {
namespace {

double seconds_between(WallTime from, WallTime to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

Reconciler::Reconciler(ReconcilerDeps deps) : deps_(std::move(deps)) {}

policy::Decision Reconciler::decide(const kube::CertificateSigningRequest& csr,
                                    const OutcomeMemo::Inventory& snapshot,
                                    const OutcomeMemo::Config& config) const {
  const SiblingOutcomes siblings{&siblings_, snapshot, config};
  return approver::decide({.csr = csr,
                           .csrs = *deps_.csrs,
                           .inventory = *snapshot,
                           .config = *config,
                           .now = deps_.clock->wall_now(),
                           .resolver = deps_.resolver,
                           .live_certificates = deps_.live_certificates,
                           .siblings = &siblings});
}

std::optional<policy::Decision> Reconciler::evaluate(const std::string& key) const {
  CsrPtr csr = deps_.csrs->get(key);
  if (!csr) return std::nullopt;
  auto snapshot = deps_.state->inventory();
  auto config = deps_.state->config();
  return decide(*csr, snapshot, config);
}

namespace {
bool writes_decision(const policy::Decision& d) {
  return (d.outcome == policy::Outcome::kApprove || d.outcome == policy::Outcome::kDeny) &&
         !d.dry_run;
}
bool ours_to_decide(const kube::CertificateSigningRequest& csr) {
  return is_kubelet_signer(csr) && csr.is_pending() && !csr.has_certificate;
}
}  // namespace

ReconcileResult Reconciler::reconcile(const std::string& key) {
  const MonoTime started = deps_.clock->now();
  ReconcileResult result;
  CsrPtr csr = deps_.csrs->get(key);
  // Deleted, not ours, decided or issued: nothing to do, nothing to remember.
  if (!csr || !ours_to_decide(*csr)) {
    reported_.forget(key);
    return result;
  }
  const bool leader = !deps_.is_leader || deps_.is_leader();
  auto snapshot = deps_.state->inventory();
  auto config = deps_.state->config();
  policy::Decision d = decide(*csr, snapshot, config);
  result.decision = d;
  // Followers only keep their caches warm: they write nothing, report nothing and mark
  // nothing as reported (the next leader reports it).
  if (d.outcome == policy::Outcome::kIgnore || !leader) return result;

  if (writes_decision(d)) {
    Status st = write(*csr, d);
    if (st.code() == Code::kConflict) {
      // The CSR changed after the version the cache holds (the cache is behind, or someone
      // else wrote): read it once and decide again on what the server has.
      auto fresh = deps_.writer->reread(key);
      if (!fresh && fresh.status().code() == Code::kNotFound) return result;
      if (!fresh) {
        result.status = fresh.status();
        return result;
      }
      if ((*fresh)->metadata.uid != csr->metadata.uid) {
        return result;  // replaced by a new object: the informer delivers it, and queues it
      }
      if (!ours_to_decide(**fresh)) {
        // Decided by someone else (another replica's earlier write, an admin): not ours to
        // count or report, and nothing to retry.
        log::info("CSR decided meanwhile by someone else", {{"csr", key}});
        reported_.forget(key);
        return result;
      }
      csr = std::move(fresh).value();
      d = decide(*csr, snapshot, config);
      result.decision = d;
      if (d.outcome == policy::Outcome::kIgnore) return result;
      st = writes_decision(d) ? write(*csr, d) : Status::ok();
    }
    if (writes_decision(d)) {
      if (st.code() == Code::kNotFound) return result;  // deleted meanwhile
      if (!st.is_ok()) {
        log::warn("writing CSR decision failed",
                  {{"csr", key}, {"reason", d.reason}, {"error", st.to_string()}});
        result.status = st;
        return result;
      }
      result.wrote = true;
      reported_.forget(key);
      report_written(*csr, d);
    } else {
      report_pending(*csr, d);
    }
  } else {
    report_pending(*csr, d);
  }
  if (deps_.metrics) {
    deps_.metrics->observe_reconcile(
        std::chrono::duration<double>(deps_.clock->now() - started).count());
  }
  return result;
}

Status Reconciler::write(const kube::CertificateSigningRequest& csr, const policy::Decision& d) {
  const bool approve = d.outcome == policy::Outcome::kApprove;
  const std::string condition_reason = approve ? std::string(kApprovedConditionReason) : d.reason;
  return deps_.writer->write(csr, approve, condition_reason, d.message);
}

void Reconciler::report_written(const kube::CertificateSigningRequest& csr,
                                const policy::Decision& d) {
  const bool approve = d.outcome == policy::Outcome::kApprove;
  if (approve && deps_.metrics && csr.metadata.creation_timestamp) {
    deps_.metrics->observe_approval_latency(
        std::max(0.0, seconds_between(*csr.metadata.creation_timestamp, deps_.clock->wall_now())));
  }
  deps_.events->record(csr, approve ? "Normal" : "Warning", approve ? "Approved" : "Denied",
                       d.reason + ": " + d.message);
  log::info(approve ? "approved CSR" : "denied CSR",
            {{"csr", csr.metadata.name},
             {"kind", std::string(policy::kind_name(d.kind))},
             {"node", d.node_name},
             {"reason", d.reason}});
  if (deps_.metrics) {
    deps_.metrics->decision(csr.signer_name, std::string(policy::kind_name(d.kind)),
                            std::string(policy::outcome_name(d.outcome)), d.reason);
  }
}

// Pending (or dry-run): say why once per reason, not on every re-evaluation.
void Reconciler::report_pending(const kube::CertificateSigningRequest& csr,
                                const policy::Decision& d) {
  const std::string& key = csr.metadata.name;
  // Waiting for a DNS answer or a kubelet's certificate takes milliseconds and re-queues
  // the CSR when it ends: not worth an Event, and not a decision to count.
  if (d.reason == policy::reason::kDnsLookupPending ||
      d.reason == policy::reason::kLiveCertificatePending) {
    return;
  }
  if (!reported_.mark(key, csr.metadata.uid, (d.dry_run ? "dry-run:" : "") + d.reason)) return;
  const std::string kind(policy::kind_name(d.kind));
  const std::string outcome(policy::outcome_name(d.outcome));
  const std::string event_reason = d.dry_run ? "DryRun" : "Pending";
  const std::string message = d.dry_run ? "would " + outcome + ": " + d.reason + ": " + d.message
                                        : d.reason + ": " + d.message;
  deps_.events->record(csr, d.dry_run ? "Normal" : "Warning", event_reason, message);
  log::info(d.dry_run ? "dry-run decision" : "CSR left pending", {{"csr", key},
                                                                  {"kind", kind},
                                                                  {"node", d.node_name},
                                                                  {"reason", d.reason},
                                                                  {"outcome", outcome}});
  if (deps_.metrics) {
    deps_.metrics->decision(csr.signer_name, kind, d.dry_run ? "dryrun_" + outcome : outcome,
                            d.reason);
  }
}

}  // namespace nca::approver

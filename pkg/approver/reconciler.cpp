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
                                    const inventory::Snapshot& snapshot,
                                    const policy::PolicyConfig& config) const {
  return approver::decide({.csr = csr,
                           .csrs = *deps_.csrs,
                           .inventory = snapshot,
                           .config = config,
                           .now = deps_.clock->wall_now(),
                           .resolver = deps_.resolver});
}

std::optional<policy::Decision> Reconciler::evaluate(const std::string& key) const {
  CsrPtr csr = deps_.csrs->get(key);
  if (!csr) return std::nullopt;
  auto snapshot = deps_.state->inventory();
  auto config = deps_.state->config();
  return decide(*csr, *snapshot, *config);
}

ReconcileResult Reconciler::reconcile(const std::string& key) {
  const MonoTime started = deps_.clock->now();
  ReconcileResult result;
  CsrPtr csr = deps_.csrs->get(key);
  // Deleted, not ours, decided or issued: nothing to do, nothing to remember.
  if (!csr || !is_kubelet_signer(*csr) || !csr->is_pending() || csr->has_certificate) {
    reported_.forget(key);
    return result;
  }

  auto snapshot = deps_.state->inventory();
  auto config = deps_.state->config();
  policy::Decision d = decide(*csr, *snapshot, *config);

  result.decision = d;
  if (d.outcome == policy::Outcome::kIgnore) return result;

  const std::string signer = csr->signer_name;
  const std::string kind(policy::kind_name(d.kind));
  const std::string outcome(policy::outcome_name(d.outcome));
  const bool leader = !deps_.is_leader || deps_.is_leader();
  const bool writes =
      (d.outcome == policy::Outcome::kApprove || d.outcome == policy::Outcome::kDeny) && !d.dry_run;

  // Followers only keep their caches warm: they write nothing, report nothing and mark
  // nothing as reported (the next leader reports it).
  if (!leader) return result;

  if (writes) {
    const bool approve = d.outcome == policy::Outcome::kApprove;
    const std::string condition_reason = approve ? std::string(kApprovedConditionReason) : d.reason;
    Status st = deps_.writer->write(*csr, approve, condition_reason, d.message);
    if (st.code() == Code::kNotFound) return result;  // deleted meanwhile
    if (st.code() == Code::kAlreadyExists) {
      // Decided by someone else (another replica's earlier write, an admin): not ours to
      // count or report, and nothing to retry.
      log::info("CSR decided meanwhile by someone else", {{"csr", key}, {"outcome", outcome}});
      reported_.forget(key);
      return result;
    }
    if (!st.is_ok()) {
      log::warn("writing CSR decision failed",
                {{"csr", key}, {"outcome", outcome}, {"error", st.to_string()}});
      result.status = st;
      return result;
    }
    result.wrote = true;
    reported_.forget(key);
    const WallTime now = deps_.clock->wall_now();
    if (approve && deps_.metrics && csr->metadata.creation_timestamp) {
      deps_.metrics->observe_approval_latency(
          std::max(0.0, seconds_between(*csr->metadata.creation_timestamp, now)));
    }
    deps_.events->record(*csr, approve ? "Normal" : "Warning", approve ? "Approved" : "Denied",
                         d.reason + ": " + d.message);
    log::info(approve ? "approved CSR" : "denied CSR",
              {{"csr", key}, {"kind", kind}, {"node", d.node_name}, {"reason", d.reason}});
    if (deps_.metrics) deps_.metrics->decision(signer, kind, outcome, d.reason);
  } else if (reported_.mark(key, csr->metadata.uid, (d.dry_run ? "dry-run:" : "") + d.reason)) {
    // Pending (or dry-run): say why once per reason, not on every re-evaluation.
    const std::string event_reason = d.dry_run ? "DryRun" : "Pending";
    const std::string message = d.dry_run ? "would " + outcome + ": " + d.reason + ": " + d.message
                                          : d.reason + ": " + d.message;
    deps_.events->record(*csr, d.dry_run ? "Normal" : "Warning", event_reason, message);
    log::info(d.dry_run ? "dry-run decision" : "CSR left pending", {{"csr", key},
                                                                    {"kind", kind},
                                                                    {"node", d.node_name},
                                                                    {"reason", d.reason},
                                                                    {"outcome", outcome}});
    if (deps_.metrics) {
      deps_.metrics->decision(signer, kind, d.dry_run ? "dryrun_" + outcome : outcome, d.reason);
    }
  }
  if (deps_.metrics) {
    deps_.metrics->observe_reconcile(
        std::chrono::duration<double>(deps_.clock->now() - started).count());
  }
  return result;
}

}  // namespace nca::approver

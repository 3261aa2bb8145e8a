// decide(): policy::evaluate, then the cross-CSR rules (see decide.h).
#include "approver/decide.h"

#include <algorithm>
#include <cstdlib>

#include "approver/csr_index.h"
#include "policy/evaluate.h"
#include "policy/reasons.h"

namespace nca::approver {
namespace {

// Newer first: creation time, then name for a stable order. A CSR without a creation time
// counts as the oldest.
bool newer(const kube::CertificateSigningRequest& a, const kube::CertificateSigningRequest& b) {
  const WallTime ta = a.metadata.creation_timestamp.value_or(WallTime{});
  const WallTime tb = b.metadata.creation_timestamp.value_or(WallTime{});
  if (ta != tb) return ta > tb;
  return a.metadata.name > b.metadata.name;
}

// The per-CSR policy alone, with the flood guard's count from `csrs`.
policy::Decision evaluate_one(const kube::CertificateSigningRequest& csr, const DecideInput& in) {
  const ParsedPtr parsed = in.csrs.parsed(csr);
  const policy::EvaluationInput input{
      .csr = csr,
      .parsed = *parsed,
      .inventory = in.inventory,
      .now = in.now,
      .pending_bootstrap_csrs = pending_bootstrap_count(csr, in.csrs),
      .resolver = in.resolver,
      .live_certificates = in.live_certificates,
  };
  return policy::evaluate(input, in.config);
}

// The per-CSR policy's outcome for a sibling of the CSR being decided: through the
// caller's memo when it gave one.
policy::Outcome sibling_outcome(const kube::CertificateSigningRequest& other,
                                const DecideInput& in) {
  const SiblingOutcomes* s = in.siblings;
  if (s == nullptr || s->memo == nullptr) return evaluate_one(other, in).outcome;
  const std::int64_t pending = pending_bootstrap_count(other, in.csrs);
  if (auto hit = s->memo->get(s->inventory, s->config, other, pending, in.now)) return *hit;
  const policy::Outcome outcome = evaluate_one(other, in).outcome;
  s->memo->put(s->inventory, s->config, other, pending, in.now, outcome);
  return outcome;
}

// Turns an approvable decision into the failure `code` of a cross-CSR rule.
void fail(policy::Decision& d, std::string_view check, std::string_view code, std::string message,
          const policy::PolicyConfig& config) {
  d.reason = std::string(code);
  d.outcome = policy::failure_outcome(code, config);
  d.message = std::move(message);
  d.checks.push_back({std::string(check), false, d.reason + ": " + d.message});
}

// Newest serving CSR of a node wins.
void newest_of_node(const kube::CertificateSigningRequest& csr, const DecideInput& in,
                    policy::Decision& d) {
  const std::string node = requester_node(csr);
  std::vector<CsrPtr> newer_ones;
  for (const CsrPtr& other : in.csrs.by_requester_node(node)) {
    if (!same_csr(*other, csr) && other->signer_name == csr.signer_name && newer(*other, csr) &&
        !other->is_denied() && !other->is_failed()) {
      newer_ones.push_back(other);
    }
  }
  std::sort(newer_ones.begin(), newer_ones.end(),
            [](const CsrPtr& a, const CsrPtr& b) { return newer(*a, *b); });
  for (const CsrPtr& other : newer_ones) {
    if (is_granted(*other)) {
      fail(d, policy::kNewestOfNodeCheck, policy::reason::kSupersededByNewerCSR,
           "a newer serving CSR of node " + node + " (" + other->metadata.name +
               ") is already approved; only the newest is approved",
           in.config);
      return;
    }
    if (sibling_outcome(*other, in) == policy::Outcome::kApprove) {
      fail(d, policy::kNewestOfNodeCheck, policy::reason::kSupersededByNewerCSR,
           "a newer valid serving CSR of node " + node + " (" + other->metadata.name +
               ") is pending; only the newest is approved",
           in.config);
      return;
    }
  }
  d.checks.push_back({std::string(policy::kNewestOfNodeCheck), true,
                      "no newer approved or approvable serving CSR"});
}

// One client certificate per node name per bootstrap window.
void one_client_certificate(const kube::CertificateSigningRequest& csr, const DecideInput& in,
                            policy::Decision& d) {
  const std::string& node = d.node_name;
  const auto window = in.config.bootstrap.creation_window;
  auto within_window = [&](const kube::CertificateSigningRequest& other) {
    // Without both times the window cannot be judged: count it (fail closed).
    if (!other.metadata.creation_timestamp || !csr.metadata.creation_timestamp) return true;
    const auto gap = *other.metadata.creation_timestamp - *csr.metadata.creation_timestamp;
    return gap <= window && -gap <= window;
  };
  std::vector<CsrPtr> older_pending;
  for (const CsrPtr& other : in.csrs.client_csrs_for_node(node)) {
    if (same_csr(*other, csr) || other->signer_name != policy::kClientSigner) continue;
    const bool granted = is_granted(*other);
    const bool candidate = is_pending_bootstrap(*other) && newer(csr, *other);
    if (!granted && !candidate) continue;
    if (subject_node(*in.csrs.parsed(*other)) != node) continue;
    if (granted) {
      if (!within_window(*other)) continue;
      fail(d, policy::kOneClientCertCheck, policy::reason::kClientCertificateAlreadyIssued,
           "a client certificate for node " + node + " was already approved (CSR " +
               other->metadata.name + ") within bootstrap.creationWindow; one per node",
           in.config);
      return;
    }
    older_pending.push_back(other);
  }
  std::sort(older_pending.begin(), older_pending.end(),
            [](const CsrPtr& a, const CsrPtr& b) { return newer(*b, *a); });
  for (const CsrPtr& other : older_pending) {
    if (sibling_outcome(*other, in) == policy::Outcome::kApprove) {
      fail(d, policy::kOneClientCertCheck, policy::reason::kDuplicateClientCSRPending,
           "an older valid bootstrap CSR for node " + node + " (" + other->metadata.name +
               ") is pending; only the oldest is approved",
           in.config);
      return;
    }
  }
  d.checks.push_back({std::string(policy::kOneClientCertCheck), true,
                      "no other client certificate for node " + node + " in the window"});
}

}  // namespace

bool is_granted(const kube::CertificateSigningRequest& csr) {
  if (csr.is_denied() || csr.is_failed()) return false;
  return csr.is_approved() || csr.has_certificate;
}

std::int64_t pending_bootstrap_count(const kube::CertificateSigningRequest& csr,
                                     const CsrSource& csrs) {
  if (!is_pending_bootstrap(csr)) return 0;
  const std::int64_t pending = csrs.pending_bootstrap();
  return csrs.holds_pending_bootstrap(csr) ? pending : pending + 1;
}

policy::Decision decide(const DecideInput& in) {
  policy::Decision d = evaluate_one(in.csr, in);
  if (const SiblingOutcomes* s = in.siblings; s != nullptr && s->memo != nullptr) {
    // For its siblings' decisions, which ask for this CSR's outcome in turn.
    s->memo->put(s->inventory, s->config, in.csr, pending_bootstrap_count(in.csr, in.csrs), in.now,
                 d.outcome);
  }
  if (d.outcome != policy::Outcome::kApprove) return d;
  if (d.kind == policy::CsrKind::kServing) {
    newest_of_node(in.csr, in, d);
  } else if (d.kind == policy::CsrKind::kClientBootstrap) {
    one_client_certificate(in.csr, in, d);
  }
  return d;
}

}  // namespace nca::approver

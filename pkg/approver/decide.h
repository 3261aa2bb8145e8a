// decide: THE decision for one CSR, for the daemon's reconciler and for `explain`
// (offline and live) alike, so that explain prints what the daemon does by construction.
// It is policy::evaluate (the per-CSR rules) fed with what only the set of all CSRs knows,
// plus the cross-CSR rules:
//   - the flood guard's input: the number of pending client-bootstrap CSRs;
//   - newest serving CSR of a node wins: an approvable serving CSR is not approved when the
//     same node has a newer serving CSR that is approved or issued, or pending and
//     approvable (SupersededByNewerCSR);
//   - one client certificate per node per bootstrap window: an approvable bootstrap CSR is
//     not approved when another client CSR for the same node name (subject CN) was
//     approved or issued within bootstrap.creationWindow of it
//     (ClientCertificateAlreadyIssued), or when an older pending bootstrap CSR for that name
//     is approvable (DuplicateClientCSRPending: only the oldest is approved, which also
//     closes the race of two workers approving two CSRs before the cache shows either).
// Pure apart from the injected Resolver and LiveCertificateSource (which never block); reads `csrs`
// only through const calls. Thread-safe when `csrs` is.
#pragma once

#include "approver/outcome_memo.h"
#include "approver/seams.h"
#include "base/clock.h"
#include "inventory/machine.h"
#include "kube/objects.h"
#include "policy/config.h"
#include "policy/decision.h"
#include "policy/live_certificate.h"
#include "policy/resolver.h"

namespace nca::approver {

struct DecideInput {
  const kube::CertificateSigningRequest& csr;
  // Every CSR known (the informer cache, or the cluster's list for explain); `csr` itself
  // may or may not be among them.
  const CsrSource& csrs;
  const inventory::Snapshot& inventory;
  const policy::PolicyConfig& config;
  WallTime now;
  const policy::Resolver* resolver = nullptr;  // needed only with serving.resolveDNS
  // Needed only with serving.renewalFromLiveCertificate.
  const policy::LiveCertificateSource* live_certificates = nullptr;
  // Optional: siblings' outcomes reused across decisions (the daemon's reconciler). Its
  // inventory and config must be the objects `inventory` and `config` refer to.
  const SiblingOutcomes* siblings = nullptr;
};

policy::Decision decide(const DecideInput& input);

// Pending client-bootstrap CSRs in `csrs`, counting `csr` once when it is one and is not
// among them: the flood guard's input. 0 when `csr` is not a pending bootstrap CSR (the
// guard applies only to those).
std::int64_t pending_bootstrap_count(const kube::CertificateSigningRequest& csr,
                                     const CsrSource& csrs);

// Approved (and not denied or failed) or issued.
bool is_granted(const kube::CertificateSigningRequest& csr);

}  // namespace nca::approver

// evaluate: the approval policy. (CSR, parsed request, inventory snapshot, config, now)
// → Decision. Pure: no I/O (other than through the optional injected Resolver and
// LiveCertificateSource, which never block), no clock
// reads, no globals; the same input always gives the same Decision. Thread-safe.
//
// The request is parsed outside (x509::parse_csr_pem) so that this library stays free of
// OpenSSL; pass the parse result as is, errors included: a parse error is a policy failure
// with its own reason code, never a crash and never an approval.
#pragma once

#include <cstdint>

#include "base/clock.h"
#include "base/status.h"
#include "inventory/machine.h"
#include "kube/objects.h"
#include "policy/config.h"
#include "policy/decision.h"
#include "policy/live_certificate.h"
#include "policy/resolver.h"
#include "x509/parsed_csr.h"

namespace nca::policy {

struct EvaluationInput {
  const kube::CertificateSigningRequest& csr;
  // x509::parse_csr_pem(csr.request_pem); not read for CSRs that are ignored.
  const Result<x509::ParsedCsr>& parsed;
  const inventory::Snapshot& inventory;
  WallTime now;
  // Pending client-bootstrap CSRs currently known (this one included when it is pending):
  // input to the flood guard.
  std::int64_t pending_bootstrap_csrs = 0;
  // Needed only when config.serving.resolve_dns; may be null otherwise.
  const Resolver* resolver = nullptr;
  // Needed only when config.serving.renewalFromLiveCertificate.enabled; may be null.
  const LiveCertificateSource* live_certificates = nullptr;
};

Decision evaluate(const EvaluationInput& input, const PolicyConfig& config);

// What a failed check with reason `code` does under `config`: pending or deny (transient
// reasons are always pending; overrides in failureActions win over failureAction; waiting
// reasons are pending unless overridden). For the cross-CSR rules (approver::decide).
Outcome failure_outcome(std::string_view code, const PolicyConfig& config);

// The checks of the cross-CSR rules that approver::decide adds after evaluate() (listed by
// all_check_names too, so that docs/policy.md documents them).
inline constexpr std::string_view kNewestOfNodeCheck = "serving.newest-of-node";
inline constexpr std::string_view kOneClientCertCheck = "bootstrap.one-certificate-per-node";

// The signer names this policy handles.
inline constexpr std::string_view kServingSigner = "kubernetes.io/kubelet-serving";
inline constexpr std::string_view kClientSigner = "kubernetes.io/kube-apiserver-client-kubelet";

}  // namespace nca::policy

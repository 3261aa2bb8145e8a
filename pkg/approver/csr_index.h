// Helpers that classify CSRs without parsing them: which node a CSR's requester is, and
// whether a CSR is a pending one of ours. Used for cache indexes, counts and requeues.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "kube/objects.h"
#include "x509/parsed_csr.h"

namespace nca::approver {

inline constexpr std::string_view kNodeUserPrefix = "system:node:";

// NAME when spec.username is "system:node:NAME" (non-empty NAME), else "".
std::string requester_node(const kube::CertificateSigningRequest& csr);

bool is_kubelet_signer(const kube::CertificateSigningRequest& csr);

// Pending, one of the kubelet signers, and not from a node identity: a client-bootstrap
// candidate (what the flood guard counts).
bool is_pending_bootstrap(const kube::CertificateSigningRequest& csr);

// The same object: the same uid, or the same name when either has no uid.
bool same_csr(const kube::CertificateSigningRequest& a, const kube::CertificateSigningRequest& b);

// NAME of a subject CN "system:node:NAME" when the parsed request has exactly one CN, else "".
std::string subject_node(const Result<x509::ParsedCsr>& parsed);

// Index function for the CSR cache: {requester_node(csr)} or {}.
std::vector<std::string> requester_node_index(const kube::CertificateSigningRequest& csr);

}  // namespace nca::approver

#include "approver/csr_index.h"

#include "policy/evaluate.h"

namespace nca::approver {

std::string requester_node(const kube::CertificateSigningRequest& csr) {
  if (csr.username.size() <= kNodeUserPrefix.size() ||
      csr.username.compare(0, kNodeUserPrefix.size(), kNodeUserPrefix) != 0) {
    return "";
  }
  return csr.username.substr(kNodeUserPrefix.size());
}

bool is_kubelet_signer(const kube::CertificateSigningRequest& csr) {
  return csr.signer_name == policy::kServingSigner || csr.signer_name == policy::kClientSigner;
}

bool is_pending_bootstrap(const kube::CertificateSigningRequest& csr) {
  return csr.signer_name == policy::kClientSigner && csr.is_pending() &&
         requester_node(csr).empty();
}

bool same_csr(const kube::CertificateSigningRequest& a, const kube::CertificateSigningRequest& b) {
  return a.metadata.uid.empty() || b.metadata.uid.empty() ? a.metadata.name == b.metadata.name
                                                          : a.metadata.uid == b.metadata.uid;
}

std::string subject_node(const Result<x509::ParsedCsr>& parsed) {
  if (!parsed || parsed->common_names.size() != 1) return "";
  const std::string& cn = parsed->common_names[0];
  if (cn.size() <= kNodeUserPrefix.size() || !cn.starts_with(kNodeUserPrefix)) return "";
  return cn.substr(kNodeUserPrefix.size());
}

std::vector<std::string> requester_node_index(const kube::CertificateSigningRequest& csr) {
  std::string node = requester_node(csr);
  if (node.empty()) return {};
  return {std::move(node)};
}

}  // namespace nca::approver

#include "approver/parse_memo.h"

#include "x509/csr_parser.h"

namespace nca::approver {

ParsedPtr parse_request(const kube::CertificateSigningRequest& csr) {
  return std::make_shared<const Result<x509::ParsedCsr>>(x509::parse_csr_pem(csr.request_pem));
}

ParsedPtr ParseMemo::get(const kube::CertificateSigningRequest& csr) {
  const std::string& uid = csr.metadata.uid;
  if (uid.empty()) return parse_request(csr);  // nothing to key on
  {
    std::lock_guard lock(mu_);
    if (auto it = by_uid_.find(uid); it != by_uid_.end()) return it->second;
  }
  ParsedPtr parsed = parse_request(csr);
  // No request: a cache that dropped it for a CSR it never parsed (decided, or another
  // signer's); its error is answered, never remembered.
  if (csr.request_pem.empty()) return parsed;
  std::lock_guard lock(mu_);
  return by_uid_.try_emplace(uid, std::move(parsed)).first->second;
}

void ParseMemo::forget(const std::string& uid) {
  std::lock_guard lock(mu_);
  by_uid_.erase(uid);
}

std::size_t ParseMemo::size() const {
  std::lock_guard lock(mu_);
  return by_uid_.size();
}

}  // namespace nca::approver

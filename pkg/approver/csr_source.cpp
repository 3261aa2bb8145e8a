// CsrSource's plain defaults: parse every time, scan list().
#include "approver/csr_index.h"
#include "approver/seams.h"
#include "policy/evaluate.h"

namespace nca::approver {

ParsedPtr CsrSource::parsed(const kube::CertificateSigningRequest& csr) const {
  return parse_request(csr);
}

std::int64_t CsrSource::pending_bootstrap() const {
  std::int64_t n = 0;
  for (const CsrPtr& c : list()) n += is_pending_bootstrap(*c);
  return n;
}

bool CsrSource::holds_pending_bootstrap(const kube::CertificateSigningRequest& csr) const {
  for (const CsrPtr& c : list()) {
    if (is_pending_bootstrap(*c) && same_csr(*c, csr)) return true;
  }
  return false;
}

std::vector<CsrPtr> CsrSource::client_csrs_for_node(const std::string& /*node*/) const {
  std::vector<CsrPtr> out;
  for (const CsrPtr& c : list()) {
    if (c->signer_name == policy::kClientSigner) out.push_back(c);
  }
  return out;
}

}  // namespace nca::approver

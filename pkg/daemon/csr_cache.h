// CsrCache: the CSR informer and the approver's read-only view of it (CsrSource), with the
// "claimed-node" index: the node a CSR is for — system:node:NAME of the requester, or, for
// a bootstrap CSR, NAME from its subject CN — so a Node or machine change re-queues exactly
// the CSRs that may now pass. Thread-safe.
#pragma once

#include <memory>

#include "approver/seams.h"
#include "cache/informer.h"
#include "kube/client.h"
#include "kube/objects.h"

namespace nca::daemon {

inline constexpr std::string_view kClaimedNodeIndex = "claimed-node";

// The node name a CSR is for, or "" (parses the request only for non-node requesters).
std::string claimed_node(const kube::CertificateSigningRequest& csr);

class CsrCache final : public approver::CsrSource {
 public:
  CsrCache(std::shared_ptr<kube::RestClient> client, std::shared_ptr<Clock> clock);

  cache::Informer<kube::CertificateSigningRequest>& informer() { return *informer_; }

  approver::CsrPtr get(const std::string& name) const override;
  std::vector<approver::CsrPtr> by_requester_node(const std::string& node) const override;
  std::vector<approver::CsrPtr> list() const override;
  std::vector<approver::CsrPtr> by_claimed_node(const std::string& node) const;

 private:
  std::unique_ptr<cache::Informer<kube::CertificateSigningRequest>> informer_;
};

}  // namespace nca::daemon

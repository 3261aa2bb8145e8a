// CsrCache: the CSR informer and the approver's read-only view of it (CsrSource), kept so
// that no decision scans every CSR or parses a request twice:
//  - a parse memo by uid (each request parsed and its signature verified once): pending
//    kubelet CSRs and client CSRs are parsed when they arrive, on the informer's thread,
//    so that the index below never parses under the store's lock; the cached CSRs then
//    hold no request PEM (spec.request is immutable, the parse is all that is read);
//  - the "claimed-node" index: the nodes a CSR may be for — system:node:NAME of the
//    requester and, for client CSRs, NAME from the subject CN — so a Node or machine change
//    re-queues exactly the CSRs that may now pass, and the one-client-certificate rule finds
//    a node's client CSRs without a scan;
//  - the pending client-bootstrap CSRs and the pending CSRs per signer (with their creation
//    times), maintained by the informer's handlers, for the flood guard and the gauges.
// Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include "approver/parse_memo.h"
#include "approver/seams.h"
#include "cache/informer.h"
#include "kube/client.h"
#include "kube/objects.h"

namespace nca::daemon {

inline constexpr std::string_view kClaimedNodeIndex = "claimed-node";

// The nodes `csr` may be for: the requester's NAME of system:node:NAME and, for client
// CSRs, NAME of a subject CN system:node:NAME (parsed through `memo`).
std::vector<std::string> claimed_nodes(const kube::CertificateSigningRequest& csr,
                                       approver::ParseMemo& memo);

// Pending CSRs of one signer: how many and the oldest creation time.
struct PendingSummary {
  std::int64_t count = 0;
  std::optional<WallTime> oldest;
};

class CsrCache final : public approver::CsrSource {
 public:
  CsrCache(std::shared_ptr<kube::RestClient> client, std::shared_ptr<Clock> clock);
  // Over any ListWatcher (tests).
  CsrCache(std::shared_ptr<kube::ListWatcher> list_watcher, cache::ReflectorOptions options);

  cache::Informer<kube::CertificateSigningRequest>& informer() { return *informer_; }

  approver::CsrPtr get(const std::string& name) const override;
  std::vector<approver::CsrPtr> by_requester_node(const std::string& node) const override;
  std::vector<approver::CsrPtr> list() const override;
  approver::ParsedPtr parsed(const kube::CertificateSigningRequest& csr) const override;
  std::int64_t pending_bootstrap() const override;
  bool holds_pending_bootstrap(const kube::CertificateSigningRequest& csr) const override;
  std::vector<approver::CsrPtr> client_csrs_for_node(const std::string& node) const override;

  std::vector<approver::CsrPtr> by_claimed_node(const std::string& node) const;
  // Pending CSRs of the kubelet signers, by signer.
  std::map<std::string, PendingSummary> pending_by_signer() const;
  std::size_t parsed_requests() const { return memo_.size(); }

 private:
  void track(const kube::CertificateSigningRequest* old_csr,
             const kube::CertificateSigningRequest* csr);

  mutable approver::ParseMemo memo_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> pending_bootstrap_;  // name → uid
  struct Pending {
    std::string signer;
    std::optional<WallTime> created;
  };
  std::map<std::string, Pending> pending_;  // pending kubelet-signer CSRs by name
  // The same CSRs by signer, kept with pending_ so that the gauges (once a second) read a
  // summary instead of walking every pending CSR.
  struct BySigner {
    std::int64_t count = 0;
    std::multiset<WallTime> created;  // of those with a creation time
  };
  std::map<std::string, BySigner, std::less<>> by_signer_;
  // Last: its thread (handlers) stops before the members above go.
  std::unique_ptr<cache::Informer<kube::CertificateSigningRequest>> informer_;
};

}  // namespace nca::daemon

// The reconciler's seams: what it reads (the CSR cache, the inventory, the config) and
// what it writes (decisions through /approval, Events). Production adapters wrap the
// informers and the REST client (pkg/app); tests use in-memory fakes. All implementations
// must be thread-safe: several workers call them at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "approver/parse_memo.h"
#include "base/status.h"
#include "inventory/machine.h"
#include "kube/objects.h"
#include "policy/config.h"

namespace nca::approver {

using CsrPtr = std::shared_ptr<const kube::CertificateSigningRequest>;

// Read-only view of the CSR cache. The last four have plain defaults (parse every time,
// scan list()); the daemon's cache overrides them with a parse memo and indexes kept by its
// informer handlers, so that no decision costs a scan of every CSR.
class CsrSource {
 public:
  virtual ~CsrSource() = default;
  virtual CsrPtr get(const std::string& name) const = 0;  // nullptr when absent
  // CSRs whose requester is system:node:NAME (index "requester-node").
  virtual std::vector<CsrPtr> by_requester_node(const std::string& node_name) const = 0;
  // All CSRs of the kubelet signers (for counts and resync).
  virtual std::vector<CsrPtr> list() const = 0;

  // The CSR's parsed request (any CSR, in the source or not).
  virtual ParsedPtr parsed(const kube::CertificateSigningRequest& csr) const;
  // How many pending client-bootstrap CSRs (is_pending_bootstrap) the source holds.
  virtual std::int64_t pending_bootstrap() const;
  // Whether `csr` is one of those (the same uid, or the same name when either has none).
  virtual bool holds_pending_bootstrap(const kube::CertificateSigningRequest& csr) const;
  // Client-signer CSRs whose subject CN may be system:node:NODE: at least all of them
  // (callers check the CN).
  virtual std::vector<CsrPtr> client_csrs_for_node(const std::string& node) const;
};

// Writes a decision with one request and no re-read: appends an Approved or Denied
// condition to the CSR exactly as `csr` (the cached copy) has it, conditional on its uid and
// resourceVersion. Conflict when the CSR changed since that version (nothing written: the
// caller re-reads and re-decides); NotFound when it is gone.
class DecisionWriter {
 public:
  virtual ~DecisionWriter() = default;
  virtual Status write(const kube::CertificateSigningRequest& csr, bool approve,
                       const std::string& reason, const std::string& message) = 0;
  // The CSR as the API server has it now (after a Conflict, when the cache may lag).
  // NotFound when it is gone.
  virtual Result<std::shared_ptr<const kube::CertificateSigningRequest>> reread(
      const std::string& name) = 0;
};

// Records a Kubernetes Event about a CSR. Best effort: failures are logged, not returned.
class EventRecorder {
 public:
  virtual ~EventRecorder() = default;
  virtual void record(const kube::CertificateSigningRequest& csr, std::string_view type,
                      std::string_view reason, std::string_view message) = 0;
};

// The inventory and config as of now; swapped atomically when they change.
class StateSource {
 public:
  virtual ~StateSource() = default;
  virtual std::shared_ptr<const inventory::Snapshot> inventory() const = 0;
  virtual std::shared_ptr<const policy::PolicyConfig> config() const = 0;
};

}  // namespace nca::approver

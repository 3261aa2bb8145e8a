#include "daemon/csr_cache.h"

#include "approver/csr_index.h"
#include "kube/decode.h"
#include "kube/rest_list_watcher.h"
#include "policy/evaluate.h"

namespace nca::daemon {
namespace {
constexpr std::string_view kRequesterIndex = "requester-node";

bool is_client(const kube::CertificateSigningRequest& csr) {
  return csr.signer_name == policy::kClientSigner;
}

// The cache needs a request only parsed: pending kubelet CSRs to decide them, client CSRs
// for their CN (the claimed-node index, the one-client-certificate rule). Those are parsed
// here, on the informer's thread and outside the store's lock; a decided serving CSR or
// another signer's is never parsed. Then the PEM goes: it was ~1.6 KB of each cached CSR.
void parse_then_drop_request(kube::CertificateSigningRequest& csr, approver::ParseMemo& memo) {
  if (csr.metadata.uid.empty()) return;  // no memo key: keep the request
  if (is_client(csr) || (csr.is_pending() && approver::is_kubelet_signer(csr))) {
    (void)memo.get(csr);
  }
  std::string().swap(csr.request_pem);  // frees it (clear() would keep the capacity)
}
}  // namespace

std::vector<std::string> claimed_nodes(const kube::CertificateSigningRequest& csr,
                                       approver::ParseMemo& memo) {
  std::vector<std::string> out;
  if (std::string node = approver::requester_node(csr); !node.empty()) out.push_back(node);
  if (is_client(csr)) {
    std::string node = approver::subject_node(*memo.get(csr));
    if (!node.empty() && (out.empty() || out[0] != node)) out.push_back(std::move(node));
  }
  return out;
}

namespace {
cache::ReflectorOptions csr_reflector_options(std::shared_ptr<Clock> clock) {
  cache::ReflectorOptions opts;
  opts.name = "certificatesigningrequests";
  opts.clock = std::move(clock);
  return opts;
}
}  // namespace

CsrCache::CsrCache(std::shared_ptr<kube::RestClient> client, std::shared_ptr<Clock> clock)
    : CsrCache(std::make_shared<kube::RestListWatcher>(std::move(client), kube::resources::csrs()),
               csr_reflector_options(std::move(clock))) {}

CsrCache::CsrCache(std::shared_ptr<kube::ListWatcher> list_watcher, cache::ReflectorOptions opts) {
  informer_ = std::make_unique<cache::Informer<kube::CertificateSigningRequest>>(
      std::move(list_watcher),
      [this](const nlohmann::json& j) {
        auto csr = kube::decode_csr(j);
        if (csr) parse_then_drop_request(*csr, memo_);
        return csr;
      },
      opts);
  (void)informer_->add_index(std::string(kRequesterIndex),
                             [](const auto& csr) { return approver::requester_node_index(csr); });
  (void)informer_->add_index(std::string(kClaimedNodeIndex),
                             [this](const kube::CertificateSigningRequest& csr) {
                               return claimed_nodes(csr, memo_);  // a memo hit: parsed above
                             });
  (void)informer_->add_event_handlers(
      {.on_add = [this](const approver::CsrPtr& csr) { track(nullptr, csr.get()); },
       .on_update = [this](const approver::CsrPtr& old_csr,
                           const approver::CsrPtr& csr) { track(old_csr.get(), csr.get()); },
       .on_delete =
           [this](const approver::CsrPtr& csr, bool) {
             track(csr.get(), nullptr);
             memo_.forget(csr->metadata.uid);
           }});
}

void CsrCache::track(const kube::CertificateSigningRequest* old_csr,
                     const kube::CertificateSigningRequest* csr) {
  std::lock_guard lock(mu_);
  // What a name counted before goes first (an add for a name already held replaces it).
  auto untrack = [this](const std::string& name) {
    pending_bootstrap_.erase(name);
    auto it = pending_.find(name);
    if (it == pending_.end()) return;
    auto s = by_signer_.find(it->second.signer);
    if (--s->second.count == 0) {
      by_signer_.erase(s);
    } else if (it->second.created) {
      s->second.created.erase(s->second.created.find(*it->second.created));
    }
    pending_.erase(it);
  };
  if (old_csr) untrack(old_csr->metadata.name);
  if (!csr) return;
  untrack(csr->metadata.name);
  if (approver::is_pending_bootstrap(*csr)) {
    pending_bootstrap_[csr->metadata.name] = csr->metadata.uid;
  }
  if (approver::is_kubelet_signer(*csr) && csr->is_pending()) {
    pending_[csr->metadata.name] = {csr->signer_name, csr->metadata.creation_timestamp};
    BySigner& s = by_signer_[csr->signer_name];
    ++s.count;
    if (csr->metadata.creation_timestamp) s.created.insert(*csr->metadata.creation_timestamp);
  }
}

approver::CsrPtr CsrCache::get(const std::string& name) const {
  return informer_->lister().get(name);
}

std::vector<approver::CsrPtr> CsrCache::by_requester_node(const std::string& node) const {
  auto r = informer_->lister().by_index(std::string(kRequesterIndex), node);
  return r ? std::move(r).value() : std::vector<approver::CsrPtr>{};
}

std::vector<approver::CsrPtr> CsrCache::by_claimed_node(const std::string& node) const {
  auto r = informer_->lister().by_index(std::string(kClaimedNodeIndex), node);
  return r ? std::move(r).value() : std::vector<approver::CsrPtr>{};
}

std::vector<approver::CsrPtr> CsrCache::client_csrs_for_node(const std::string& node) const {
  return by_claimed_node(node);  // every client CSR whose CN names `node` is indexed there
}

std::vector<approver::CsrPtr> CsrCache::list() const { return informer_->lister().list(); }

approver::ParsedPtr CsrCache::parsed(const kube::CertificateSigningRequest& csr) const {
  return memo_.get(csr);
}

std::int64_t CsrCache::pending_bootstrap() const {
  std::lock_guard lock(mu_);
  return static_cast<std::int64_t>(pending_bootstrap_.size());
}

bool CsrCache::holds_pending_bootstrap(const kube::CertificateSigningRequest& csr) const {
  std::lock_guard lock(mu_);
  auto it = pending_bootstrap_.find(csr.metadata.name);
  if (it == pending_bootstrap_.end()) return false;
  return it->second.empty() || csr.metadata.uid.empty() || it->second == csr.metadata.uid;
}

std::map<std::string, PendingSummary> CsrCache::pending_by_signer() const {
  std::lock_guard lock(mu_);
  std::map<std::string, PendingSummary> out;
  for (const auto& [signer, s] : by_signer_) {
    PendingSummary& summary = out[signer];
    summary.count = s.count;
    if (!s.created.empty()) summary.oldest = *s.created.begin();
  }
  return out;
}

}  // namespace nca::daemon

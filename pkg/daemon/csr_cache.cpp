#include "daemon/csr_cache.h"

#include "approver/csr_index.h"
#include "kube/decode.h"
#include "kube/rest_list_watcher.h"
#include "x509/csr_parser.h"

namespace nca::daemon {
namespace {
constexpr std::string_view kRequesterIndex = "requester-node";
}

std::string claimed_node(const kube::CertificateSigningRequest& csr) {
  std::string node = approver::requester_node(csr);
  if (!node.empty() || !approver::is_kubelet_signer(csr)) return node;
  auto parsed = x509::parse_csr_pem(csr.request_pem);
  if (!parsed || parsed->common_names.size() != 1) return "";
  const std::string& cn = parsed->common_names[0];
  if (cn.rfind(approver::kNodeUserPrefix, 0) != 0) return "";
  return cn.substr(approver::kNodeUserPrefix.size());
}

CsrCache::CsrCache(std::shared_ptr<kube::RestClient> client, std::shared_ptr<Clock> clock) {
  cache::ReflectorOptions opts;
  opts.name = "certificatesigningrequests";
  opts.clock = std::move(clock);
  informer_ = std::make_unique<cache::Informer<kube::CertificateSigningRequest>>(
      std::make_shared<kube::RestListWatcher>(std::move(client), kube::resources::csrs()),
      [](const nlohmann::json& j) { return kube::decode_csr(j); }, opts);
  (void)informer_->add_index(std::string(kRequesterIndex), [](const auto& csr) {
    return approver::requester_node_index(csr);
  });
  (void)informer_->add_index(std::string(kClaimedNodeIndex),
                             [](const kube::CertificateSigningRequest& csr) {
                               std::string node = claimed_node(csr);
                               return node.empty() ? std::vector<std::string>{}
                                                   : std::vector<std::string>{node};
                             });
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

std::vector<approver::CsrPtr> CsrCache::list() const { return informer_->lister().list(); }

}  // namespace nca::daemon

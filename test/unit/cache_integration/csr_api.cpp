#include "csr_api.h"

#include <unistd.h>

#include <atomic>
#include <chrono>

#include "base/clock.h"
#include "kube/base64.h"
#include "kube/decode.h"
#include "kube/encode.h"
#include "kube/resource.h"
#include "support/csr_builder.h"

namespace nca::it {

std::string unique_run_label(const std::string& prefix) {
  static std::atomic<int> n{0};
  return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(n++);
}

CsrApi::CsrApi(std::shared_ptr<kube::ApiClient> client, std::string run_label)
    : client_(std::move(client)), run_(std::move(run_label)) {
  // One request for every CSR: the API server does not require them to differ.
  request_b64_ = kube::base64_encode(test::CsrBuilder().common_name("nca-cache-it").pem());
}

Status CsrApi::create(const std::string& name) {
  nlohmann::json body = {{"apiVersion", "certificates.k8s.io/v1"},
                         {"kind", "CertificateSigningRequest"},
                         {"metadata", {{"name", name}, {"labels", {{"nca-it", run_}}}}},
                         {"spec",
                          {{"request", request_b64_},
                           {"signerName", "nca.test/cache-it"},
                           {"usages", {"client auth"}}}}};
  auto r = client_->create(kube::resources::csrs(), "", body);
  return r.status();
}

Status CsrApi::approve(const std::string& name) {
  Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto raw = client_->get(kube::resources::csrs(), "", name);
    if (!raw) return raw.status();
    auto csr = kube::decode_csr(*raw);
    if (!csr) return csr.status();
    auto body = kube::approval_patch(*csr, "Approved", "CacheIntegration", "approved by the test",
                                     std::chrono::system_clock::now());
    if (!body) return body.status();
    auto r = client_->patch(kube::resources::csrs(), "", name, kube::PatchType::kMerge, *body,
                            "approval");
    if (r) return Status::ok();
    last = r.status();
    if (last.code() != Code::kConflict) return last;
  }
  return last;
}

Status CsrApi::remove(const std::string& name) {
  return client_->remove(kube::resources::csrs(), "", name);
}

Result<std::map<std::string, ServerCsr>> CsrApi::list() {
  kube::ListOptions opts;
  opts.label_selector = selector();
  opts.limit = 500;
  auto page = kube::list_all(*client_, kube::resources::csrs(), "", opts);
  if (!page) return page.status();
  std::map<std::string, ServerCsr> out;
  for (const auto& item : page->items) {
    auto csr = kube::decode_csr(item);
    if (!csr) return csr.status();
    out[csr->metadata.name] =
        ServerCsr{csr->metadata.resource_version, csr->metadata.uid, csr->is_approved()};
  }
  return out;
}

}  // namespace nca::it

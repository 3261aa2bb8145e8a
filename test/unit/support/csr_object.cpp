#include "support/csr_object.h"

#include <openssl/evp.h>

namespace nca::test {
namespace {

std::vector<std::string> usages(bool client, bool rsa) {
  std::vector<std::string> out = {"digital signature"};
  if (rsa) out.emplace_back("key encipherment");
  out.emplace_back(client ? "client auth" : "server auth");
  return out;
}

}  // namespace

CsrObjectOptions serving_csr_options(std::string_view node_name, bool rsa) {
  CsrObjectOptions o;
  o.name = "csr-serving-" + std::string(node_name);
  o.signer_name = std::string(kServingSigner);
  o.username = "system:node:" + std::string(node_name);
  o.groups = {"system:nodes", "system:authenticated"};
  o.usages = usages(/*client=*/false, rsa);
  return o;
}

CsrObjectOptions client_renewal_options(std::string_view node_name, bool rsa) {
  CsrObjectOptions o = serving_csr_options(node_name, rsa);
  o.name = "csr-client-" + std::string(node_name);
  o.signer_name = std::string(kClientSigner);
  o.usages = usages(/*client=*/true, rsa);
  return o;
}

CsrObjectOptions bootstrap_options(bool rsa) {
  CsrObjectOptions o;
  o.name = "csr-bootstrap";
  o.signer_name = std::string(kClientSigner);
  o.username = std::string(kBootstrapperUser);
  o.groups = {"system:serviceaccounts", "system:serviceaccounts:openshift-machine-config-operator",
              "system:authenticated"};
  o.usages = usages(/*client=*/true, rsa);
  return o;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

nlohmann::json make_csr_object(const CsrObjectOptions& o, std::string_view request_pem) {
  nlohmann::json spec = {
      {"request", base64_encode(request_pem)},
      {"signerName", o.signer_name},
      {"usages", o.usages},
      {"username", o.username},
      {"groups", o.groups},
  };
  if (o.expiration_seconds) spec["expirationSeconds"] = *o.expiration_seconds;
  nlohmann::json status = nlohmann::json::object();
  if (!o.conditions.empty()) {
    status["conditions"] = nlohmann::json::array();
    for (const auto& type : o.conditions) {
      status["conditions"].push_back({{"type", type},
                                      {"status", "True"},
                                      {"reason", "Test" + type},
                                      {"message", "set by the test"},
                                      {"lastUpdateTime", o.creation_timestamp},
                                      {"lastTransitionTime", o.creation_timestamp}});
    }
  }
  // Any non-empty base64 stands for the issued certificate; readers only test presence.
  if (o.issued) status["certificate"] = base64_encode("issued");
  return {
      {"apiVersion", "certificates.k8s.io/v1"},
      {"kind", "CertificateSigningRequest"},
      {"metadata",
       {{"name", o.name},
        {"uid", o.uid},
        {"resourceVersion", o.resource_version},
        {"creationTimestamp", o.creation_timestamp}}},
      {"spec", spec},
      {"status", status},
  };
}

}  // namespace nca::test

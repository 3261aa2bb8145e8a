// The cluster the integration tests talk to (NCA_CLUSTER_DIR from test/cluster/up, or
// KUBECONFIG), admin clients, and test PKI built with OpenSSL: keys, CSRs and
// certificates signed by the cluster CA with chosen validity, for the auth error tests.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "kube/client.h"
#include "kube/client_config.h"

namespace nca::kube::testing {

// Admin config for the cluster; the test fails (REQUIRE) when it does not load.
ClientConfig admin_config();
// The cluster directory ("" when only KUBECONFIG is set; PKI tests need the directory).
std::string cluster_dir();
// A RestClient for `config` without client-side throttling.
std::shared_ptr<RestClient> client_for(ClientConfig config);
std::shared_ptr<RestClient> admin_client();
// "prefix-<random hex>", a fresh name per call.
std::string unique_name(const std::string& prefix);
// Creates a namespace and returns its name (deleted by ~ScopedNamespace).
struct ScopedNamespace {
  explicit ScopedNamespace(std::shared_ptr<RestClient> client);
  ~ScopedNamespace();
  std::shared_ptr<RestClient> client;
  std::string name;
};

struct KeyAndCert {
  std::string key_pem;
  std::string cert_pem;
};
// A P-256 key and a certificate for `common_name` (O=`organization`) valid from
// now + not_before to now + not_after, signed by the CA given as PEM; self-signed (a CA)
// when ca_cert_pem is empty.
KeyAndCert make_cert(const std::string& common_name, const std::string& organization,
                     std::chrono::seconds not_before, std::chrono::seconds not_after,
                     const std::string& ca_cert_pem = "", const std::string& ca_key_pem = "");
// A PEM CERTIFICATE REQUEST for CN=`common_name`.
std::string make_csr_pem(const std::string& common_name);
std::string read_text(const std::string& path);

}  // namespace nca::kube::testing

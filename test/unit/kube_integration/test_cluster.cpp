#include "test_cluster.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "base/clock.h"
#include "kube/kubeconfig.h"

namespace nca::kube::testing {

namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using ReqPtr = std::unique_ptr<X509_REQ, Deleter<X509_REQ, X509_REQ_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio.get());
}

CertPtr parse_cert(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return CertPtr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

KeyPtr parse_key(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return KeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

}  // namespace

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string cluster_dir() {
  const char* dir = std::getenv("NCA_CLUSTER_DIR");
  return dir == nullptr ? "" : dir;
}

ClientConfig admin_config() {
  std::string path;
  if (!cluster_dir().empty()) {
    path = cluster_dir() + "/admin.kubeconfig";
  } else if (const char* kc = std::getenv("KUBECONFIG")) {
    path = kc;
  }
  auto cfg = load_kubeconfig(path);
  INFO(cfg.status().to_string());
  REQUIRE(cfg);
  return *cfg;
}

std::shared_ptr<RestClient> client_for(ClientConfig config) {
  config.qps = 0;
  auto client = RestClient::create(std::move(config), real_clock());
  INFO(client.status().to_string());
  REQUIRE(client);
  return *client;
}

std::shared_ptr<RestClient> admin_client() { return client_for(admin_config()); }

std::string unique_name(const std::string& prefix) {
  unsigned char bytes[6];
  RAND_bytes(bytes, sizeof bytes);
  static const char* hex = "0123456789abcdef";
  std::string out = prefix + "-";
  for (unsigned char b : bytes) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

ScopedNamespace::ScopedNamespace(std::shared_ptr<RestClient> c)
    : client(std::move(c)), name(unique_name("nca-it")) {
  nlohmann::json ns{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
  auto r = client->request("POST", "/api/v1/namespaces", &ns);
  INFO(r.status().to_string());
  REQUIRE(r);
}

// The test control plane runs no namespace controller, so the content is deleted here
// (deletecollection) rather than left behind in a namespace stuck in Terminating.
ScopedNamespace::~ScopedNamespace() {
  (void)client->request("DELETE", "/api/v1/namespaces/" + name + "/configmaps");
  (void)client->request("DELETE", "/api/v1/namespaces/" + name);
}

KeyAndCert make_cert(const std::string& common_name, const std::string& organization,
                     std::chrono::seconds not_before, std::chrono::seconds not_after,
                     const std::string& ca_cert_pem, const std::string& ca_key_pem) {
  KeyPtr key(EVP_EC_gen("P-256"));
  REQUIRE(key);
  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(std::rand()) + 1000);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(not_before.count()));
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(not_after.count()));
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (!organization.empty()) {
    X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(organization.c_str()), -1, -1,
                               0);
  }
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_pubkey(cert.get(), key.get());
  KeyPtr ca_key;
  if (ca_cert_pem.empty()) {
    X509_set_issuer_name(cert.get(), subject);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    X509_EXTENSION* ext =
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
    REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
  } else {
    CertPtr ca = parse_cert(ca_cert_pem);
    ca_key = parse_key(ca_key_pem);
    REQUIRE(ca);
    REQUIRE(ca_key);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get()));
    REQUIRE(X509_sign(cert.get(), ca_key.get(), EVP_sha256()) > 0);
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert.get());
  return {key_pem(key.get()), bio_text(bio.get())};
}

std::string make_csr_pem(const std::string& common_name) {
  KeyPtr key(EVP_EC_gen("P-256"));
  ReqPtr req(X509_REQ_new());
  X509_NAME* subject = X509_REQ_get_subject_name(req.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_REQ_set_pubkey(req.get(), key.get());
  REQUIRE(X509_REQ_sign(req.get(), key.get(), EVP_sha256()) > 0);
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(bio.get(), req.get());
  return bio_text(bio.get());
}

}  // namespace nca::kube::testing

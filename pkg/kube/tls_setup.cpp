// TLS for RestClient: only the configured CA is trusted (the system roots are dropped when
// a CA is given, as client-go does), the client certificate and key are loaded from PEM in
// memory, and the reason a server certificate fails verification is kept for the error.
#include <cpprest/http_client.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <mutex>

#include "kube/rest_internal.h"

namespace nca::kube {

namespace {

std::mutex& verify_mu() {
  static auto* mu = new std::mutex;
  return *mu;
}
std::string& verify_error() {
  static auto* s = new std::string;
  return *s;
}

// Wraps OpenSSL's chain verification to remember why it failed.
int recording_verify(X509_STORE_CTX* ctx, void* /*arg*/) {
  int ok = X509_verify_cert(ctx);
  if (ok <= 0) {
    std::lock_guard lock(verify_mu());
    verify_error() = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
  }
  return ok;
}

void apply_material(const ClientConfig& config, boost::asio::ssl::context& ctx) {
  if (!config.ca_pem.empty()) {
    SSL_CTX_set_cert_store(ctx.native_handle(), X509_STORE_new());  // frees the default roots
    ctx.add_certificate_authority(boost::asio::buffer(config.ca_pem));
  }
  if (!config.client_cert_pem.empty()) {
    ctx.use_certificate_chain(boost::asio::buffer(config.client_cert_pem));
    ctx.use_private_key(boost::asio::buffer(config.client_key_pem), boost::asio::ssl::context::pem);
  }
  SSL_CTX_set_cert_verify_callback(ctx.native_handle(), recording_verify, nullptr);
}

std::string asn1_time_text(const ASN1_TIME* t) {
  BIO* bio = BIO_new(BIO_s_mem());
  ASN1_TIME_print(bio, t);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

}  // namespace

void configure_http(const ClientConfig& config, std::chrono::seconds timeout,
                    std::shared_ptr<void> sentinel, web::http::client::http_client_config& out) {
  out.set_timeout(timeout);
  out.set_validate_certificates(!(config.insecure_skip_tls_verify && config.allow_insecure));
  ClientConfig material;
  material.ca_pem = config.ca_pem;
  material.client_cert_pem = config.client_cert_pem;
  material.client_key_pem = config.client_key_pem;
  out.set_ssl_context_callback(
      // `sentinel` rides along only to expire with the last copy of this config.
      [material, sentinel = std::move(sentinel)](boost::asio::ssl::context& ctx) {
        apply_material(material, ctx);
      });
}

Status validate_tls_material(const ClientConfig& config) {
  if (config.insecure_skip_tls_verify && !config.allow_insecure) {
    return invalid("insecure-skip-tls-verify is refused unless explicitly allowed");
  }
  if (config.client_cert_pem.empty() != config.client_key_pem.empty()) {
    return invalid("a client certificate needs its key and the other way round");
  }
  try {
    boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
    apply_material(config, ctx);
  } catch (const std::exception& e) {
    return invalid(std::string("TLS material does not load (CA, client certificate or key): ") +
                   e.what());
  }
  return Status::ok();
}

std::string client_cert_problem(const std::string& cert_pem) {
  if (cert_pem.empty()) return "";
  BIO* bio = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (cert == nullptr) return "client certificate does not parse";
  std::string out;
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) {
    out = "client certificate expired at " + asn1_time_text(X509_get0_notAfter(cert));
  } else if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0) {
    out = "client certificate is not valid before " + asn1_time_text(X509_get0_notBefore(cert));
  }
  X509_free(cert);
  return out;
}

std::string take_tls_verify_error() {
  std::lock_guard lock(verify_mu());
  return std::exchange(verify_error(), std::string());
}

}  // namespace nca::kube

#include "metrics/tls_server_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <fstream>
#include <sstream>

namespace nca::metrics {
namespace {

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TlsServerContext::~TlsServerContext() { SSL_CTX_free(static_cast<SSL_CTX*>(ctx_)); }

Result<std::shared_ptr<const TlsServerContext>> TlsServerContext::from_pem(
    std::string_view cert_chain_pem, std::string_view key_pem) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return Status(Code::kInternal, "SSL_CTX_new: " + openssl_error());
  std::shared_ptr<const TlsServerContext> owner(new TlsServerContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

  BIO* cert_bio = BIO_new_mem_buf(cert_chain_pem.data(), static_cast<int>(cert_chain_pem.size()));
  X509* leaf = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  bool ok = leaf != nullptr && SSL_CTX_use_certificate(ctx, leaf) == 1;
  X509_free(leaf);
  while (ok) {  // the rest of the chain, if any
    X509* extra = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
    if (extra == nullptr) break;
    if (SSL_CTX_add_extra_chain_cert(ctx, extra) != 1) {
      X509_free(extra);
      ok = false;
    }
  }
  BIO_free(cert_bio);
  ERR_clear_error();  // the end of the chain reads as an error
  if (!ok) return invalid("TLS certificate: no PEM certificate");

  BIO* key_bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  BIO_free(key_bio);
  if (key == nullptr) return invalid("TLS key: " + openssl_error());
  ok = SSL_CTX_use_PrivateKey(ctx, key) == 1 && SSL_CTX_check_private_key(ctx) == 1;
  EVP_PKEY_free(key);
  if (!ok) return invalid("TLS key does not match the certificate: " + openssl_error());
  return owner;
}

Result<std::shared_ptr<const TlsServerContext>> TlsServerContext::from_dir(const std::string& dir) {
  auto cert = read_file(dir + "/tls.crt");
  if (!cert.is_ok()) return cert.status();
  auto key = read_file(dir + "/tls.key");
  if (!key.is_ok()) return key.status();
  auto ctx = from_pem(*cert, *key);
  if (!ctx.is_ok()) return ctx.status().annotate(dir);
  return ctx;
}

}  // namespace nca::metrics

// TlsServerContext: the server side of TLS for HttpServer: one certificate chain and its
// private key, TLS 1.2 or newer. Built from PEM text (a self-signed pair, see
// self_signed_cert.h) or from a directory holding tls.crt and tls.key (a mounted
// kubernetes.io/tls Secret). OpenSSL stays inside the .cpp files. Immutable once built;
// thread-safe to share between connections.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace nca::metrics {

class TlsServerContext {
 public:
  // Invalid when the PEM does not parse or the key does not match the certificate.
  static Result<std::shared_ptr<const TlsServerContext>> from_pem(std::string_view cert_chain_pem,
                                                                  std::string_view key_pem);
  // DIR/tls.crt and DIR/tls.key.
  static Result<std::shared_ptr<const TlsServerContext>> from_dir(const std::string& dir);

  ~TlsServerContext();
  TlsServerContext(const TlsServerContext&) = delete;
  TlsServerContext& operator=(const TlsServerContext&) = delete;

  // The OpenSSL SSL_CTX*, for the connection code in this library only.
  void* native() const { return ctx_; }

 private:
  explicit TlsServerContext(void* ctx) : ctx_(ctx) {}
  void* ctx_;
};

}  // namespace nca::metrics

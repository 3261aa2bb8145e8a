#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "metrics/http_server.h"
#include "metrics/self_signed_cert.h"
#include "metrics/tls_server_context.h"
#include "test_sockets.h"

using namespace nca::metrics;
using namespace nca::metrics::testing;
using namespace std::chrono_literals;

namespace {

// One GET over TLS with an OpenSSL client that does not verify (as a scraper of a
// self-signed endpoint does); the response, and the server certificate's SAN text.
std::string tls_fetch(int port, const std::string& request, std::string* san_text = nullptr) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  int fd = connect_loopback(port);
  if (fd < 0) return "";
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  std::string out;
  if (SSL_connect(ssl.get()) == 1) {
    if (san_text != nullptr) {
      X509* peer = SSL_get1_peer_certificate(ssl.get());
      auto* names = static_cast<GENERAL_NAMES*>(
          X509_get_ext_d2i(peer, NID_subject_alt_name, nullptr, nullptr));
      for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
        if (n->type == GEN_DNS) {
          *san_text +=
              std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)),
                          static_cast<std::size_t>(ASN1_STRING_length(n->d.dNSName))) +
              " ";
        }
      }
      GENERAL_NAMES_free(names);
      X509_free(peer);
    }
    SSL_write(ssl.get(), request.data(), static_cast<int>(request.size()));
    char buf[4096];
    int n;
    while ((n = SSL_read(ssl.get(), buf, sizeof buf)) > 0)
      out.append(buf, static_cast<std::size_t>(n));
  }
  ssl.reset();
  ::close(fd);
  return out;
}

HttpResponse ok(const HttpRequest&) { return HttpResponse{200, "text/plain", "secret", {}}; }

}  // namespace

TEST_CASE("HTTPS with a self-generated certificate: handshake, answer, plain HTTP refused") {
  auto pair =
      generate_self_signed({"node-csr-approver-metrics.ns.svc", "localhost"}, {"127.0.0.1"});
  REQUIRE(pair.is_ok());
  CHECK(pair->cert_pem.rfind("-----BEGIN CERTIFICATE-----", 0) == 0);
  auto ctx = TlsServerContext::from_pem(pair->cert_pem, pair->key_pem);
  REQUIRE(ctx.is_ok());
  HttpServerOptions opts;
  opts.tls = *ctx;
  opts.request_deadline = 1000ms;
  HttpServer server(opts);
  server.handle("/metrics", ok);
  REQUIRE(server.start("127.0.0.1:0").is_ok());

  std::string sans;
  const std::string r = tls_fetch(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", &sans);
  CHECK(r.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(r.substr(r.size() - 6) == "secret");
  CHECK(sans == "node-csr-approver-metrics.ns.svc localhost ");

  // Plain HTTP to the TLS port: no handshake, no answer, closed.
  const auto t0 = Steady::now();
  const std::string plain = fetch(server.port(), "GET /metrics HTTP/1.1\r\n\r\n");
  CHECK(plain.find("secret") == std::string::npos);
  CHECK(seconds_since(t0) < 3.0);

  // A client that connects and never starts the handshake is cut at the deadline.
  int fd = connect_loopback(server.port());
  bool closed = false;
  (void)read_until_closed(fd, 5000ms, &closed);
  CHECK(closed);
  ::close(fd);
  CHECK(tls_fetch(server.port(), "GET /metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("TlsServerContext loads tls.crt/tls.key from a directory and rejects mismatches") {
  auto a = generate_self_signed({"a"}, {});
  auto b = generate_self_signed({"b"}, {});
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  CHECK(TlsServerContext::from_pem(a->cert_pem, b->key_pem).status().code() == nca::Code::kInvalid);
  CHECK(TlsServerContext::from_pem("junk", a->key_pem).status().code() == nca::Code::kInvalid);

  const auto dir =
      std::filesystem::temp_directory_path() / ("nca-tls-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  CHECK(TlsServerContext::from_dir(dir.string()).status().code() == nca::Code::kInvalid);
  std::ofstream(dir / "tls.crt") << a->cert_pem;
  std::ofstream(dir / "tls.key") << a->key_pem;
  CHECK(TlsServerContext::from_dir(dir.string()).is_ok());
  std::filesystem::remove_all(dir);
}

TEST_CASE("stop() while a TLS answer is blocked on a client that stopped reading: no SIGPIPE") {
  auto pair = generate_self_signed({"localhost"}, {"127.0.0.1"});
  REQUIRE(pair.is_ok());
  HttpServerOptions opts;
  opts.tls = *TlsServerContext::from_pem(pair->cert_pem, pair->key_pem);
  HttpServer server(opts);
  std::atomic<int> answered{0};
  server.handle("/metrics", [&](const HttpRequest&) {
    ++answered;
    return HttpResponse{200, "text/plain", std::string(32 << 20, 'x'), {}};  // 32 MiB
  });
  REQUIRE(server.start("127.0.0.1:0").is_ok());
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  int fd = connect_loopback(server.port());
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  REQUIRE(SSL_connect(ssl.get()) == 1);
  const std::string req = "GET /metrics HTTP/1.1\r\n\r\n";
  SSL_write(ssl.get(), req.data(), static_cast<int>(req.size()));
  char buf[1024];
  REQUIRE(SSL_read(ssl.get(), buf, sizeof buf) > 0);  // the answer has started; read no more
  // The server writes into full socket buffers; stop() shuts the socket down under it, and
  // its next write gets EPIPE (a SIGPIPE, which would end this binary, unless blocked).
  const auto t0 = Steady::now();
  server.stop();
  CHECK(seconds_since(t0) < 2.0);
  CHECK(answered == 1);
  ssl.reset();
  ::close(fd);
}

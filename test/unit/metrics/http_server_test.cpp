#include "metrics/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <string>

namespace {

// One raw request over loopback; returns the whole response.
std::string fetch(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  ::send(fd, request.data(), request.size(), 0);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

}  // namespace

TEST_CASE("HttpServer answers registered paths, 404s the rest, and stops") {
  nca::metrics::HttpServer server;
  std::atomic<bool> ready{false};
  server.handle("/healthz", [] { return nca::metrics::HttpResponse{200, "text/plain", "ok"}; });
  server.handle("/readyz", [&] {
    return ready ? nca::metrics::HttpResponse{200, "text/plain", "ok"}
                 : nca::metrics::HttpResponse{503, "text/plain", "caches not synced"};
  });
  REQUIRE(server.start("127.0.0.1:0").is_ok());
  REQUIRE(server.port() > 0);

  std::string r = fetch(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(r.find("Content-Length: 2\r\n") != std::string::npos);
  CHECK(r.substr(r.size() - 2) == "ok");

  CHECK(fetch(server.port(), "GET /readyz HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 503", 0) == 0);
  ready = true;
  CHECK(fetch(server.port(), "GET /readyz?verbose HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 200", 0) == 0);
  CHECK(fetch(server.port(), "GET /nope HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404", 0) == 0);
  CHECK(fetch(server.port(), "POST /healthz HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 405", 0) == 0);
  CHECK(fetch(server.port(), "garbage\r\n\r\n").rfind("HTTP/1.1 400", 0) == 0);
  const std::string head = fetch(server.port(), "HEAD /healthz HTTP/1.1\r\n\r\n");
  CHECK(head.find("\r\n\r\n") == head.size() - 4);
  server.stop();
}

TEST_CASE("HttpServer rejects bad bind addresses with a clear error") {
  nca::metrics::HttpServer server;
  CHECK(server.start("9090").code() == nca::Code::kInvalid);
  CHECK(server.start(":notaport").code() == nca::Code::kInvalid);
  CHECK(server.start("example.com:80").message().find("IPv4") != std::string::npos);
}

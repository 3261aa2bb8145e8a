// Timeouts: a server that accepts connections but never answers is a Timeout; a watch that
// stays quiet past the connection's inactivity timeout ends normally (the caller re-watches).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "base/clock.h"
#include "test_cluster.h"

using namespace nca::kube;
using namespace nca::kube::testing;
using namespace std::chrono_literals;
using nca::Code;

namespace {

// A loopback socket that listens but never accepts: the kernel completes the TCP
// handshake, then nothing is ever said.
struct SilentServer {
  int fd = -1;
  int port = 0;
  SilentServer() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd, 16) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port = ntohs(addr.sin_port);
  }
  ~SilentServer() { ::close(fd); }
};

}  // namespace

TEST_CASE("a server that never answers is a Timeout after the per-request timeout") {
  SilentServer server;
  ClientConfig cfg;
  cfg.server = "https://127.0.0.1:" + std::to_string(server.port);
  cfg.timeout = 1s;
  auto client = client_for(cfg);
  auto started = std::chrono::steady_clock::now();
  auto r = client->get(resources::nodes(), "", "n1");
  auto took = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(r);
  INFO(r.status().to_string());
  CHECK(r.status().code() == Code::kTimeout);
  CHECK(took < 10s);

  // A watch on it is not a "quiet watch": nothing was ever answered.
  std::stop_source stop;
  nca::Status s = client->stream(
      "/api/v1/nodes?watch=1", 1s, [](std::string_view) { return nca::Status::ok(); },
      stop.get_token());
  INFO(s.to_string());
  CHECK(s.code() == Code::kTimeout);
}

TEST_CASE("a quiet watch past the inactivity timeout ends normally") {
  auto client = admin_client();
  ScopedNamespace ns(client);
  std::stop_source stop;
  std::size_t bytes = 0;
  auto started = std::chrono::steady_clock::now();
  // The server would keep the watch open for 60 s; the connection gives up after 2 s idle.
  nca::Status s = client->stream(
      resources::configmaps().collection_path(ns.name) + "?watch=1&timeoutSeconds=60", 2s,
      [&](std::string_view chunk) {
        bytes += chunk.size();
        return nca::Status::ok();
      },
      stop.get_token());
  auto took = std::chrono::steady_clock::now() - started;
  INFO(s.to_string());
  CHECK(s.is_ok());
  CHECK(took >= 2s);
  CHECK(took < 30s);
}

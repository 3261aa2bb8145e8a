#include "daemon/metrics_endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "base/fake_clock.h"

using namespace nca;
using namespace nca::daemon;

namespace {

// GET /metrics over plain HTTP; what came back within 3 s ("" when the server hung up).
std::string plain_get(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  const std::string req = "GET /metrics HTTP/1.1\r\n\r\n";
  ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 3000) <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

class NoReviews final : public metrics::AccessReviewer {
 public:
  Result<std::optional<metrics::ReviewedUser>> authenticate(const std::string&) override {
    return std::optional<metrics::ReviewedUser>();
  }
  Result<bool> authorize(const metrics::ReviewedUser&, const std::string&,
                         const std::string&) override {
    return false;
  }
};

}  // namespace

TEST_CASE("metrics endpoint: plain when not secure, HTTPS otherwise, bad setups refused") {
  auto m = std::make_shared<metrics::Metrics>("test");
  auto clock = std::make_shared<FakeClock>();

  auto plain = make_metrics_server({false, "", "ns"}, m, nullptr, clock);
  REQUIRE(plain.is_ok());
  REQUIRE((*plain)->start("127.0.0.1:0").is_ok());
  const std::string r = plain_get((*plain)->port());
  CHECK(r.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(r.find("node_csr_approver_") != std::string::npos);

  auto secure = make_metrics_server({true, "", "ns"}, m, std::make_shared<NoReviews>(), clock);
  REQUIRE(secure.is_ok());
  REQUIRE((*secure)->start("127.0.0.1:0").is_ok());
  // Plain HTTP to the TLS port: no handshake, no metrics.
  CHECK(plain_get((*secure)->port()).find("node_csr_approver_") == std::string::npos);

  CHECK(make_metrics_server({true, "", "ns"}, m, nullptr, clock).status().code() ==
        Code::kInternal);
  const auto bad_dir = make_metrics_server({true, "/nonexistent-nca", "ns"}, m,
                                           std::make_shared<NoReviews>(), clock);
  CHECK(bad_dir.status().code() == Code::kInvalid);
  CHECK(bad_dir.status().message().find("--metrics-cert-dir") != std::string::npos);
}

// The pieces of RestClient that need no server: token re-reading, the QPS bucket, query
// strings, and the validation done before any connection.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include "base/fake_clock.h"
#include "kube/client.h"
#include "kube/rate_limiter.h"
#include "kube/rest_internal.h"
#include "kube/token_source.h"

using namespace nca::kube;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

TEST_CASE("a token file is re-read when it changes") {
  fs::path file =
      fs::temp_directory_path() / ("nca-token-" + std::to_string(std::random_device()()));
  std::ofstream(file) << "first\n";
  TokenSource source("static-ignored", file.string());
  CHECK(source.token().value() == "first");
  std::ofstream(file) << "second-longer\n";
  fs::last_write_time(file, fs::last_write_time(file) + 2s);
  CHECK(source.token().value() == "second-longer");
  fs::remove(file);
  CHECK(source.token().value() == "second-longer");  // mid-rotation: keep the last good one
  TokenSource never(std::string(), (file.string() + ".absent"));
  CHECK(never.token().status().code() == nca::Code::kUnauthorized);
  CHECK(TokenSource("fixed", "").token().value() == "fixed");
}

TEST_CASE("the token bucket allows a burst, then paces at qps") {
  auto clock = std::make_shared<nca::FakeClock>();
  TokenBucket bucket(clock, 10, 3);
  CHECK(bucket.reserve() == 0ns);
  CHECK(bucket.reserve() == 0ns);
  CHECK(bucket.reserve() == 0ns);
  CHECK(bucket.reserve() == 100ms);
  CHECK(bucket.reserve() == 200ms);  // queued behind the previous waiter
  clock->advance(1s);                // refills the debt and up to the burst
  CHECK(bucket.reserve() == 0ns);
  TokenBucket unlimited(clock, 0, 1);
  for (int i = 0; i < 100; ++i) CHECK(unlimited.reserve() == 0ns);
}

TEST_CASE("query strings skip empty values and encode the rest") {
  CHECK(query_string({{"a", ""}}).empty());
  CHECK(query_string({{"labelSelector", "app=x,tier in (a,b)"}, {"limit", "500"}}) ==
        "?labelSelector=app%3Dx%2Ctier%20in%20%28a%2Cb%29&limit=500");
}

TEST_CASE("RestClient refuses unusable configs before connecting") {
  auto clock = std::make_shared<nca::FakeClock>();
  ClientConfig cfg;
  cfg.server = "http://127.0.0.1:1";
  CHECK(RestClient::create(cfg, clock).status().code() == nca::Code::kInvalid);
  cfg.server = "https://127.0.0.1:1";
  cfg.insecure_skip_tls_verify = true;
  CHECK(RestClient::create(cfg, clock).status().code() == nca::Code::kInvalid);
  cfg.insecure_skip_tls_verify = false;
  cfg.ca_pem = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
  auto bad_ca = RestClient::create(cfg, clock);
  REQUIRE_FALSE(bad_ca);
  CHECK_THAT(bad_ca.status().message(), Catch::Contains("TLS material"));
  cfg.ca_pem.clear();
  cfg.client_cert_pem = "x";
  CHECK(RestClient::create(cfg, clock).status().code() == nca::Code::kInvalid);
}

TEST_CASE("a refused connection is Unavailable with the server named") {
  auto clock = std::make_shared<nca::FakeClock>();
  ClientConfig cfg;
  cfg.server = "https://127.0.0.1:1";
  cfg.timeout = 5s;
  auto client = RestClient::create(cfg, clock);
  REQUIRE(client);
  auto r = (*client)->get(resources::nodes(), "", "n1");
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == nca::Code::kUnavailable);
  CHECK_THAT(r.status().message(), Catch::Contains("127.0.0.1:1"));
}

TEST_CASE("a failed request leaves no cpprestsdk work behind once its client is gone") {
  // cpprestsdk closes a failed response's body on its pool threads after get() has already
  // returned the error; a process exiting then leaked those chores (LeakSanitizer, 1016
  // bytes in streambuf_state_manager::close → when_all). Destroying the client waits.
  auto clock = std::make_shared<nca::FakeClock>();
  ClientConfig cfg;
  cfg.server = "https://127.0.0.1:1";
  cfg.timeout = 5s;
  for (int round = 0; round < 20; ++round) {
    auto client = RestClient::create(cfg, clock);
    REQUIRE(client);
    REQUIRE_FALSE((*client)->get(resources::nodes(), "", "n1"));
    (*client).reset();
    CHECK(nca::kube::pending_transport_chores() == 0);
  }
}

TEST_CASE("a request with a timeout gives up at it on a server that never answers") {
  // The leader elector bounds each Lease call by the time left to its renew deadline; a
  // stalled connection must not hold it for the client's 30 s inactivity timeout.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener, 4) == 0);  // the kernel accepts; nobody ever answers
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);

  auto clock = std::make_shared<nca::FakeClock>();
  ClientConfig cfg;
  cfg.server = "https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  cfg.timeout = 30s;
  auto client = RestClient::create(cfg, clock);
  REQUIRE(client);
  const auto start = std::chrono::steady_clock::now();
  auto r = (*client)->request("GET", "/api/v1/namespaces/ns/leases/x", nullptr, "application/json",
                              300ms);
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == nca::Code::kTimeout);
  CHECK(took >= 300ms);
  CHECK(took < 10s);  // not the 30 s inactivity timeout
  (*client).reset();
  ::close(listener);
}

TEST_CASE("a bounded request that the rate limit would hold past its deadline is not sent") {
  // Writes bounded by leadership count the client's own queueing against their deadline:
  // a request that could only start after it must not be sent at all.
  auto clock = std::make_shared<nca::FakeClock>();  // never advanced: the bucket stays empty
  ClientConfig cfg;
  cfg.server = "https://127.0.0.1:1";
  cfg.timeout = 5s;
  cfg.qps = 1;
  cfg.burst = 1;
  std::atomic<int> sent{0};
  cfg.on_response = [&](std::string_view, int) { ++sent; };
  auto client = RestClient::create(cfg, clock);
  REQUIRE(client);
  REQUIRE_FALSE((*client)->get(resources::nodes(), "", "n1"));  // takes the only token
  REQUIRE(sent == 1);
  auto r = (*client)->get_within(resources::nodes(), "", "n1", 500ms);  // next token: 1 s
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == nca::Code::kTimeout);
  CHECK_THAT(r.status().message(), Catch::Contains("not sent"));
  auto w = (*client)->patch_within(resources::nodes(), "", "n1", PatchType::kMerge,
                                   nlohmann::json::object(), "", 0ms);
  CHECK(w.status().code() == nca::Code::kTimeout);
  CHECK(sent == 1);  // neither reached the transport
}

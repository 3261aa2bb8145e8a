#include "metrics/http_server.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_sockets.h"

using nca::metrics::HttpRequest;
using nca::metrics::HttpResponse;
using nca::metrics::HttpServer;
using nca::metrics::HttpServerOptions;
using namespace nca::metrics::testing;
using namespace std::chrono_literals;

namespace {

HttpResponse ok(const HttpRequest&) { return HttpResponse{200, "text/plain", "ok", {}}; }

const std::string kHealthz = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

}  // namespace

TEST_CASE("HttpServer answers registered paths, 404s the rest, and stops") {
  HttpServer server;
  std::atomic<bool> ready{false};
  server.handle("/healthz", ok);
  server.handle("/readyz", [&](const HttpRequest& r) {
    CHECK(r.header("host") == "x");
    return ready ? HttpResponse{200, "text/plain", "ok", {}}
                 : HttpResponse{503, "text/plain", "caches not synced", {}};
  });
  REQUIRE(server.start("127.0.0.1:0").is_ok());
  REQUIRE(server.port() > 0);

  std::string r = fetch(server.port(), kHealthz);
  CHECK(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(r.find("Content-Length: 2\r\n") != std::string::npos);
  CHECK(r.substr(r.size() - 2) == "ok");

  CHECK(fetch(server.port(), "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n").rfind("HTTP/1.1 503", 0) ==
        0);
  ready = true;
  CHECK(fetch(server.port(), "GET /readyz?verbose HTTP/1.1\r\nHost: x\r\n\r\n")
            .rfind("HTTP/1.1 200", 0) == 0);
  CHECK(fetch(server.port(), "GET /nope HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404", 0) == 0);
  CHECK(fetch(server.port(), "POST /healthz HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 405", 0) == 0);
  CHECK(fetch(server.port(), "garbage\r\n\r\n").rfind("HTTP/1.1 400", 0) == 0);
  CHECK(fetch(server.port(), std::string(9000, 'a')).rfind("HTTP/1.1 400", 0) == 0);
  const std::string head = fetch(server.port(), "HEAD /healthz HTTP/1.1\r\n\r\n");
  CHECK(head.find("\r\n\r\n") == head.size() - 4);
  server.stop();
}

TEST_CASE("HttpServer rejects bad bind addresses with a clear error") {
  HttpServer server;
  CHECK(server.start("9090").code() == nca::Code::kInvalid);
  CHECK(server.start(":notaport").code() == nca::Code::kInvalid);
  CHECK(server.start(":70000").code() == nca::Code::kInvalid);
  CHECK(server.start("example.com:80").message().find("IPv4") != std::string::npos);

  HttpServer first;
  REQUIRE(first.start("127.0.0.1:0").is_ok());
  HttpServer second;
  const auto st = second.start("127.0.0.1:" + std::to_string(first.port()));
  CHECK(st.code() == nca::Code::kUnavailable);
  CHECK(st.message().find("in use") != std::string::npos);
}

// The issue: /healthz waited 11.9 s behind a client sending one byte per second.
TEST_CASE("A client that stalls mid-request does not delay /healthz on another connection") {
  HttpServer server;  // default deadlines (5 s)
  server.handle("/healthz", ok);
  REQUIRE(server.start("127.0.0.1:0").is_ok());
  std::vector<int> stalled;
  for (int i = 0; i < 3; ++i) {
    int fd = connect_loopback(server.port());
    REQUIRE(fd >= 0);
    send_text(fd, "GET /heal");  // and nothing more
    stalled.push_back(fd);
  }
  int silent = connect_loopback(server.port());  // connects, never sends
  REQUIRE(silent >= 0);

  const auto t0 = Steady::now();
  const std::string r = fetch(server.port(), kHealthz);
  const double took = seconds_since(t0);
  CHECK(r.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(took < 1.0);
  for (int fd : stalled) ::close(fd);
  ::close(silent);
}

TEST_CASE("A connection that does not deliver its request within the deadline is closed") {
  HttpServerOptions opts;
  opts.request_deadline = 500ms;
  HttpServer server(opts);
  server.handle("/healthz", ok);
  REQUIRE(server.start("127.0.0.1:0").is_ok());

  SECTION("silent client") {
    int fd = connect_loopback(server.port());
    REQUIRE(fd >= 0);
    const auto t0 = Steady::now();
    bool closed = false;
    const std::string got = read_until_closed(fd, 5000ms, &closed);
    CHECK(closed);
    CHECK(got.empty());  // no answer to a request that never came
    CHECK(seconds_since(t0) >= 0.4);
    CHECK(seconds_since(t0) < 2.0);
    ::close(fd);
  }
  SECTION("a client trickling one byte at a time is cut at the deadline, not per read") {
    int fd = connect_loopback(server.port());
    REQUIRE(fd >= 0);
    const auto t0 = Steady::now();
    const std::string request = "GET /healthz HTTP/1.1\r\nX-Slow: " + std::string(400, 'a');
    bool closed = false;
    std::string got;
    // One byte, then wait up to 50 ms for the server to hang up (the wait is the pacing:
    // it ends early when the server closes), for at most 5 s in all.
    for (std::size_t i = 0; i < request.size() && !closed && seconds_since(t0) < 5.0; ++i) {
      send_text(fd, request.substr(i, 1));
      got += read_until_closed(fd, 50ms, &closed);
    }
    CHECK(closed);
    CHECK(got.empty());
    CHECK(seconds_since(t0) < 2.0);
    ::close(fd);
  }
  // Other clients were served meanwhile and the server still serves.
  CHECK(fetch(server.port(), kHealthz).rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("HttpServer handles requests concurrently") {
  constexpr int kClients = 8;
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0;
  HttpServer server;
  // Every handler waits until all kClients are inside at once: only a concurrent server
  // gets there; a sequential one answers 503 after the wait times out.
  server.handle("/slow", [&](const HttpRequest&) {
    std::unique_lock lock(mu);
    ++inside;
    cv.notify_all();
    const bool all = cv.wait_for(lock, 5s, [&] { return inside >= kClients; });
    return HttpResponse{all ? 200 : 503, "text/plain", "done", {}};
  });
  REQUIRE(server.start("127.0.0.1:0").is_ok());
  std::vector<std::string> answers(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back(
        [&, i] { answers[i] = fetch(server.port(), "GET /slow HTTP/1.1\r\n\r\n"); });
  }
  for (auto& t : clients) t.join();
  for (const auto& a : answers) CHECK(a.rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("HttpServer closes connections over its cap and still serves after") {
  HttpServerOptions opts;
  opts.max_connections = 2;
  opts.request_deadline = 30s;
  HttpServer server(opts);
  server.handle("/healthz", ok);
  REQUIRE(server.start("127.0.0.1:0").is_ok());
  int a = connect_loopback(server.port());
  int b = connect_loopback(server.port());
  const auto deadline = Steady::now() + 5s;
  while (server.open_connections() < 2 && Steady::now() < deadline) std::this_thread::yield();
  REQUIRE(server.open_connections() == 2);
  int c = connect_loopback(server.port());
  bool closed = false;
  CHECK(read_until_closed(c, 5000ms, &closed).empty());
  CHECK(closed);
  ::close(c);
  ::close(a);
  ::close(b);
  const auto later = Steady::now() + 5s;
  while (server.open_connections() > 0 && Steady::now() < later) std::this_thread::yield();
  CHECK(fetch(server.port(), kHealthz).rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("HttpServer::stop returns promptly with clients connected") {
  HttpServerOptions opts;
  opts.request_deadline = 60s;
  HttpServer server(opts);
  server.handle("/healthz", ok);
  REQUIRE(server.start("127.0.0.1:0").is_ok());
  std::vector<int> fds;
  for (int i = 0; i < 5; ++i) {
    fds.push_back(connect_loopback(server.port()));
    send_text(fds.back(), "GET /hea");
  }
  const auto deadline = Steady::now() + 5s;
  while (server.open_connections() < 5 && Steady::now() < deadline) std::this_thread::yield();
  REQUIRE(server.open_connections() == 5);
  const auto t0 = Steady::now();
  server.stop();
  CHECK(seconds_since(t0) < 1.0);
  for (int fd : fds) {
    bool closed = false;
    (void)read_until_closed(fd, 1000ms, &closed);
    CHECK(closed);
    ::close(fd);
  }
}

// RestClient against a loopback server that answers hostile bodies: mistyped list
// metadata, discovery entries without a string name, names that are not path-safe.
// Every answer is an error value (or a correct request), never an exception: on a
// reflector or discovery thread an exception terminates the process.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "base/clock.h"
#include "kube/api_documents.h"
#include "kube/client.h"

using namespace nca::kube;
using nca::Code;
using nlohmann::json;

namespace {

// Answers one HTTP request with `body` (200, application/json) and records the request
// line. Loopback only; the thread is joined in the destructor.
class OneShotServer {
 public:
  explicit OneShotServer(std::string body) : body_(std::move(body)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 4) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~OneShotServer() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // What was asked; "" when nothing connected (the shutdown wakes an idle accept).
  std::string request_line() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    thread_ = std::thread([] {});
    return request_line_;
  }

 private:
  void serve() {
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    std::string in;
    char buf[4096];
    while (in.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) break;
      in.append(buf, static_cast<std::size_t>(n));
    }
    request_line_ = in.substr(0, in.find("\r\n"));
    std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                      std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n" + body_;
    std::size_t sent = 0;
    while (sent < out.size()) {
      ssize_t n = ::write(c, out.data() + sent, out.size() - sent);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    ::close(c);
  }

  std::string body_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string request_line_;
};

std::shared_ptr<RestClient> client_for(const OneShotServer& server) {
  ClientConfig cfg;
  cfg.server = server.url();
  cfg.allow_insecure = true;
  cfg.timeout = std::chrono::seconds(10);
  auto client = RestClient::create(cfg, nca::real_clock());
  REQUIRE(client);
  return *client;
}

}  // namespace

TEST_CASE("a list whose metadata.resourceVersion is a number is an error, not an exception") {
  OneShotServer server(R"({"metadata":{"resourceVersion":12345},"items":[]})");
  auto client = client_for(server);
  nca::Result<ListPage> page = nca::invalid("not called");
  REQUIRE_NOTHROW(page = client->list(resources::nodes(), "", {}));
  REQUIRE_FALSE(page);
  CHECK(page.status().code() == Code::kInvalid);
  CHECK_THAT(page.status().message(), Catch::Contains("resourceVersion"));
}

TEST_CASE("a list whose metadata.continue is an object is an error, not an exception") {
  OneShotServer server(R"({"metadata":{"continue":{"x":1}},"items":[{"metadata":{}}]})");
  auto client = client_for(server);
  nca::Result<ListPage> page = nca::invalid("not called");
  REQUIRE_NOTHROW(page = client->list(resources::nodes(), "", {}));
  REQUIRE_FALSE(page);
  CHECK_THAT(page.status().message(), Catch::Contains("continue"));
}

TEST_CASE("a discovery entry with a non-string name is an error, never 'not served'") {
  OneShotServer server(R"({"kind":"APIResourceList","resources":[{"name":7},{"kind":"X"}]})");
  auto client = client_for(server);
  nca::Result<bool> served = false;
  REQUIRE_NOTHROW(served = client->has_resource("metal3.io", "v1alpha1", "baremetalhosts"));
  REQUIRE_FALSE(served);
  CHECK(served.status().code() == Code::kInvalid);
}

TEST_CASE("a discovery answer that is not a discovery document is an error, not 'not served'") {
  OneShotServer server(R"(["resources"])");
  auto client = client_for(server);
  auto served = client->has_resource("metal3.io", "v1alpha1", "baremetalhosts");
  REQUIRE_FALSE(served);
}

TEST_CASE("object names are percent-encoded in the request path") {
  OneShotServer server(R"({"metadata":{"name":"x"}})");
  auto client = client_for(server);
  (void)client->get(resources::configmaps(), "ns/../kube-system", "a b/..?watch=1#f%");
  CHECK(server.request_line() ==
        "GET /api/v1/namespaces/ns%2F..%2Fkube-system/configmaps/a%20b%2F..%3Fwatch%3D1%23f%25 "
        "HTTP/1.1");
}

TEST_CASE("dot segments are escaped, dotted names are kept") {
  CHECK(resources::nodes().object_path("", "..") == "/api/v1/nodes/%2E%2E");
  CHECK(resources::nodes().object_path("", ".") == "/api/v1/nodes/%2E");
  CHECK(resources::nodes().object_path("", "worker-0.example.com") ==
        "/api/v1/nodes/worker-0.example.com");
  CHECK(resources::csrs().object_path("", "csr-1", "approval") ==
        "/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-1/approval");
}

TEST_CASE("list pages: mistyped parts are errors, readable ones are kept") {
  auto ok = decode_list_page(
      json::parse(R"({"metadata":{"resourceVersion":"7","continue":""},"items":[1,{"a":2}]})"),
      "list of things");
  REQUIRE(ok);
  CHECK(ok->resource_version == "7");
  CHECK(ok->items.size() == 2);  // items are judged one by one later, not here
  CHECK_FALSE(decode_list_page(json::parse(R"({"metadata":[]})"), "l"));
  CHECK_FALSE(decode_list_page(json::parse(R"({"items":{}})"), "l"));
  CHECK_FALSE(decode_list_page(json::parse(R"("text")"), "l"));
  CHECK(decode_list_page(json::parse(R"({"metadata":null,"items":null})"), "l"));
}

TEST_CASE("discovery: a readable match wins over unreadable entries; absent is false") {
  auto doc = json::parse(R"({"resources":[{"name":1},{"name":"machines"}]})");
  auto found = discovery_lists_resource(doc, "machines");
  REQUIRE(found);
  CHECK(*found);
  auto none = json::parse(R"({"resources":[{"name":"other"}]})");
  auto r = discovery_lists_resource(none, "machines");
  REQUIRE(r);
  CHECK_FALSE(*r);
}

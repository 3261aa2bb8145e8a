#include "metrics/metrics_auth.h"

#include <catch2/catch.hpp>
#include <set>

#include "base/fake_clock.h"

using namespace nca;
using namespace nca::metrics;
using namespace std::chrono_literals;

namespace {

// Tokens "good-*" authenticate as user "system:serviceaccount:mon:*"; users in `allowed` may
// get /metrics. `fail_authn` / `fail_authz` make the reviews fail. Counts the calls.
class FakeReviewer final : public AccessReviewer {
 public:
  std::set<std::string> allowed;
  bool fail_authn = false, fail_authz = false;
  int authn_calls = 0, authz_calls = 0;
  std::string last_path, last_verb;
  std::vector<std::string> last_groups;

  Result<std::optional<ReviewedUser>> authenticate(const std::string& token) override {
    ++authn_calls;
    if (fail_authn) return Status(Code::kTimeout, "tokenreviews: deadline exceeded");
    if (token.rfind("good-", 0) != 0) return std::optional<ReviewedUser>();
    ReviewedUser u;
    u.username = "system:serviceaccount:mon:" + token.substr(5);
    u.uid = "uid-" + token;
    u.groups = {"system:serviceaccounts", "system:authenticated"};
    return std::optional<ReviewedUser>(u);
  }
  Result<bool> authorize(const ReviewedUser& user, const std::string& path,
                         const std::string& verb) override {
    ++authz_calls;
    last_path = path;
    last_verb = verb;
    last_groups = user.groups;
    if (fail_authz) return Status(Code::kUnavailable, "subjectaccessreviews: 503");
    return allowed.count(user.username) > 0;
  }
};

HttpRequest scrape(const std::string& authorization) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/metrics";
  if (!authorization.empty()) r.headers["authorization"] = authorization;
  return r;
}

struct Fixture {
  std::shared_ptr<FakeReviewer> reviewer = std::make_shared<FakeReviewer>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<MetricsAuthorizer> auth = std::make_shared<MetricsAuthorizer>(reviewer, clock);
  HttpHandler handler = require_authorized(auth, [](const HttpRequest&) {
    return HttpResponse{200, "text/plain; version=0.0.4", "node_csr_approver_up 1\n", {}};
  });
};

}  // namespace

TEST_CASE("Metrics auth: no or malformed token is 401 without asking the API server") {
  Fixture f;
  for (const std::string h : {"", "Basic dXNlcjpwdw==", "Bearer ", "Bearer"}) {
    const HttpResponse r = f.handler(scrape(h));
    CHECK(r.status == 401);
    CHECK(r.headers.at("WWW-Authenticate") == "Bearer");
    CHECK(r.body.find("node_csr_approver") == std::string::npos);
  }
  CHECK(f.reviewer->authn_calls == 0);
}

TEST_CASE("Metrics auth: an invalid token is 401, a denied user 403, an allowed one 200") {
  Fixture f;
  f.reviewer->allowed = {"system:serviceaccount:mon:prometheus"};
  CHECK(f.handler(scrape("Bearer bad-token")).status == 401);
  CHECK(f.reviewer->authz_calls == 0);

  const HttpResponse denied = f.handler(scrape("Bearer good-intruder"));
  CHECK(denied.status == 403);
  CHECK(denied.body.find("system:serviceaccount:mon:intruder") != std::string::npos);
  CHECK(denied.body.find("node_csr_approver") == std::string::npos);

  const HttpResponse allowed = f.handler(scrape("bearer  good-prometheus"));
  CHECK(allowed.status == 200);
  CHECK(allowed.body == "node_csr_approver_up 1\n");
  CHECK(f.reviewer->last_path == "/metrics");
  CHECK(f.reviewer->last_verb == "get");
  CHECK(f.reviewer->last_groups ==
        std::vector<std::string>{"system:serviceaccounts", "system:authenticated"});
}

TEST_CASE("Metrics auth fails closed when a review cannot be made, and does not cache it") {
  Fixture f;
  f.reviewer->allowed = {"system:serviceaccount:mon:prometheus"};
  f.reviewer->fail_authn = true;
  CHECK(f.handler(scrape("Bearer good-prometheus")).status == 503);
  f.reviewer->fail_authn = false;
  f.reviewer->fail_authz = true;
  const HttpResponse r = f.handler(scrape("Bearer good-prometheus"));
  CHECK(r.status == 503);
  CHECK(r.body.find("node_csr_approver") == std::string::npos);
  f.reviewer->fail_authz = false;
  CHECK(f.handler(scrape("Bearer good-prometheus")).status == 200);
  CHECK(f.reviewer->authn_calls == 3);
}

TEST_CASE("Metrics auth caches outcomes for the TTL only, bounded in size") {
  Fixture f;
  f.reviewer->allowed = {"system:serviceaccount:mon:prometheus"};
  CHECK(f.handler(scrape("Bearer good-prometheus")).status == 200);
  CHECK(f.handler(scrape("Bearer good-prometheus")).status == 200);
  CHECK(f.handler(scrape("Bearer good-intruder")).status == 403);
  CHECK(f.handler(scrape("Bearer good-intruder")).status == 403);
  CHECK(f.reviewer->authn_calls == 2);
  // The binding is removed: seen once the cached outcome expires.
  f.reviewer->allowed.clear();
  f.clock->advance(5s);
  CHECK(f.handler(scrape("Bearer good-prometheus")).status == 200);
  f.clock->advance(6s);
  CHECK(f.handler(scrape("Bearer good-prometheus")).status == 403);
  CHECK(f.reviewer->authn_calls == 3);

  auto small =
      std::make_shared<MetricsAuthorizer>(f.reviewer, f.clock, MetricsAuthSettings{10000ms, 2});
  for (const char* t : {"Bearer good-a", "Bearer good-b", "Bearer good-c", "Bearer good-a"}) {
    CHECK(small->check(scrape(t))->status == 403);
  }
  CHECK(f.reviewer->authn_calls == 3 + 4);  // a was dropped when c did not fit
}

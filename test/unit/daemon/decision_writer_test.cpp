// ApiDecisionWriter: one request per decision, bounded by the leadership deadline, nothing
// sent past it, conditional on the cached version, a decision by someone else not taken as
// ours.
#include <catch2/catch.hpp>

#include "base/fake_clock.h"
#include "daemon/api_adapters.h"
#include "fake_api.h"
#include "kube/decode.h"
#include "kube/resource.h"
#include "support/csr_builder.h"
#include "support/csr_object.h"

using namespace nca;
using namespace std::chrono_literals;

namespace {

struct Fixture {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<testing::FakeApi> api = std::make_shared<testing::FakeApi>();
  std::optional<MonoTime> deadline;  // what the elector would say
  daemon::ApiDecisionWriter writer{api, clock, "replica-a", [this] { return deadline; }};
  const std::string path = kube::resources::csrs().object_path("", "csr-a");
  kube::CertificateSigningRequest csr;

  Fixture() {
    auto opts = test::serving_csr_options("worker-0");
    opts.name = "csr-a";
    opts.uid = "uid-a";
    opts.resource_version = "7";
    auto obj = test::make_csr_object(opts, test::CsrBuilder::kubelet_serving("worker-0").pem());
    api->objects[path] = obj;
    csr = kube::decode_csr(obj).value();
    deadline = clock->now() + 5s;
  }
  nlohmann::json stored() { return api->object_at(path); }
  std::size_t approvals() {
    std::size_t n = 0;
    const auto obj = stored();
    if (!obj.contains("status") || !obj["status"].contains("conditions")) return 0;
    for (const auto& c : obj["status"]["conditions"]) {
      n += c.value("type", "") == "Approved";
    }
    return n;
  }
};

}  // namespace

TEST_CASE("an approval is one conditional PATCH from the cached copy, naming its writer") {
  Fixture f;
  REQUIRE(f.writer.write(f.csr, true, "NodeCSRApproverApproved", "serving CSR matches").is_ok());
  CHECK(f.api->bounded == std::vector<std::string>{"PATCH"});  // no re-read first
  CHECK(f.api->timeouts == std::vector<std::chrono::milliseconds>{5000ms});
  REQUIRE(f.approvals() == 1);
  const auto obj = f.stored();
  const auto& c = obj["status"]["conditions"][0];
  CHECK(c["reason"] == "NodeCSRApproverApproved");
  CHECK(c["message"] == "serving CSR matches [by replica replica-a]");
  CHECK(obj["spec"] == f.api->objects.begin()->second["spec"]);
}

TEST_CASE("nothing is sent without a leadership deadline or once it has passed") {
  Fixture f;
  SECTION("not leading") {
    f.deadline.reset();
    CHECK(f.writer.write(f.csr, true, "NodeCSRApproverApproved", "m").code() == Code::kCancelled);
    CHECK(f.writer.reread("csr-a").status().code() == Code::kCancelled);
    CHECK(f.api->bounded.empty());
  }
  SECTION("less than a millisecond left counts as none") {
    f.deadline = f.clock->now() + 999us;
    CHECK(f.writer.write(f.csr, true, "NodeCSRApproverApproved", "m").code() == Code::kCancelled);
    CHECK(f.api->bounded.empty());
  }
  SECTION("the re-read gets only the time left") {
    f.clock->advance(2s);
    REQUIRE(f.writer.reread("csr-a"));
    CHECK(f.api->timeouts == std::vector<std::chrono::milliseconds>{3000ms});
  }
}

TEST_CASE("a PATCH that meets another replica's decision is a 409, not a second approval") {
  Fixture f;
  // After our cache's copy, the other replica approved (its write bumped the
  // resourceVersion): our PATCH carries the version we decided on and is refused.
  auto theirs = f.stored();
  theirs["status"]["conditions"] = nlohmann::json::array(
      {{{"type", "Approved"}, {"status", "True"}, {"reason", "R"}, {"message", "b"}}});
  f.api->overwrite(f.path, theirs);
  Status st = f.writer.write(f.csr, true, "NodeCSRApproverApproved", "m");
  CHECK(st.code() == Code::kConflict);
  CHECK(f.approvals() == 1);
  CHECK(f.stored()["status"]["conditions"][0]["message"] == "b");
  // The re-read shows the caller what happened.
  auto fresh = f.writer.reread("csr-a");
  REQUIRE(fresh);
  CHECK((*fresh)->is_approved());
  CHECK(f.api->bounded == std::vector<std::string>{"PATCH", "GET"});
}

TEST_CASE("a CSR replaced under the same name is never decided by the old one's write") {
  Fixture f;
  auto other = f.stored();
  other["metadata"]["uid"] = "uid-b";
  f.api->overwrite(f.path, other);
  auto stale = f.csr;
  stale.metadata.resource_version = f.stored()["metadata"]["resourceVersion"];  // same version
  CHECK(f.writer.write(stale, true, "NodeCSRApproverApproved", "m").code() == Code::kConflict);
  CHECK(f.approvals() == 0);
}

// ApiDecisionWriter: every request bounded by the leadership deadline, nothing sent past
// it, the PUT conditional on what was read, a decision by someone else not taken as ours.
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

TEST_CASE("an approval names its writer and each request gets only the time left") {
  Fixture f;
  // The re-read takes 2 s of the 5 s left: the PUT gets the other 3 s.
  f.api->on_bounded = [&](const std::string& verb) {
    if (verb == "GET") f.clock->advance(2s);
  };
  REQUIRE(f.writer.write(f.csr, true, "NodeCSRApproverApproved", "serving CSR matches").is_ok());
  CHECK(f.api->bounded == std::vector<std::string>{"GET", "PUT"});
  CHECK(f.api->timeouts == std::vector<std::chrono::milliseconds>{5000ms, 3000ms});
  REQUIRE(f.approvals() == 1);
  const auto obj = f.stored();
  const auto& c = obj["status"]["conditions"][0];
  CHECK(c["reason"] == "NodeCSRApproverApproved");
  CHECK(c["message"] == "serving CSR matches [by replica replica-a]");
}

TEST_CASE("nothing is sent without a leadership deadline or once it has passed") {
  Fixture f;
  SECTION("not leading: not even the re-read") {
    f.deadline.reset();
    Status st = f.writer.write(f.csr, true, "NodeCSRApproverApproved", "m");
    CHECK(st.code() == Code::kCancelled);
    CHECK(f.api->bounded.empty());
  }
  SECTION("the deadline passes during the re-read: the PUT is not sent") {
    // The leader checked is_leader(), then its read stalled past the deadline (on main the
    // PUT followed whenever the read came back, with the shared client's 30 s timeout).
    f.api->on_bounded = [&](const std::string& verb) {
      if (verb == "GET") f.clock->advance(5s);
    };
    Status st = f.writer.write(f.csr, true, "NodeCSRApproverApproved", "m");
    CHECK(st.code() == Code::kCancelled);
    CHECK(f.api->bounded == std::vector<std::string>{"GET"});
    CHECK(f.api->writes == 0);
    CHECK(f.approvals() == 0);
  }
  SECTION("less than a millisecond left counts as none") {
    f.deadline = f.clock->now() + 999us;
    CHECK(f.writer.write(f.csr, true, "NodeCSRApproverApproved", "m").code() == Code::kCancelled);
    CHECK(f.api->bounded.empty());
  }
}

TEST_CASE("a PUT that meets another replica's decision is a 409, not a second approval") {
  Fixture f;
  // Between our read and our PUT the other replica approves (its write bumps the
  // resourceVersion): our PUT carries the version we read and is refused.
  bool other_wrote = false;
  f.api->on_bounded = [&](const std::string& verb) {
    if (verb != "PUT" || other_wrote) return;
    other_wrote = true;
    auto theirs = f.stored();
    theirs["status"]["conditions"] = nlohmann::json::array(
        {{{"type", "Approved"}, {"status", "True"}, {"reason", "R"}, {"message", "b"}}});
    f.api->overwrite(f.path, theirs);
  };
  Status st = f.writer.write(f.csr, true, "NodeCSRApproverApproved", "m");
  CHECK(st.code() == Code::kAlreadyExists);  // decided by someone else: not ours
  CHECK(f.approvals() == 1);
  CHECK(f.stored()["status"]["conditions"][0]["message"] == "b");
  // One refused PUT, one re-read that saw the decision, and no further attempt.
  CHECK(f.api->bounded == std::vector<std::string>{"GET", "PUT", "GET"});
}

TEST_CASE("a CSR already decided when re-read is left alone") {
  Fixture f;
  auto decided = f.stored();
  decided["status"]["conditions"] = nlohmann::json::array(
      {{{"type", "Denied"}, {"status", "True"}, {"reason", "R"}, {"message", "admin"}}});
  f.api->overwrite(f.path, decided);
  CHECK(f.writer.write(f.csr, true, "NodeCSRApproverApproved", "m").code() == Code::kAlreadyExists);
  CHECK(f.api->writes == 0);
}

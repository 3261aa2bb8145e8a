// DnsEvidence follows the config: no resolver while resolveDNS is off, one built from
// serving.dns when on (rebuilt only when it changes), answers re-queue the waiting CSRs,
// and a backend c-ares refuses leaves lookups failing transiently with its error.
#include "daemon/dns_evidence.h"

#include <catch2/catch.hpp>

#include "base/fake_clock.h"
#include "dns/ares_backend.h"

using namespace nca;
using St = policy::LookupResult::Status;

namespace {

class InlineBackend : public dns::DnsBackend {
 public:
  void resolve(const std::string&, Callback done) override { held.push_back(std::move(done)); }
  void reverse(const x509::IpAddress&, Callback done) override { held.push_back(std::move(done)); }
  std::vector<Callback> held;
};

struct Fixture {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::vector<std::string> requeued;
  std::vector<std::shared_ptr<InlineBackend>> built;
  std::string refuse;  // when set, the factory fails with it
  daemon::DnsEvidence dns{
      clock, std::make_shared<metrics::Metrics>("test"),
      [this](std::vector<std::string> keys) {
        requeued.insert(requeued.end(), keys.begin(), keys.end());
      },
      [this](const policy::DnsConfig&) -> Result<std::shared_ptr<dns::DnsBackend>> {
        if (!refuse.empty()) return invalid(refuse);
        built.push_back(std::make_shared<InlineBackend>());
        return std::shared_ptr<dns::DnsBackend>(built.back());
      }};
};

}  // namespace

TEST_CASE("DnsEvidence: off means no resolver; on builds one that re-queues waiters") {
  Fixture f;
  policy::ServingConfig serving;
  f.dns.configure(serving);
  CHECK(f.built.empty());
  auto off = f.dns.lookup("w0.example.com", "csr-a");
  CHECK(off.status == St::kTransient);
  CHECK(off.error == "no DNS resolver is configured");

  serving.resolve_dns = true;
  f.dns.configure(serving);
  REQUIRE(f.built.size() == 1);
  CHECK(f.dns.lookup("w0.example.com", "csr-a").status == St::kPending);
  REQUIRE(f.built[0]->held.size() == 1);
  dns::DnsAnswer a;
  a.kind = dns::DnsAnswer::Kind::kFound;
  a.addresses = {*x509::parse_ip("192.0.2.10")};
  f.built[0]->held[0](a);
  CHECK(f.requeued == std::vector<std::string>{"csr-a"});
  CHECK(f.dns.lookup("w0.example.com", "csr-a").status == St::kFound);

  f.dns.configure(serving);  // unchanged settings: the same resolver and cache
  CHECK(f.built.size() == 1);
  serving.dns.servers = {"127.0.0.1:5353"};
  f.dns.configure(serving);  // changed: a new one, with an empty cache
  CHECK(f.built.size() == 2);
  CHECK(f.dns.lookup("w0.example.com", "csr-a").status == St::kPending);

  f.dns.stop();
  CHECK(f.dns.lookup("w0.example.com", "csr-a").status == St::kTransient);
}

TEST_CASE("DnsEvidence: a backend that cannot be built fails lookups transiently, with why") {
  Fixture f;
  f.refuse = "serving.dns.servers: Invalid input";
  policy::ServingConfig serving;
  serving.resolve_dns = true;
  f.dns.configure(serving);
  auto r = f.dns.lookup("w0.example.com", "csr-a");
  CHECK(r.status == St::kTransient);
  CHECK(r.error == "serving.dns.servers: Invalid input");
}

TEST_CASE("AresBackend refuses a server list c-ares cannot parse") {
  policy::DnsConfig c;
  c.servers = {"not an address"};
  auto b = dns::AresBackend::create(c);
  REQUIRE_FALSE(b.is_ok());
  CHECK_THAT(b.status().message(), Catch::Contains("serving.dns.servers"));
}

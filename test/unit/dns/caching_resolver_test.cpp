// CachingResolver over a fake backend on a FakeClock: one query per name however many
// CSRs ask, waiters told when the answer lands, TTLs clamped, NXDOMAIN cached for
// negativeTTL, transient failures retried with backoff only while someone waits.
#include "dns/caching_resolver.h"

#include <catch2/catch.hpp>
#include <deque>
#include <mutex>

#include "base/fake_clock.h"

using namespace nca;
using namespace nca::dns;
using namespace std::chrono_literals;
using St = policy::LookupResult::Status;

namespace {

// Holds every query until the test answers it.
class HeldBackend : public DnsBackend {
 public:
  struct Asked {
    std::string what;
    Callback done;
  };
  std::deque<Asked> asked;
  void resolve(const std::string& name, Callback done) override {
    asked.push_back({name, std::move(done)});
  }
  void reverse(const x509::IpAddress& ip, Callback done) override {
    asked.push_back({"PTR " + ip.text, std::move(done)});
  }
  // Answers the oldest query.
  void answer(DnsAnswer a) {
    REQUIRE_FALSE(asked.empty());
    auto q = std::move(asked.front());
    asked.pop_front();
    q.done(std::move(a));
  }
};

DnsAnswer found(std::vector<const char*> ips, int ttl) {
  DnsAnswer a;
  a.kind = DnsAnswer::Kind::kFound;
  for (const char* t : ips) a.addresses.push_back(*x509::parse_ip(t));
  a.ttl = std::chrono::seconds(ttl);
  return a;
}

DnsAnswer of_kind(DnsAnswer::Kind k, const char* error) {
  DnsAnswer a;
  a.kind = k;
  a.error = error;
  return a;
}

class CountingObserver : public DnsObserver {
 public:
  std::vector<std::string> results;
  int hits = 0;
  void lookup_done(std::string_view type, std::string_view result, double) override {
    results.push_back(std::string(type) + " " + std::string(result));
  }
  void cache_hit() override { ++hits; }
};

struct Fixture {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<HeldBackend> backend = std::make_shared<HeldBackend>();
  std::shared_ptr<CountingObserver> observer = std::make_shared<CountingObserver>();
  std::vector<std::string> told;
  policy::DnsConfig config;
  std::unique_ptr<CachingResolver> resolver;

  explicit Fixture(policy::DnsConfig c = {}) : config(c) {
    resolver = std::make_unique<CachingResolver>(
        backend, clock, config,
        [this](std::vector<std::string> w) { told.insert(told.end(), w.begin(), w.end()); },
        observer);
  }
};

}  // namespace

TEST_CASE("a lookup never blocks: pending, one query for all askers, waiters told") {
  Fixture f;
  CHECK(f.resolver->lookup("w0.example.com", "csr-a").status == St::kPending);
  CHECK(f.resolver->lookup("w0.example.com", "csr-b").status == St::kPending);
  REQUIRE(f.backend->asked.size() == 1);
  CHECK(f.backend->asked[0].what == "w0.example.com");
  CHECK(f.told.empty());

  f.backend->answer(found({"192.0.2.10"}, 60));
  CHECK(f.told == std::vector<std::string>{"csr-a", "csr-b"});
  auto r = f.resolver->lookup("w0.example.com", "csr-a");
  CHECK(r.status == St::kFound);
  REQUIRE(r.addresses.size() == 1);
  CHECK(r.addresses[0].text == "192.0.2.10");
  CHECK(r.ttl == 60s);
  CHECK(f.backend->asked.empty());  // answered from the cache
  CHECK(f.observer->hits == 1);
  CHECK(f.observer->results == std::vector<std::string>{"A/AAAA found"});
}

TEST_CASE("answers are believed for their TTL clamped to [minTTL, maxTTL]") {
  policy::DnsConfig c;
  c.min_ttl = 5s;
  c.max_ttl = 100s;
  Fixture f(c);
  (void)f.resolver->lookup("zero.example.com", "x");
  f.backend->answer(found({"192.0.2.1"}, 0));
  (void)f.resolver->lookup("long.example.com", "x");
  f.backend->answer(found({"192.0.2.2"}, 86400));

  f.clock->advance(4s);  // a TTL-0 answer still counts for minTTL
  CHECK(f.resolver->lookup("zero.example.com", "x").status == St::kFound);
  f.clock->advance(2s);
  CHECK(f.resolver->lookup("zero.example.com", "x").status == St::kPending);
  CHECK(f.resolver->lookup("long.example.com", "x").ttl == 94s);
  f.clock->advance(95s);  // maxTTL caps a day-long TTL
  CHECK(f.resolver->lookup("long.example.com", "x").status == St::kPending);
}

TEST_CASE("NXDOMAIN is cached for negativeTTL") {
  policy::DnsConfig c;
  c.negative_ttl = 30s;
  Fixture f(c);
  (void)f.resolver->lookup("gone.example.com", "x");
  f.backend->answer(of_kind(DnsAnswer::Kind::kNotFound, "Domain name not found"));
  auto r = f.resolver->lookup("gone.example.com", "x");
  CHECK(r.status == St::kNotFound);
  CHECK(r.error == "Domain name not found");
  f.clock->advance(31s);
  CHECK(f.resolver->lookup("gone.example.com", "x").status == St::kPending);
  CHECK(f.backend->asked.size() == 1);
}

TEST_CASE("a transient failure is retried with backoff while a CSR waits, then answers it") {
  Fixture f;
  (void)f.resolver->lookup("flaky.example.com", "csr-a");
  f.backend->answer(of_kind(DnsAnswer::Kind::kTransient, "Timeout while contacting DNS servers"));
  CHECK(f.told == std::vector<std::string>{"csr-a"});  // re-evaluated: shows the failure
  f.told.clear();
  // The CSR, evaluated again, sees the failure (no new query yet) and waits on.
  CHECK(f.resolver->lookup("flaky.example.com", "csr-a").status == St::kTransient);
  CHECK(f.backend->asked.empty());
  f.clock->advance(1s);  // first backoff: asked again by the timer
  REQUIRE(f.backend->asked.size() == 1);
  f.backend->answer(of_kind(DnsAnswer::Kind::kTransient, "Timeout while contacting DNS servers"));
  CHECK(f.resolver->lookup("flaky.example.com", "csr-a").status == St::kTransient);
  f.clock->advance(1s);  // the second backoff is 2 s
  CHECK(f.backend->asked.empty());
  f.clock->advance(1s);
  REQUIRE(f.backend->asked.size() == 1);
  f.told.clear();
  f.backend->answer(found({"192.0.2.10"}, 60));  // the server answers again
  CHECK(f.told == std::vector<std::string>{"csr-a"});
  CHECK(f.resolver->lookup("flaky.example.com", "csr-a").status == St::kFound);
}

TEST_CASE("no retries for a transient failure nobody waits for") {
  Fixture f;
  (void)f.resolver->lookup("flaky.example.com", "csr-a");
  f.backend->answer(of_kind(DnsAnswer::Kind::kTransient, "timeout"));
  // csr-a is not evaluated again (deleted meanwhile): nothing asks.
  f.clock->advance(10min);
  CHECK(f.backend->asked.empty());
}

TEST_CASE("PTR lookups are cached apart from address lookups") {
  Fixture f;
  const auto ip = *x509::parse_ip("192.0.2.10");
  CHECK(f.resolver->reverse(ip, "x").status == St::kPending);
  REQUIRE(f.backend->asked.size() == 1);
  CHECK(f.backend->asked[0].what == "PTR 192.0.2.10");
  DnsAnswer a;
  a.kind = DnsAnswer::Kind::kFound;
  a.names = {"worker-0.example.com"};
  f.backend->answer(a);
  auto r = f.resolver->reverse(ip, "x");
  CHECK(r.status == St::kFound);
  CHECK(r.names == std::vector<std::string>{"worker-0.example.com"});
  CHECK(f.observer->results == std::vector<std::string>{"PTR found"});
}

TEST_CASE("an answer arriving after the resolver is gone is dropped") {
  Fixture f;
  (void)f.resolver->lookup("w0.example.com", "x");
  auto held = std::move(f.backend->asked.front());
  f.backend->asked.clear();
  f.resolver.reset();
  held.done(found({"192.0.2.10"}, 60));  // no crash, nobody told
  CHECK(f.told.empty());
}

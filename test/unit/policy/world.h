// Test world for policy tests: a small cluster inventory, a config, and CSR requests built
// with CsrBuilder at test time, evaluated through x509::parse_csr_pem + policy::evaluate.
//
// The default world: nodes worker-0 (192.0.2.10, 2001:db8::10) and worker-1 (192.0.2.11,
// 2001:db8::11), both with linked OpenShift Machines; machine worker-2 (192.0.2.12),
// created at 11:00, no Node yet. CSRs are created at 12:00.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "inventory/machine.h"
#include "kube/objects.h"
#include "policy/config.h"
#include "policy/decision.h"
#include "policy/live_certificate.h"
#include "policy/resolver.h"
#include "support/csr_builder.h"

namespace nca::policy::testing {

WallTime at(const char* rfc3339);

inventory::Machine machine(const std::string& node_name, std::vector<std::string> hostnames,
                           std::vector<std::string> ips, bool linked = true,
                           std::optional<WallTime> created = at("2026-11-20T10:00:00Z"),
                           inventory::Source source = inventory::Source::kOpenShiftMachine);
inventory::Machine node(const std::string& name, std::vector<std::string> hostnames,
                        std::vector<std::string> ips);
x509::IpAddress ip(const char* text);

// A resolver answering from a table; names not in it are NotFound, names mapped to
// "TRANSIENT" fail transiently, to "PENDING" are not answered yet. `ptr` maps IP texts to
// PTR names the same way. Counts lookups and remembers the last waiter.
class FakeResolver : public Resolver {
 public:
  std::vector<std::pair<std::string, std::vector<std::string>>> table;
  std::vector<std::pair<std::string, std::vector<std::string>>> ptr;
  mutable int lookups = 0;
  mutable int reverse_lookups = 0;
  mutable std::string last_waiter;
  LookupResult lookup(std::string_view hostname, std::string_view waiter) const override;
  LookupResult reverse(const x509::IpAddress& ip, std::string_view waiter) const override;
};

// A live-certificate source answering with `answer` for every node; counts fetches.
class FakeLiveCertificates : public LiveCertificateSource {
 public:
  LiveCertificate answer;
  mutable int fetches = 0;
  mutable std::string last_node;
  LiveCertificate fetch(const inventory::Machine& node, std::string_view waiter) const override;
};

struct World {
  inventory::Snapshot inventory;
  PolicyConfig config;
  WallTime now = at("2026-11-23T12:30:00Z");
  std::int64_t pending_bootstrap = 1;
  const Resolver* resolver = nullptr;
  const LiveCertificateSource* live_certificates = nullptr;

  static World standard();
};

// A CSR under construction: the object and the builder of its spec.request.
struct Request {
  kube::CertificateSigningRequest object;
  test::CsrBuilder builder;
  std::optional<std::string> pem;  // when set, used instead of builder.pem()

  static Request serving(const std::string& node_name);      // EC, DNS SAN = node name
  static Request serving_rsa(const std::string& node_name);  // + key encipherment
  static Request renewal(const std::string& node_name);      // EC, no SANs
  static Request bootstrap(const std::string& node_name);    // from the bootstrapper SA
};

Decision evaluate_request(const World& world, const Request& request);

// One row of a table test.
struct Case {
  std::string name;
  std::function<Request()> request;
  std::function<void(World&)> world;  // may be empty: World::standard() as is
  Outcome outcome;
  std::string reason;
};

std::vector<Case> serving_cases();
std::vector<Case> client_cases();
std::vector<Case> outcome_cases();

}  // namespace nca::policy::testing

// Behaviour of evaluate() beyond the table's outcome/reason: the trace, the decision's
// fields, dry-run, which rules run when, and the resolver seam.
#include "policy/evaluate.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "world.h"
#include "x509/csr_parser.h"

using namespace nca::policy;
using namespace nca::policy::testing;

namespace {

Request w0() {
  Request r = Request::serving("worker-0");
  r.builder.ip("192.0.2.10");
  return r;
}

std::vector<std::string> names(const Decision& d) {
  std::vector<std::string> out;
  for (const auto& c : d.checks) out.push_back(c.name);
  return out;
}

bool has_check(const Decision& d, std::string_view name, bool ok) {
  return std::any_of(d.checks.begin(), d.checks.end(),
                     [&](const Check& c) { return c.name == name && c.ok == ok; });
}

}  // namespace

TEST_CASE("approved serving CSR: kind, node name and a full trace") {
  World w = World::standard();
  Decision d = evaluate_request(w, w0());
  CHECK(d.outcome == Outcome::kApprove);
  CHECK(d.kind == CsrKind::kServing);
  CHECK(d.node_name == "worker-0");
  CHECK_FALSE(d.dry_run);
  const std::vector<std::string> expected = {"csr.kind",
                                             "requester.groups",
                                             "requester.node-name",
                                             "request.parse",
                                             "request.signature",
                                             "subject.common-name",
                                             "subject.organization",
                                             "subject.other-attributes",
                                             "request.extensions",
                                             "request.key",
                                             "request.usages",
                                             "request.expiration",
                                             "san.no-email",
                                             "san.no-uri",
                                             "san.no-other",
                                             "serving.has-san",
                                             "serving.cluster-internal",
                                             "node.exists",
                                             "serving.machine",
                                             "serving.san-dns",
                                             "serving.san-ip"};
  CHECK(names(d) == expected);
  // The SAN checks say which machine vouched for each value.
  auto ip = std::find_if(d.checks.begin(), d.checks.end(),
                         [](const Check& c) { return c.name == "serving.san-ip"; });
  REQUIRE(ip != d.checks.end());
  CHECK(ip->detail ==
        "IP SAN 192.0.2.10 is an address of OpenShiftMachine "
        "openshift-machine-api/worker-0");
}

TEST_CASE("every failing check is traced; the first one gives the reason") {
  World w = World::standard();
  Request r = w0();
  r.builder.ip("192.0.2.11").dns("*.example.com").email("x@y.z");
  r.object.usages = {"digital signature", "client auth"};
  Decision d = evaluate_request(w, r);
  CHECK(d.outcome == Outcome::kPending);
  CHECK(d.reason == "UsagesMismatch");
  CHECK(has_check(d, "request.usages", false));
  CHECK(has_check(d, "san.no-email", false));
  CHECK(has_check(d, "serving.san-dns", false));
  CHECK(has_check(d, "serving.san-ip", false));
  CHECK(has_check(d, "serving.san-ip", true));  // 192.0.2.10 is fine and says so
}

TEST_CASE("a request that does not parse skips the rules that need it") {
  World w = World::standard();
  Request r = w0();
  r.pem = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n";
  Decision d = evaluate_request(w, r);
  CHECK(d.reason == "CsrUnparseable");
  CHECK_FALSE(has_check(d, "request.signature", true));
  CHECK_FALSE(has_check(d, "request.signature", false));
  CHECK_FALSE(has_check(d, "serving.san-ip", true));
  CHECK(has_check(d, "node.exists", true));  // needs no request
}

TEST_CASE("an invalid node name skips the inventory rules") {
  World w = World::standard();
  Decision d = evaluate_request(w, Request::serving("Bad_Name"));
  CHECK(d.reason == "InvalidNodeName");
  CHECK(d.node_name == "Bad_Name");
  for (const auto& c : d.checks) {
    CHECK_FALSE(c.name.starts_with("serving.san"));
    CHECK(c.name != "node.exists");
  }
}

TEST_CASE("ignored CSRs carry only the classification") {
  World w = World::standard();
  Request r = w0();
  r.object.signer_name = "example.com/foo";
  Decision d = evaluate_request(w, r);
  CHECK(d.outcome == Outcome::kIgnore);
  CHECK(d.kind == CsrKind::kUnknown);
  REQUIRE(d.checks.size() == 1);
  CHECK(d.checks[0].name == "csr.kind");
  CHECK_FALSE(d.checks[0].ok);
}

TEST_CASE("dry-run marks the decision and keeps the would-be outcome") {
  World w = World::standard();
  w.config.dry_run = true;
  Decision approved = evaluate_request(w, w0());
  CHECK(approved.outcome == Outcome::kApprove);
  CHECK(approved.dry_run);

  w.config.failure_action = FailureAction::kDeny;
  Request bad = w0();
  bad.builder.ip("192.0.2.11");
  Decision denied = evaluate_request(w, bad);
  CHECK(denied.outcome == Outcome::kDeny);
  CHECK(denied.dry_run);
}

TEST_CASE("evaluate is deterministic for the same input") {
  World w = World::standard();
  nca::kube::CertificateSigningRequest obj = w0().object;
  obj.request_pem = w0().builder.pem();
  auto parsed = nca::x509::parse_csr_pem(obj.request_pem);
  EvaluationInput in{obj, parsed, w.inventory, w.now, 1, nullptr};
  Decision a = evaluate(in, w.config);
  Decision b = evaluate(in, w.config);
  CHECK(a.reason == b.reason);
  CHECK(a.message == b.message);
  CHECK(names(a) == names(b));
}

TEST_CASE("DNS lookups happen only for CSRs that passed every other check") {
  World w = World::standard();
  FakeResolver resolver;
  resolver.table = {{"worker-0", {"192.0.2.10"}}};
  w.config.serving.resolve_dns = true;
  w.resolver = &resolver;

  Decision good = evaluate_request(w, w0());
  CHECK(good.outcome == Outcome::kApprove);
  CHECK(resolver.lookups == 1);
  CHECK(has_check(good, "serving.dns-resolves", true));

  Request bad = w0();
  bad.builder.ip("192.0.2.11");
  Decision refused = evaluate_request(w, bad);
  CHECK(refused.reason == "SanIpNotInInventory");
  CHECK(resolver.lookups == 1);  // no lookup for a CSR that already failed
}

TEST_CASE("a transient lookup leaves the CSR pending even under deny") {
  World w = World::standard();
  FakeResolver resolver;
  resolver.table = {{"worker-0", {"TRANSIENT"}}};
  w.config.serving.resolve_dns = true;
  w.config.failure_action = FailureAction::kDeny;
  w.resolver = &resolver;
  Decision d = evaluate_request(w, w0());
  CHECK(d.outcome == Outcome::kPending);
  CHECK(d.reason == "DnsLookupTransient");
  CHECK_THAT(d.message, Catch::Contains("i/o timeout"));
}

TEST_CASE("resolveDNS off: the resolver is never consulted") {
  World w = World::standard();
  FakeResolver resolver;
  w.resolver = &resolver;
  CHECK(evaluate_request(w, w0()).outcome == Outcome::kApprove);
  CHECK(resolver.lookups == 0);
}

TEST_CASE("pending guard: derived limit counts machines still waiting for a Node") {
  World w = World::standard();  // one machine (worker-2) awaits its Node
  w.config.pending_guard.slack = 0;
  w.pending_bootstrap = 1;
  CHECK(evaluate_request(w, Request::bootstrap("worker-2")).outcome == Outcome::kApprove);
  w.pending_bootstrap = 2;
  Decision d = evaluate_request(w, Request::bootstrap("worker-2"));
  CHECK(d.reason == "PendingGuardExceeded");
  CHECK_THAT(d.message, Catch::Contains("1 machines awaiting a Node"));
  // A second waiting machine raises the limit.
  w.inventory.machines.push_back(
      machine("worker-3", {"worker-3"}, {"192.0.2.13"}, false, at("2026-11-23T11:30:00Z")));
  CHECK(evaluate_request(w, Request::bootstrap("worker-2")).outcome == Outcome::kApprove);
}

TEST_CASE("bootstrap window is measured from the newest machine record") {
  World w = World::standard();
  // An old BareMetalHost and a fresh Machine describe the same host.
  w.inventory.machines.push_back(machine("worker-2", {"worker-2"}, {"192.0.2.12"}, false,
                                         at("2025-01-01T00:00:00Z"),
                                         nca::inventory::Source::kBareMetalHost));
  Decision d = evaluate_request(w, Request::bootstrap("worker-2"));
  CHECK(d.outcome == Outcome::kApprove);
  CHECK(d.kind == CsrKind::kClientBootstrap);
  CHECK(d.node_name == "worker-2");
}

TEST_CASE("machine names as DNS sees them: two machines folding to one name approve neither") {
  World w = World::standard();
  auto& cloud = w.inventory.machines[2];  // worker-2, awaiting its Node
  cloud.name = "ocp-worker-a";
  cloud.node_name = "ip-10-0-1-2.ec2.internal";
  cloud.node_names_as_written = {"IP-10-0-1-2.EC2.INTERNAL."};
  Request r = Request::bootstrap("ip-10-0-1-2.ec2.internal");
  Decision ok = evaluate_request(w, r);
  CHECK(ok.outcome == Outcome::kApprove);
  bool traced = false;
  for (const auto& c : ok.checks) {
    traced |= c.name == "bootstrap.machine" &&
              c.detail.find("ocp-worker-a (as \"IP-10-0-1-2.EC2.INTERNAL.\")") != std::string::npos;
  }
  CHECK(traced);  // the trace keeps what the source said

  auto twin =
      machine("ip-10-0-1-2.ec2.internal", {}, {"10.0.1.2"}, false, at("2026-11-23T11:30:00Z"));
  twin.name = "ocp-worker-b";
  w.inventory.machines.push_back(twin);
  Decision d = evaluate_request(w, r);
  CHECK(d.outcome == Outcome::kPending);
  CHECK(d.reason == "MachineAmbiguous");
  CHECK_THAT(d.message,
             Catch::Contains("OpenShiftMachine openshift-machine-api/ocp-worker-a (as "
                             "\"IP-10-0-1-2.EC2.INTERNAL.\")") &&
                 Catch::Contains("OpenShiftMachine openshift-machine-api/ocp-worker-b") &&
                 Catch::Contains("neither is approved"));
  // A failure like any other: failureAction deny denies it.
  w.config.failure_action = FailureAction::kDeny;
  CHECK(evaluate_request(w, r).outcome == Outcome::kDeny);
}

TEST_CASE("Node-reported names and addresses: trusted only as configured") {
  World w = World::standard();
  w.inventory.nodes[0].hostnames.push_back("self-claimed.example.com");
  Request r = w0();
  r.builder.dns("self-claimed.example.com");
  SECTION("auto with an inventory source: not trusted") {
    CHECK(evaluate_request(w, r).reason == "SanDnsNotInInventory");
  }
  SECTION("always: trusted") {
    w.config.serving.trust_node_addresses = TrustNodeAddresses::kAlways;
    CHECK(evaluate_request(w, r).outcome == Outcome::kApprove);
  }
  SECTION("never, even without inventory: no basis at all") {
    w.inventory.machines.clear();
    w.inventory.has_inventory_source = false;
    w.config.serving.trust_node_addresses = TrustNodeAddresses::kNever;
    CHECK(evaluate_request(w, r).reason == "MachineNotFound");
  }
}

TEST_CASE("cluster-internal SANs: the message names the SAN and why; no later rule vouches") {
  World w = World::standard();
  w.inventory.machines.clear();
  w.inventory.has_inventory_source = false;  // trustNodeAddresses auto: Node addresses count
  w.inventory.cluster_network.kubernetes_service_ips = {
      {"10.96.0.1/32", "Service default/kubernetes"}};
  w.inventory.nodes[0].hostnames.push_back("kubernetes.default.svc");
  w.inventory.nodes[0].addresses.push_back(ip("10.96.0.1"));
  Request r = w0();
  r.builder.dns("kubernetes.default.svc");
  r.builder.ip("10.96.0.1");
  Decision d = evaluate_request(w, r);
  CHECK(d.outcome == Outcome::kPending);
  CHECK(d.reason == "ClusterInternalName");
  CHECK_THAT(d.message, Catch::Contains("\"kubernetes.default.svc\"") &&
                            Catch::Contains("under .svc") && Catch::Contains("never approved"));
  std::vector<std::string> failed;
  for (const auto& c : d.checks) {
    if (!c.ok) failed.push_back(c.detail);
    // The Node reports both values, yet no SAN rule may call them known.
    if (c.ok && (c.name == "serving.san-dns" || c.name == "serving.san-ip")) {
      CHECK_THAT(c.detail,
                 !Catch::Contains("kubernetes.default.svc") && !Catch::Contains("10.96.0.1"));
    }
  }
  REQUIRE(failed.size() == 2);
  CHECK_THAT(failed[1], Catch::StartsWith("ClusterInternalAddress: IP SAN 10.96.0.1 is a "
                                          "ClusterIP of Service default/kubernetes"));
}

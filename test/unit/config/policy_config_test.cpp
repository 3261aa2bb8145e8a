#include "config/policy_config.h"

#include <catch2/catch.hpp>

using nca::Code;
using nca::config::parse_policy_config;
using namespace nca::policy;

namespace {

// The error message for `yaml`, which must be invalid.
std::string error_of(const std::string& yaml) {
  auto r = parse_policy_config(yaml, "test.yaml");
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kInvalid);
  return r.status().message();
}

}  // namespace

TEST_CASE("an empty document is the safe default config") {
  for (const char* text : {"", "\n", "# just a comment\n", "---\n", "{}"}) {
    INFO(text);
    auto r = parse_policy_config(text);
    REQUIRE(r.is_ok());
    const PolicyConfig& c = r.value();
    CHECK(c.failure_action == FailureAction::kPending);
    CHECK_FALSE(c.dry_run);
    CHECK(c.serving.trust_node_addresses == TrustNodeAddresses::kAuto);
    CHECK_FALSE(c.serving.resolve_dns);
    CHECK(c.serving.allowed_cidrs.empty());
    CHECK(c.bootstrap.usernames ==
          std::vector<std::string>{std::string(kDefaultBootstrapUsername)});
    CHECK(c.bootstrap.groups == std::vector<std::string>{"system:bootstrappers"});
    CHECK(c.bootstrap.creation_window == std::chrono::hours(2));
    CHECK(c.keys.rsa_min_bits == 2048);
    CHECK(c.keys.ecdsa_curves == std::vector<std::string>{"P-256", "P-384"});
    CHECK_FALSE(c.pending_guard.fixed_limit.has_value());
    CHECK(c.failure_action_overrides.empty());
  }
}

TEST_CASE("a full config sets every knob") {
  const char* text = R"(
bootstrap:
  usernames: [system:serviceaccount:kube-system:bootstrapper]
  groups: [system:bootstrappers:worker]
  creationWindow: 1h30m
pendingGuard:
  limit: 50
  slack: 5
serving:
  allowedDomains: [lab.example.com, .prod.example.com]
  allowSingleLabelNames: false
  allowedCIDRs: [192.0.2.0/24, "2001:db8::/32"]
  trustNodeAddresses: never
  resolveDNS: true
keys:
  allowRSA: false
  rsaMinBits: 3072
  ecdsaCurves: [P-384]
kinds:
  serving: true
  clientBootstrap: false
  clientRenewal: true
maxExpirationSeconds: 86400
failureAction: deny
failureActions:
  NodeNotFound: pending
  SanDnsWildcard: deny
dryRun: true
)";
  auto r = parse_policy_config(text);
  REQUIRE(r.is_ok());
  const PolicyConfig& c = r.value();
  CHECK(c.bootstrap.usernames ==
        std::vector<std::string>{"system:serviceaccount:kube-system:bootstrapper"});
  CHECK(c.bootstrap.groups == std::vector<std::string>{"system:bootstrappers:worker"});
  CHECK(c.bootstrap.creation_window == std::chrono::minutes(90));
  CHECK(c.pending_guard.fixed_limit == 50);
  CHECK(c.pending_guard.slack == 5);
  CHECK(c.serving.allowed_domains.size() == 2);
  CHECK_FALSE(c.serving.allow_single_label_names);
  CHECK(c.serving.allowed_cidrs == std::vector<std::string>{"192.0.2.0/24", "2001:db8::/32"});
  CHECK(c.serving.trust_node_addresses == TrustNodeAddresses::kNever);
  CHECK(c.serving.resolve_dns);
  CHECK_FALSE(c.keys.allow_rsa);
  CHECK(c.keys.rsa_min_bits == 3072);
  CHECK(c.keys.ecdsa_curves == std::vector<std::string>{"P-384"});
  CHECK_FALSE(c.kinds.client_bootstrap);
  CHECK(c.max_expiration_seconds == 86400);
  CHECK(c.failure_action == FailureAction::kDeny);
  CHECK(c.failure_action_overrides.at("NodeNotFound") == FailureAction::kPending);
  CHECK(c.failure_action_overrides.at("SanDnsWildcard") == FailureAction::kDeny);
  CHECK(c.dry_run);
}

TEST_CASE("pendingGuard.limit accepts auto") {
  auto r = parse_policy_config("pendingGuard: {limit: auto}");
  REQUIRE(r.is_ok());
  CHECK_FALSE(r->pending_guard.fixed_limit.has_value());
}

TEST_CASE("an empty list is written []") {
  auto r = parse_policy_config("bootstrap:\n  usernames: []\n");
  REQUIRE(r.is_ok());
  CHECK(r->bootstrap.usernames.empty());
  CHECK(r->bootstrap.groups.size() == 1);
}

TEST_CASE("unknown keys are errors with the key path and line") {
  CHECK_THAT(error_of("dryRun: true\nfoo: 1\n"),
             Catch::Contains("test.yaml: line 2: foo: unknown key"));
  CHECK_THAT(error_of("serving:\n  trustNodeAddress: auto\n"),
             Catch::Contains("line 2: serving.trustNodeAddress: unknown key"));
  CHECK_THAT(error_of("bootstrap:\n  usernames: []\n\n  creationwindow: 2h\n"),
             Catch::Contains("line 4: bootstrap.creationwindow: unknown key"));
}

TEST_CASE("every problem is reported at once") {
  std::string msg = error_of("foo: 1\ndryRun: maybe\nserving: {resolveDNS: 3}\n");
  CHECK_THAT(msg, Catch::Contains("line 1: foo: unknown key"));
  CHECK_THAT(msg, Catch::Contains("line 2: dryRun: expected a boolean"));
  CHECK_THAT(msg, Catch::Contains("serving.resolveDNS: expected a boolean"));
}

TEST_CASE("wrong types are errors") {
  CHECK_THAT(error_of("dryRun: \"true\""), Catch::Contains("dryRun: expected a boolean"));
  CHECK_THAT(error_of("dryRun: yes"), Catch::Contains("dryRun: expected a boolean"));
  CHECK_THAT(error_of("maxExpirationSeconds: 1h"),
             Catch::Contains("maxExpirationSeconds: expected an integer"));
  CHECK_THAT(error_of("maxExpirationSeconds: \"3600\""),
             Catch::Contains("maxExpirationSeconds: expected an integer"));
  CHECK_THAT(error_of("serving: [a, b]"), Catch::Contains("serving: expected a mapping"));
  CHECK_THAT(error_of("bootstrap:\n  usernames: alice\n"),
             Catch::Contains("line 2: bootstrap.usernames: expected a list of strings"));
  CHECK_THAT(error_of("bootstrap:\n  groups: [a, {b: c}]\n"),
             Catch::Contains("bootstrap.groups[1]: expected a string"));
  CHECK_THAT(error_of("failureAction: {deny: true}"),
             Catch::Contains("failureAction: expected a string"));
  CHECK_THAT(error_of("- a\n- b\n"), Catch::Contains("expected a mapping"));
}

TEST_CASE("bad values are errors") {
  CHECK_THAT(error_of("bootstrap: {creationWindow: 2x}"),
             Catch::Contains("bootstrap.creationWindow: invalid duration \"2x\""));
  CHECK_THAT(error_of("bootstrap: {creationWindow: 0s}"),
             Catch::Contains("bootstrap.creationWindow: must be at least 1s"));
  CHECK_THAT(
      error_of("serving:\n  allowedCIDRs: [10.0.0.0/8, 10.0.0.0/33]\n"),
      Catch::Contains("line 2: serving.allowedCIDRs[1]: \"10.0.0.0/33\" is not a valid CIDR"));
  CHECK_THAT(error_of("serving: {allowedCIDRs: [10.0.0.1]}"),
             Catch::Contains("has no prefix length"));
  CHECK_THAT(error_of("serving: {allowedCIDRs: [not-an-ip/8]}"),
             Catch::Contains("is not a valid CIDR"));
  CHECK_THAT(error_of("serving: {allowedDomains: [\"*.example.com\"]}"),
             Catch::Contains("wildcards are not allowed"));
  CHECK_THAT(error_of("serving: {allowedDomains: [\"exa mple.com\"]}"),
             Catch::Contains("is not a valid DNS domain"));
  CHECK_THAT(error_of("serving: {trustNodeAddresses: sometimes}"),
             Catch::Contains("must be one of auto, always, never, got \"sometimes\""));
  CHECK_THAT(error_of("failureAction: approve"),
             Catch::Contains("failureAction: must be one of pending, deny"));
  CHECK_THAT(error_of("keys: {rsaMinBits: 1024}"),
             Catch::Contains("keys.rsaMinBits: must be between 2048 and 16384, got 1024"));
  CHECK_THAT(error_of("keys: {ecdsaCurves: [P-521]}"), Catch::Contains("P-521"));
  CHECK_THAT(error_of("keys: {ecdsaCurves: [P-256, P-256]}"),
             Catch::Contains("keys.ecdsaCurves: lists a curve twice"));
  CHECK_THAT(error_of("maxExpirationSeconds: 60"), Catch::Contains("between 600 and"));
  CHECK_THAT(error_of("pendingGuard: {limit: many}"),
             Catch::Contains("pendingGuard.limit: expected an integer"));
  CHECK_THAT(error_of("pendingGuard: {limit: -1}"), Catch::Contains("pendingGuard.limit"));
}

TEST_CASE("identities far too broad to be bootstrappers are refused") {
  CHECK_THAT(error_of("bootstrap: {groups: [system:authenticated]}"),
             Catch::Contains("far too broad"));
  CHECK_THAT(error_of("bootstrap: {groups: [system:nodes]}"), Catch::Contains("far too broad"));
  CHECK_THAT(error_of("bootstrap: {usernames: [\"system:node:worker-0\"]}"),
             Catch::Contains("a node identity cannot be a bootstrap identity"));
  CHECK_THAT(error_of("bootstrap: {usernames: [\"\"]}"), Catch::Contains("must not be empty"));
}

TEST_CASE("failureActions: only known, configurable reason codes") {
  CHECK_THAT(error_of("failureActions: {NoSuchReason: deny}"),
             Catch::Contains("failureActions.NoSuchReason: unknown reason code"));
  CHECK_THAT(error_of("failureActions: {ServingApproved: deny}"),
             Catch::Contains("cannot be configured"));
  CHECK_THAT(error_of("failureActions: {DnsLookupTransient: deny}"),
             Catch::Contains("cannot be configured"));
  CHECK_THAT(error_of("failureActions: {NodeNotFound: approve}"),
             Catch::Contains("must be one of pending, deny"));
  CHECK_THAT(error_of("failureActions: [NodeNotFound]"),
             Catch::Contains("failureActions: expected a mapping"));
}

TEST_CASE("duplicate keys and YAML syntax errors are reported with their line") {
  CHECK_THAT(error_of("dryRun: true\ndryRun: false\n"),
             Catch::Contains("line 2: dryRun: duplicate key"));
  CHECK_THAT(error_of("serving: {resolveDNS: true\n"), Catch::Contains("line "));
  CHECK_THAT(error_of("a: 1\n---\nb: 2\n"), Catch::Contains("one YAML document"));
}

TEST_CASE("load_policy_config: a missing file is an error naming it") {
  auto r = nca::config::load_policy_config("/nonexistent/policy.yaml");
  REQUIRE_FALSE(r.is_ok());
  CHECK_THAT(r.status().message(), Catch::Contains("/nonexistent/policy.yaml"));
}

TEST_CASE("failureActions accepts the cross-CSR reason codes") {
  // Fails before they were registered: SupersededByNewerCSR was emitted by the reconciler
  // but "unknown reason code" in the config.
  auto r = parse_policy_config(
      "failureActions:\n  SupersededByNewerCSR: deny\n  ClientCertificateAlreadyIssued: deny\n"
      "  DuplicateClientCSRPending: pending\n",
      "test.yaml");
  REQUIRE(r.is_ok());
  CHECK(r->failure_action_overrides.at("SupersededByNewerCSR") == FailureAction::kDeny);
  CHECK(r->failure_action_overrides.at("ClientCertificateAlreadyIssued") == FailureAction::kDeny);
  CHECK(r->failure_action_overrides.at("DuplicateClientCSRPending") == FailureAction::kPending);
  CHECK_THAT(error_of("failureActions: {ConfigUnavailable: deny}"),
             Catch::Contains("cannot be configured"));
}

TEST_CASE("clusterNetwork: domain normalized, CIDRs checked, defaults safe") {
  auto d = parse_policy_config("");
  REQUIRE(d.is_ok());
  CHECK(d->cluster_network.domain == "cluster.local");
  CHECK(d->cluster_network.internal_cidrs.empty());
  auto r = parse_policy_config(
      "clusterNetwork:\n  domain: Corp.Internal.\n  internalCIDRs: [10.96.0.0/12, "
      "\"fd00::/108\"]\n");
  REQUIRE(r.is_ok());
  CHECK(r->cluster_network.domain == "corp.internal");
  CHECK(r->cluster_network.internal_cidrs ==
        std::vector<std::string>{"10.96.0.0/12", "fd00::/108"});
  CHECK_THAT(error_of("clusterNetwork: {domain: \"*.local\"}"),
             Catch::Contains("clusterNetwork.domain") && Catch::Contains("not a valid DNS domain"));
  CHECK_THAT(error_of("clusterNetwork: {internalCIDRs: [10.96.0.1]}"),
             Catch::Contains("clusterNetwork.internalCIDRs[0]"));
  CHECK_THAT(error_of("clusterNetwork: {serviceCIDRs: []}"), Catch::Contains("serviceCIDRs"));
}

// serving.dns and serving.renewalFromLiveCertificate: defaults, every key, and errors.
#include <catch2/catch.hpp>

#include "config/policy_config.h"

using nca::config::parse_policy_config;
using namespace nca::policy;
using namespace std::chrono_literals;

namespace {
std::string error_of(const std::string& yaml) {
  auto r = parse_policy_config(yaml, "test.yaml");
  REQUIRE_FALSE(r.is_ok());
  return r.status().message();
}
}  // namespace

TEST_CASE("evidence sources are off by default") {
  auto r = parse_policy_config("");
  REQUIRE(r.is_ok());
  const auto& s = r.value().serving;
  CHECK(s.dns == DnsConfig{});
  CHECK(s.dns.servers.empty());
  CHECK_FALSE(s.dns.reverse_check);
  CHECK_FALSE(s.dns.answers_in_allowed_cidrs);
  CHECK_FALSE(s.renewal_from_live_certificate.enabled);
  CHECK(s.renewal_from_live_certificate.address_types == std::vector<std::string>{"InternalIP"});
}

TEST_CASE("serving.dns and renewalFromLiveCertificate read every key") {
  auto r = parse_policy_config(R"(
serving:
  resolveDNS: true
  dns:
    servers: ["127.0.0.1:5353", "192.0.2.53", "[2001:db8::53]:53"]
    timeout: 3s
    attempts: 4
    minTTL: 2s
    maxTTL: 10m
    negativeTTL: 1m
    reverseCheck: true
    answersInAllowedCIDRs: true
  renewalFromLiveCertificate:
    enabled: true
    caBundleConfigMap: {namespace: openshift-config-managed, name: kubelet-serving-ca, key: ca.crt}
    addressTypes: [Hostname, InternalIP]
    dialTimeout: 1s
    cacheFor: 1m
)");
  REQUIRE(r.is_ok());
  const auto& d = r.value().serving.dns;
  CHECK(d.servers == std::vector<std::string>{"127.0.0.1:5353", "192.0.2.53", "[2001:db8::53]:53"});
  CHECK(d.timeout == 3s);
  CHECK(d.attempts == 4);
  CHECK(d.min_ttl == 2s);
  CHECK(d.max_ttl == 10min);
  CHECK(d.negative_ttl == 1min);
  CHECK(d.reverse_check);
  CHECK(d.answers_in_allowed_cidrs);
  const auto& l = r.value().serving.renewal_from_live_certificate;
  CHECK(l.enabled);
  CHECK(l.ca_bundle_config_map == "openshift-config-managed/kubelet-serving-ca");
  CHECK(l.ca_bundle_key == "ca.crt");
  CHECK(l.address_types == std::vector<std::string>{"Hostname", "InternalIP"});
  CHECK(l.dial_timeout == 1s);
  CHECK(l.cache_for == 1min);
}

TEST_CASE("bad evidence settings are errors naming the key") {
  CHECK_THAT(error_of("serving: {dns: {servers: [dns.example.com]}}"),
             Catch::Contains("serving.dns.servers[0]") && Catch::Contains("not an IP address"));
  CHECK_THAT(error_of("serving: {dns: {servers: ['192.0.2.1:99999']}}"),
             Catch::Contains("invalid port"));
  CHECK_THAT(error_of("serving: {dns: {minTTL: 10m, maxTTL: 1m}}"),
             Catch::Contains("serving.dns.maxTTL"));
  CHECK_THAT(error_of("serving: {dns: {attempts: 0}}"), Catch::Contains("serving.dns.attempts"));
  CHECK_THAT(error_of("serving: {renewalFromLiveCertificate: {enabled: true}}"),
             Catch::Contains("exactly one of caBundleFile and caBundleConfigMap"));
  CHECK_THAT(error_of("serving: {renewalFromLiveCertificate: {enabled: true, caBundleFile: /a, "
                      "caBundleConfigMap: {namespace: n, name: m}}}"),
             Catch::Contains("exactly one of"));
  CHECK_THAT(error_of("serving: {renewalFromLiveCertificate: {caBundleConfigMap: {name: m}}}"),
             Catch::Contains("needs both namespace and name"));
  CHECK_THAT(error_of("serving: {renewalFromLiveCertificate: {addressTypes: [Public]}}"),
             Catch::Contains("not a Node address type"));
  CHECK_THAT(error_of("serving: {renewalFromLiveCertificate: {addressTypes: []}}"),
             Catch::Contains("at least one"));
  CHECK_THAT(error_of("serving: {dns: {bogus: 1}}"), Catch::Contains("serving.dns.bogus"));
}

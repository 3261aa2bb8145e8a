// Table rows for serving CSRs (signer kubernetes.io/kubelet-serving): what a real kubelet
// sends and its legitimate variations. The attacks are in serving_attack_cases.cpp.
#include "serving_case_helpers.h"

namespace nca::policy::testing {

std::vector<Case> serving_attack_cases();
std::vector<Case> cluster_internal_cases();
std::vector<Case> serving_evidence_cases();

namespace {
using namespace serving;

std::vector<Case> serving_legit_cases() {
  return {
      // --- legitimate: approved ---
      ok("kubelet serving CSR: DNS name and IPv4 of its machine", w0),
      ok("FQDN host name",
         [] {
           auto r = w0();
           r.builder.dns("worker-0.lab.example.com");
           return r;
         }),
      ok("upper-case host name",
         [] {
           auto r = w0();
           r.builder.dns("WORKER-0.Lab.Example.COM");
           return r;
         }),
      ok("trailing dot",
         [] {
           auto r = w0();
           r.builder.dns("worker-0.lab.example.com.");
           return r;
         }),
      ok("non-canonical IPv6 spelling of its own address",
         [] {
           auto r = w0();
           r.builder.ip("2001:0DB8:0000:0000:0000:0000:0000:0010");
           return r;
         }),
      ok("its own IPv4 written as v4-mapped IPv6",
         [] {
           auto r = w0();
           r.builder.ip("::ffff:192.0.2.10");
           return r;
         }),
      ok("dual-stack: IPv4 and IPv6",
         [] {
           auto r = w0();
           r.builder.ip("2001:db8::10");
           return r;
         }),
      ok(
          "IPv6-only machine",
          [] {
            auto r = Request::serving("worker-6");
            r.builder.ip("2001:db8::16");
            return r;
          },
          [](World& w) {
            w.inventory.machines.push_back(machine("worker-6", {"worker-6"}, {"2001:db8::16"}));
            w.inventory.nodes.push_back(node("worker-6", {"worker-6"}, {"2001:db8::16"}));
          }),
      ok("IP SAN only",
         [] {
           auto r = w0();
           r.builder.clear_sans().ip("192.0.2.10");
           return r;
         }),
      ok("RSA 2048 with key encipherment",
         [] {
           auto r = Request::serving_rsa("worker-0");
           r.builder.ip("192.0.2.10");
           return r;
         }),
      ok("RSA 2048 without key encipherment",
         [] {
           auto r = Request::serving_rsa("worker-0");
           r.object.usages = {"server auth", "digital signature"};
           return r;
         }),
      ok("ECDSA P-384",
         [] {
           auto r = w0();
           r.builder.ec_p384();
           return r;
         }),
      ok("usages in another order",
         [] {
           auto r = w0();
           r.object.usages = {"server auth", "digital signature"};
           return r;
         }),
      ok("expirationSeconds within the maximum",
         [] {
           auto r = w0();
           r.object.expiration_seconds = 86400;
           return r;
         }),
      ok(
          "machine known only from a BareMetalHost",
          [] {
            auto r = Request::serving("worker-5");
            r.builder.ip("192.0.2.15");
            return r;
          },
          [](World& w) {
            w.inventory.machines.push_back(machine("worker-5", {"worker-5"}, {"192.0.2.15"}, true,
                                                   std::nullopt,
                                                   inventory::Source::kBareMetalHost));
            w.inventory.nodes.push_back(node("worker-5", {"worker-5"}, {"192.0.2.15"}));
          }),
      ok("no inventory source: trusts the Node's own addresses (auto)", w0, nodes_only),
      ok(
          "trustNodeAddresses always: an address only the Node reports",
          [] {
            auto r = w0();
            r.builder.ip("198.51.100.10");
            return r;
          },
          [](World& w) {
            w.config.serving.trust_node_addresses = TrustNodeAddresses::kAlways;
            w.inventory.nodes[0].addresses.push_back(ip("198.51.100.10"));
          }),
      ok(
          "allowedDomains: FQDN inside, short name exempt",
          [] {
            auto r = w0();
            r.builder.dns("worker-0.lab.example.com");
            return r;
          },
          [](World& w) { w.config.serving.allowed_domains = {"lab.example.com"}; }),
      ok(
          "allowedCIDRs contain every IP",
          [] {
            auto r = w0();
            r.builder.ip("2001:db8::10");
            return r;
          },
          [](World& w) {
            w.config.serving.allowed_cidrs = {"192.0.2.0/24", "2001:db8::/64"};
          }),
      ok(
          "resolveDNS: names resolve to the machine's addresses",
          [] {
            auto r = w0();
            r.builder.dns("worker-0.lab.example.com");
            return r;
          },
          resolving),

  };
}

}  // namespace

std::vector<Case> serving_cases() {
  std::vector<Case> all = serving_legit_cases();
  for (Case& c : serving_attack_cases()) all.push_back(std::move(c));
  for (Case& c : cluster_internal_cases()) all.push_back(std::move(c));
  for (Case& c : serving_evidence_cases()) all.push_back(std::move(c));
  return all;
}

}  // namespace nca::policy::testing

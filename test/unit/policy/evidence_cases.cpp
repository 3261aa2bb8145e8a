// Table rows for the evidence beyond the inventory: DNS answers (serving.resolveDNS, with
// serving.dns.*) and the kubelet's live serving certificate
// (serving.renewalFromLiveCertificate).
#include <deque>

#include "serving_case_helpers.h"

namespace nca::policy::testing {
namespace {
using namespace serving;

Request w0_with_dns(const char* name) {
  Request r = w0();
  r.builder.dns(name);
  return r;
}

const FakeResolver& evidence_resolver() {
  static const FakeResolver r = [] {
    FakeResolver f = resolver();
    f.table.push_back({"w0.dns.example.com", {"192.0.2.10", "2001:db8::10"}});
    f.table.push_back({"w0-slow.dns.example.com", {"PENDING"}});
    f.table.push_back({"w1-alias.dns.example.com", {"192.0.2.11"}});
    f.table.push_back({"w0-lb.dns.example.com", {"192.0.2.10", "198.51.100.7"}});
    f.ptr = {{"192.0.2.10", {"worker-0"}}};
    return f;
  }();
  return r;
}

void dns_evidence(World& w) {
  w.config.serving.resolve_dns = true;
  w.resolver = &evidence_resolver();
}

// No inventory, Node addresses never trusted: only the live certificate can vouch.
void live_only(World& w, const FakeLiveCertificates& live) {
  nodes_only(w);
  w.config.serving.trust_node_addresses = TrustNodeAddresses::kNever;
  w.config.serving.renewal_from_live_certificate.enabled = true;
  w.config.serving.renewal_from_live_certificate.ca_bundle_file = "/etc/kubelet-ca.pem";
  w.live_certificates = &live;
}

// What worker-0's kubelet serves: exactly w0()'s SANs, valid around World::now.
LiveCertificate worker0_serves() {
  LiveCertificate c;
  c.status = LiveCertificate::Status::kPresented;
  c.endpoint = "192.0.2.10:10250";
  c.common_names = {"system:node:worker-0"};
  c.dns_names = {"worker-0"};
  c.ips = {ip("192.0.2.10")};
  c.not_before = at("2026-11-01T00:00:00Z");
  c.not_after = at("2026-12-01T00:00:00Z");
  return c;
}

// One source per row, alive for the whole run (a deque never moves its elements).
template <typename F>
const FakeLiveCertificates& live(F edit) {
  static std::deque<FakeLiveCertificates> sources;
  FakeLiveCertificates& f = sources.emplace_back();
  f.answer = worker0_serves();
  edit(f.answer);
  return f;
}

}  // namespace

std::vector<Case> serving_evidence_cases() {
  static const auto& presents = live([](LiveCertificate&) {});
  static const auto& other_ca = live([](LiveCertificate& c) {
    c = LiveCertificate{};
    c.endpoint = "192.0.2.10:10250";
    c.error = "certificate verify failed: unable to get local issuer certificate";
  });
  static const auto& probing = live([](LiveCertificate& c) {
    c = LiveCertificate{};
    c.status = LiveCertificate::Status::kPending;
  });
  static const auto& other_node =
      live([](LiveCertificate& c) { c.common_names = {"system:node:worker-1"}; });
  static const auto& expired =
      live([](LiveCertificate& c) { c.not_after = at("2026-11-23T12:00:00Z"); });
  static const auto& with_internal =
      live([](LiveCertificate& c) { c.dns_names.push_back("kubernetes.default.svc"); });
  static const auto& reordered = live([](LiveCertificate& c) { c.dns_names = {"WORKER-0."}; });
  return {
      // --- DNS answers ---
      ok(
          "resolveDNS: a name no inventory lists, resolving to the machine's addresses",
          [] { return w0_with_dns("w0.dns.example.com"); }, dns_evidence),
      refuse("the same name without resolveDNS", "SanDnsNotInInventory",
             [] { return w0_with_dns("w0.dns.example.com"); }),
      refuse(
          "resolveDNS: no answer yet", "DnsLookupPending",
          [] { return w0_with_dns("w0-slow.dns.example.com"); }, dns_evidence),
      refuse(
          "resolveDNS: a name no inventory lists that does not resolve", "SanDnsDoesNotResolve",
          [] { return w0_with_dns("w0-gone.dns.example.com"); }, dns_evidence),
      refuse(
          "resolveDNS: a name resolving to another machine's address", "SanDnsResolvesElsewhere",
          [] { return w0_with_dns("w1-alias.dns.example.com"); }, dns_evidence),
      refuse(
          "resolveDNS: one answer outside the machine", "SanDnsResolvesElsewhere",
          [] { return w0_with_dns("w0-lb.dns.example.com"); }, dns_evidence),
      ok(
          "dns.answersInAllowedCIDRs: an answer inside serving.allowedCIDRs counts",
          [] { return w0_with_dns("w0-lb.dns.example.com"); },
          [](World& w) {
            dns_evidence(w);
            w.config.serving.allowed_cidrs = {"192.0.2.0/24", "2001:db8::/32", "198.51.100.0/24"};
            w.config.serving.dns.answers_in_allowed_cidrs = true;
          }),
      refuse(
          "dns.answersInAllowedCIDRs: never another machine's address", "SanDnsResolvesElsewhere",
          [] { return w0_with_dns("w1-alias.dns.example.com"); },
          [](World& w) {
            dns_evidence(w);
            w.config.serving.allowed_cidrs = {"192.0.2.0/24", "2001:db8::/32"};
            w.config.serving.dns.answers_in_allowed_cidrs = true;
          }),
      ok("dns.reverseCheck: the IP SAN's PTR names a DNS SAN", w0,
         [](World& w) {
           dns_evidence(w);
           w.config.serving.dns.reverse_check = true;
         }),
      refuse(
          "dns.reverseCheck: the IP SAN has no PTR record", "SanIpPtrMismatch",
          [] {
            auto r = w0();
            r.builder.ip("2001:db8::10");
            return r;
          },
          [](World& w) {
            dns_evidence(w);
            w.config.serving.dns.reverse_check = true;
          }),
      refuse(
          "dns.reverseCheck: the PTR names none of the DNS SANs", "SanIpPtrMismatch",
          [] {
            auto r = Request::serving("worker-0");
            r.builder.clear_sans().dns("worker-0.lab.example.com").ip("192.0.2.10");
            return r;
          },
          [](World& w) {
            dns_evidence(w);
            w.config.serving.dns.reverse_check = true;
          }),

      // --- the kubelet's live certificate (no inventory, trustNodeAddresses: never) ---
      ok("live certificate: a renewal of exactly what the kubelet serves", w0,
         [](World& w) { live_only(w, presents); }),
      ok("live certificate: SANs compared as DNS does (case, trailing dot)", w0,
         [](World& w) { live_only(w, reordered); }),
      refuse("live certificate: off, nothing else vouches", "MachineNotFound", w0,
             [](World& w) {
               live_only(w, presents);
               w.config.serving.renewal_from_live_certificate.enabled = false;
             }),
      refuse(
          "live certificate: the renewal adds a SAN", "MachineNotFound",
          [] { return w0_with_dns("worker-0.lab.example.com"); },
          [](World& w) { live_only(w, presents); }),
      refuse(
          "live certificate: the renewal drops a SAN", "MachineNotFound",
          [] {
            auto r = Request::serving("worker-0");
            r.builder.clear_sans().dns("worker-0");
            return r;
          },
          [](World& w) { live_only(w, presents); }),
      refuse("live certificate: from another CA (does not verify)", "MachineNotFound", w0,
             [](World& w) { live_only(w, other_ca); }),
      refuse("live certificate: names another node", "MachineNotFound", w0,
             [](World& w) { live_only(w, other_node); }),
      refuse("live certificate: expired", "MachineNotFound", w0,
             [](World& w) { live_only(w, expired); }),
      refuse("live certificate: being fetched", "LiveCertificatePending", w0,
             [](World& w) { live_only(w, probing); }),
      refuse(
          "live certificate: a cluster-internal name stays refused", "ClusterInternalName",
          [] { return w0_with_dns("kubernetes.default.svc"); },
          [](World& w) { live_only(w, with_internal); }),
      refuse(
          "live certificate: not asked where the inventory describes the node",
          "SanIpNotInInventory",
          [] {
            auto r = w0();
            r.builder.ip("192.0.2.99");
            return r;
          },
          [](World& w) {
            static const auto& serves_99 =
                live([](LiveCertificate& c) { c.ips.push_back(ip("192.0.2.99")); });
            w.config.serving.renewal_from_live_certificate.enabled = true;
            w.live_certificates = &serves_99;
          }),
  };
}

}  // namespace nca::policy::testing

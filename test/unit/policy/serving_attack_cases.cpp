// Table rows for serving CSRs that must never be approved: attacks and mistakes.
#include "serving_case_helpers.h"

namespace nca::policy::testing {

std::vector<Case> serving_attack_cases() {
  using namespace serving;
  return {
      // --- attacks and mistakes: never approved ---
      refuse("another node's IP", "SanIpNotInInventory",
             [] {
               auto r = w0();
               r.builder.ip("192.0.2.11");
               return r;
             }),
      refuse("another node's IPv4 as v4-mapped IPv6", "SanIpNotInInventory",
             [] {
               auto r = w0();
               r.builder.ip("::ffff:192.0.2.11");
               return r;
             }),
      refuse("another node's IPv6", "SanIpNotInInventory",
             [] {
               auto r = w0();
               r.builder.ip("2001:db8::11");
               return r;
             }),
      refuse("another node's DNS name", "SanDnsNotInInventory",
             [] {
               auto r = w0();
               r.builder.dns("worker-1.lab.example.com");
               return r;
             }),
      refuse("another node's CN", "CommonNameMismatch",
             [] {
               auto r = w0();
               r.builder.clear_subject()
                   .common_name("system:node:worker-1")
                   .organization("system:nodes");
               return r;
             }),
      refuse("O=system:masters", "OrganizationMismatch",
             [] {
               auto r = w0();
               r.builder.clear_subject()
                   .common_name("system:node:worker-0")
                   .organization("system:masters");
               return r;
             }),
      refuse("O=[system:nodes, system:masters]", "OrganizationMismatch",
             [] {
               auto r = w0();
               r.builder.organization("system:masters");
               return r;
             }),
      refuse("no O", "OrganizationMismatch",
             [] {
               auto r = w0();
               r.builder.clear_subject().common_name("system:node:worker-0");
               return r;
             }),
      refuse("two CNs", "CommonNameMismatch",
             [] {
               auto r = w0();
               r.builder.common_name("system:node:worker-1");
               return r;
             }),
      refuse("extra subject attribute OU", "SubjectAttributesUnexpected",
             [] {
               auto r = w0();
               r.builder.subject("OU", "ops");
               return r;
             }),
      refuse("email SAN", "SanEmailNotAllowed",
             [] {
               auto r = w0();
               r.builder.email("root@worker-0");
               return r;
             }),
      refuse("URI SAN", "SanUriNotAllowed",
             [] {
               auto r = w0();
               r.builder.uri("spiffe://cluster/ns/x");
               return r;
             }),
      refuse("otherName SAN", "SanOtherNotAllowed",
             [] {
               auto r = w0();
               r.builder.san_conf("otherName:1.3.6.1.4.1.311.20.2.3;UTF8:a@b");
               return r;
             }),
      refuse("registeredID SAN", "SanOtherNotAllowed",
             [] {
               auto r = w0();
               r.builder.san_conf("RID:1.2.3.4");
               return r;
             }),
      refuse("client auth instead of server auth", "UsagesMismatch",
             [] {
               auto r = w0();
               r.object.usages = {"digital signature", "client auth"};
               return r;
             }),
      refuse("client auth added to a serving CSR", "UsagesMismatch",
             [] {
               auto r = w0();
               r.object.usages = {"digital signature", "server auth", "client auth"};
               return r;
             }),
      refuse("server auth missing", "UsagesMismatch",
             [] {
               auto r = w0();
               r.object.usages = {"digital signature"};
               return r;
             }),
      refuse("digital signature missing", "UsagesMismatch",
             [] {
               auto r = w0();
               r.object.usages = {"server auth"};
               return r;
             }),
      refuse("key encipherment with an ECDSA key", "UsagesMismatch",
             [] {
               auto r = w0();
               r.object.usages = {"key encipherment", "digital signature", "server auth"};
               return r;
             }),
      refuse("cert sign usage", "UsagesMismatch",
             [] {
               auto r = w0();
               r.object.usages = {"digital signature", "server auth", "cert sign"};
               return r;
             }),
      refuse("a usage listed twice", "UsagesDuplicated",
             [] {
               auto r = w0();
               r.object.usages = {"digital signature", "server auth", "server auth"};
               return r;
             }),
      refuse("wildcard DNS", "SanDnsWildcard",
             [] {
               auto r = w0();
               r.builder.dns("*.lab.example.com");
               return r;
             }),
      refuse("kubernetes.default.svc", "ClusterInternalName",
             [] {
               auto r = w0();
               r.builder.dns("kubernetes.default.svc");
               return r;
             }),
      refuse("invalid DNS name", "SanDnsInvalid",
             [] {
               auto r = w0();
               r.builder.dns("worker_0");
               return r;
             }),
      refuse("DNS name with an empty label", "SanDnsInvalid",
             [] {
               auto r = w0();
               r.builder.dns("worker-0..lab.example.com");
               return r;
             }),
      refuse("loopback IPv4", "SanIpForbiddenRange",
             [] {
               auto r = w0();
               r.builder.ip("127.0.0.1");
               return r;
             }),
      refuse("loopback IPv6", "SanIpForbiddenRange",
             [] {
               auto r = w0();
               r.builder.ip("::1");
               return r;
             }),
      refuse("loopback as v4-mapped IPv6", "SanIpForbiddenRange",
             [] {
               auto r = w0();
               r.builder.ip("::ffff:127.0.0.1");
               return r;
             }),
      refuse("unspecified IPv4", "SanIpForbiddenRange",
             [] {
               auto r = w0();
               r.builder.ip("0.0.0.0");
               return r;
             }),
      refuse("unspecified IPv6", "SanIpForbiddenRange",
             [] {
               auto r = w0();
               r.builder.ip("::");
               return r;
             }),
      refuse("link-local IPv4", "SanIpForbiddenRange",
             [] {
               auto r = w0();
               r.builder.ip("169.254.169.254");
               return r;
             }),
      refuse("link-local IPv6", "SanIpForbiddenRange",
             [] {
               auto r = w0();
               r.builder.ip("fe80::1");
               return r;
             }),
      refuse("multicast", "SanIpForbiddenRange",
             [] {
               auto r = w0();
               r.builder.ip("224.0.0.251");
               return r;
             }),
      refuse(
          "forbidden range even when the inventory lists it", "SanIpForbiddenRange",
          [] {
            auto r = w0();
            r.builder.ip("127.0.0.1");
            return r;
          },
          [](World& w) { w.inventory.machines[0].addresses.push_back(ip("127.0.0.1")); }),
      refuse("RSA 1024", "KeyTooWeak",
             [] {
               auto r = Request::serving_rsa("worker-0");
               r.builder.rsa(1024);
               return r;
             }),
      refuse("Ed25519 key", "KeyTypeNotAllowed",
             [] {
               auto r = w0();
               r.builder.ed25519();
               return r;
             }),
      refuse("ECDSA P-521", "KeyTypeNotAllowed",
             [] {
               auto r = w0();
               r.builder.ec_p521();
               return r;
             }),
      refuse("ECDSA secp256k1", "KeyTypeNotAllowed",
             [] {
               auto r = w0();
               r.builder.ec_secp256k1();
               return r;
             }),
      refuse("bad signature", "SignatureInvalid",
             [] {
               auto r = w0();
               r.builder.corrupt_signature();
               return r;
             }),
      refuse("two PEM blocks", "CsrUnparseable",
             [] {
               auto r = w0();
               r.pem = test::concat_pem(r.builder.pem(),
                                        test::CsrBuilder::kubelet_serving("worker-1").pem());
               return r;
             }),
      refuse("not a PEM at all", "CsrUnparseable",
             [] {
               auto r = w0();
               r.pem = "hello";
               return r;
             }),
      refuse("a certificate instead of a request", "CsrUnparseable",
             [] {
               auto r = w0();
               r.pem = test::self_signed_certificate_pem();
               return r;
             }),
      refuse("extension keyUsage requested", "ExtensionsUnexpected",
             [] {
               auto r = w0();
               r.builder.key_usage("critical,digitalSignature,keyCertSign");
               return r;
             }),
      refuse("basicConstraints CA requested", "ExtensionsUnexpected",
             [] {
               auto r = w0();
               r.builder.extension("basicConstraints", "critical,CA:TRUE");
               return r;
             }),
      refuse("no SANs", "ServingCsrWithoutSans",
             [] {
               auto r = w0();
               r.builder.clear_sans();
               return r;
             }),
      refuse("expirationSeconds above the maximum", "ExpirationTooLong",
             [] {
               auto r = w0();
               r.object.expiration_seconds = 10LL * 365 * 86400;
               return r;
             }),
      refuse("node groups missing", "NodeGroupsMissing",
             [] {
               auto r = w0();
               r.object.groups = {"system:authenticated"};
               return r;
             }),
      refuse("system:authenticated missing", "NodeGroupsMissing",
             [] {
               auto r = w0();
               r.object.groups = {"system:nodes"};
               return r;
             }),
      refuse("empty node name", "InvalidNodeName",
             [] {
               auto r = Request::serving("");
               r.builder.clear_sans().ip("192.0.2.10");
               return r;
             }),
      refuse("node name with invalid characters", "InvalidNodeName",
             [] { return Request::serving("Worker_0"); }),
      refuse("node name with a slash", "InvalidNodeName",
             [] { return Request::serving("worker-0/../x"); }),
      refuse("Node does not exist yet", "NodeNotFound",
             [] {
               auto r = Request::serving("worker-2");
               r.builder.ip("192.0.2.12");
               return r;
             }),
      refuse(
          "Node without any machine, inventory present", "MachineNotFound",
          [] {
            auto r = Request::serving("worker-9");
            r.builder.ip("192.0.2.19");
            return r;
          },
          [](World& w) {
            w.inventory.nodes.push_back(node("worker-9", {"worker-9"}, {"192.0.2.19"}));
          }),
      refuse("trustNodeAddresses never and no inventory source", "MachineNotFound", w0,
             [](World& w) {
               nodes_only(w);
               w.config.serving.trust_node_addresses = TrustNodeAddresses::kNever;
             }),
      refuse(
          "an address only the Node reports (inventory present, auto)", "SanIpNotInInventory",
          [] {
            auto r = w0();
            r.builder.ip("198.51.100.10");
            return r;
          },
          [](World& w) { w.inventory.nodes[0].addresses.push_back(ip("198.51.100.10")); }),
      refuse(
          "an address two Nodes report", "SanIpReportedByOtherNode",
          [] {
            auto r = w0();
            r.builder.ip("198.51.100.7");
            return r;
          },
          [](World& w) {
            nodes_only(w);
            w.inventory.nodes[0].addresses.push_back(ip("198.51.100.7"));
            w.inventory.nodes[1].addresses.push_back(ip("198.51.100.7"));
          }),
      refuse(
          "a host name two Nodes report", "SanDnsReportedByOtherNode",
          [] {
            auto r = w0();
            r.builder.dns("shared.lab.example.com");
            return r;
          },
          [](World& w) {
            nodes_only(w);
            w.inventory.nodes[0].hostnames.push_back("shared.lab.example.com");
            w.inventory.nodes[1].hostnames.push_back("shared.lab.example.com");
          }),
      refuse(
          "a Node claims another machine's address (trust always)", "SanIpReportedByOtherNode",
          [] {
            auto r = w0();
            r.builder.ip("192.0.2.12");
            return r;
          },
          [](World& w) {
            w.config.serving.trust_node_addresses = TrustNodeAddresses::kAlways;
            w.inventory.nodes[0].addresses.push_back(ip("192.0.2.12"));
          }),
      refuse(
          "DNS name outside allowedDomains", "SanDnsOutsideAllowedDomains",
          [] {
            auto r = w0();
            r.builder.dns("worker-0.lab.example.com");
            return r;
          },
          [](World& w) { w.config.serving.allowed_domains = {"prod.example.com"}; }),
      refuse(
          "suffix that is not a label boundary", "SanDnsOutsideAllowedDomains",
          [] {
            auto r = Request::serving("worker-3");
            r.builder.dns("worker-3.evilexample.com");
            return r;
          },
          [](World& w) {
            w.config.serving.allowed_domains = {"example.com"};
            w.inventory.machines.push_back(
                machine("worker-3", {"worker-3", "worker-3.evilexample.com"}, {}));
            w.inventory.nodes.push_back(node("worker-3", {}, {}));
          }),
      refuse("single-label name with allowSingleLabelNames false", "SanDnsOutsideAllowedDomains",
             w0,
             [](World& w) {
               w.config.serving.allowed_domains = {"lab.example.com"};
               w.config.serving.allow_single_label_names = false;
             }),
      refuse("IP outside allowedCIDRs", "SanIpOutsideAllowedCidrs", w0,
             [](World& w) { w.config.serving.allowed_cidrs = {"10.0.0.0/8"}; }),
      refuse(
          "resolveDNS: the name does not resolve", "SanDnsDoesNotResolve",
          [] {
            auto r = Request::serving("worker-0");
            r.builder.clear_sans()
                .dns("worker-0.lab.example.com")
                .dns("worker-0.other.example.com");
            return r;
          },
          [](World& w) {
            resolving(w);
            w.inventory.machines[0].hostnames.push_back("worker-0.other.example.com");
          }),
      refuse(
          "resolveDNS: the name resolves to another machine", "SanDnsResolvesElsewhere",
          [] { return Request::serving("worker-0"); },
          [](World& w) {
            resolving(w);
            static const FakeResolver elsewhere = [] {
              FakeResolver f;
              f.table = {{"worker-0", {"192.0.2.10", "192.0.2.11"}}};
              return f;
            }();
            w.resolver = &elsewhere;
          }),
      refuse(
          "resolveDNS: transient failure", "DnsLookupTransient",
          [] {
            auto r = w0();
            r.builder.dns("flaky.lab.example.com");
            return r;
          },
          [](World& w) {
            resolving(w);
            w.inventory.machines[0].hostnames.push_back("flaky.lab.example.com");
          }),
      refuse("resolveDNS without a resolver", "DnsResolverUnavailable", w0,
             [](World& w) { w.config.serving.resolve_dns = true; }),
  };
}

}  // namespace nca::policy::testing

// Table rows for client CSRs (signer kubernetes.io/kube-apiserver-client-kubelet): the
// bootstrap CSR of a new machine and the renewal by an existing node.
#include "support/csr_builder.h"
#include "world.h"

namespace nca::policy::testing {
namespace {

Case row(std::string name, Outcome outcome, std::string reason, std::function<Request()> req,
         std::function<void(World&)> w = {}) {
  return Case{std::move(name), std::move(req), std::move(w), outcome, std::move(reason)};
}

Case refuse(std::string name, std::string reason, std::function<Request()> req,
            std::function<void(World&)> w = {}) {
  return row(std::move(name), Outcome::kPending, std::move(reason), std::move(req), std::move(w));
}

Request boot2() { return Request::bootstrap("worker-2"); }
Request renew0() { return Request::renewal("worker-0"); }

constexpr auto kApprove = Outcome::kApprove;

}  // namespace

std::vector<Case> client_cases() {
  return {
      // --- client renewal ---
      row("renewal by the node itself", kApprove, "ClientRenewalApproved", renew0),
      row("renewal with an RSA key and key encipherment", kApprove, "ClientRenewalApproved",
          [] {
            auto r = renew0();
            r.builder.rsa(2048);
            r.object.usages = {"key encipherment", "digital signature", "client auth"};
            return r;
          }),
      row("renewal with ECDSA P-384", kApprove, "ClientRenewalApproved",
          [] {
            auto r = renew0();
            r.builder.ec_p384();
            return r;
          }),
      refuse("renewal for another node's name", "CommonNameMismatch",
             [] {
               auto r = renew0();
               r.builder.clear_subject()
                   .common_name("system:node:worker-1")
                   .organization("system:nodes");
               return r;
             }),
      refuse("server auth on a client CSR", "UsagesMismatch",
             [] {
               auto r = renew0();
               r.object.usages = {"digital signature", "server auth"};
               return r;
             }),
      refuse("client CSR asking for server auth too", "UsagesMismatch",
             [] {
               auto r = renew0();
               r.object.usages = {"digital signature", "client auth", "server auth"};
               return r;
             }),
      refuse("renewal with a DNS SAN", "ClientCsrHasSans",
             [] {
               auto r = renew0();
               r.builder.dns("worker-0");
               return r;
             }),
      refuse("renewal with an IP SAN", "ClientCsrHasSans",
             [] {
               auto r = renew0();
               r.builder.ip("192.0.2.10");
               return r;
             }),
      refuse("renewal with an email SAN", "SanEmailNotAllowed",
             [] {
               auto r = renew0();
               r.builder.email("a@b.c");
               return r;
             }),
      refuse("renewal with O=system:masters", "OrganizationMismatch",
             [] {
               auto r = renew0();
               r.builder.clear_subject()
                   .common_name("system:node:worker-0")
                   .organization("system:masters");
               return r;
             }),
      refuse("renewal for a Node that does not exist", "NodeNotFound",
             [] { return Request::renewal("worker-8"); }),
      refuse("renewal with groups missing", "NodeGroupsMissing",
             [] {
               auto r = renew0();
               r.object.groups = {"system:authenticated"};
               return r;
             }),
      refuse("renewal with RSA 1024", "KeyTooWeak",
             [] {
               auto r = renew0();
               r.builder.rsa(1024);
               r.object.usages = {"key encipherment", "digital signature", "client auth"};
               return r;
             }),
      refuse("renewal with a bad signature", "SignatureInvalid",
             [] {
               auto r = renew0();
               r.builder.corrupt_signature();
               return r;
             }),

      // --- client bootstrap ---
      row("bootstrap for a new machine, inside the window", kApprove, "ClientBootstrapApproved",
          boot2),
      row("bootstrap through a bootstrap token (group system:bootstrappers)", kApprove,
          "ClientBootstrapApproved",
          [] {
            auto r = boot2();
            r.object.username = "system:bootstrap:abcdef";
            r.object.groups = {"system:bootstrappers", "system:authenticated"};
            return r;
          }),
      row("bootstrap with RSA 2048", kApprove, "ClientBootstrapApproved",
          [] {
            auto r = boot2();
            r.builder.rsa(2048);
            r.object.usages = {"key encipherment", "digital signature", "client auth"};
            return r;
          }),
      row("bootstrap at the very end of the window", kApprove, "ClientBootstrapApproved",
          [] {
            auto r = boot2();
            r.object.metadata.creation_timestamp = at("2026-11-23T13:00:00Z");
            return r;
          }),
      row(
          "bootstrap for a machine known under another InternalDNS name", kApprove,
          "ClientBootstrapApproved", [] { return Request::bootstrap("ip-192-0-2-12"); },
          [](World& w) { w.inventory.machines[2].other_node_names = {"ip-192-0-2-12"}; }),
      // Machine names as DNS sees them: case and one trailing dot do not matter.
      row(
          "bootstrap for a machine whose InternalDNS is upper-case with a trailing dot", kApprove,
          "ClientBootstrapApproved", [] { return Request::bootstrap("ip-10-0-1-2.ec2.internal"); },
          [](World& w) { w.inventory.machines[2].node_name = "IP-10-0-1-2.EC2.INTERNAL."; }),
      row(
          "bootstrap for a machine known under an upper-case other InternalDNS name", kApprove,
          "ClientBootstrapApproved", [] { return Request::bootstrap("ip-192-0-2-12"); },
          [](World& w) { w.inventory.machines[2].other_node_names = {"IP-192-0-2-12."}; }),
      refuse("bootstrap for a name two Machines fold to", "MachineAmbiguous", boot2,
             [](World& w) {
               auto twin = machine("WORKER-2.", {"worker-2"}, {"192.0.2.99"}, false,
                                   at("2026-11-23T11:30:00Z"));
               twin.name = "worker-2-twin";
               w.inventory.machines.push_back(twin);
             }),
      refuse("bootstrap for a name two static entries claim", "MachineAmbiguous", boot2,
             [](World& w) {
               auto& m = w.inventory.machines[2];
               m.source = inventory::Source::kStatic;
               w.inventory.machines.push_back(m);
             }),
      refuse("bootstrap for a BareMetalHost provisioned for another Machine", "MachineAmbiguous",
             boot2,
             [](World& w) {
               auto host = machine("worker-2", {"worker-2"}, {"192.0.2.12"}, false,
                                   at("2026-11-23T11:00:00Z"), inventory::Source::kBareMetalHost);
               host.consumer = "Machine openshift-machine-api/worker-9";
               w.inventory.machines.push_back(host);
             }),
      row("bootstrap for a Machine and the BareMetalHost provisioned for it", kApprove,
          "ClientBootstrapApproved", boot2,
          [](World& w) {
            auto host = machine("Worker-2.", {"worker-2"}, {"192.0.2.12"}, false,
                                at("2026-11-23T11:00:00Z"), inventory::Source::kBareMetalHost);
            host.namespace_ = "openshift-machine-api";
            host.consumer = "Machine openshift-machine-api/worker-2";
            w.inventory.machines.push_back(host);
          }),
      refuse("bootstrap for a Node that already exists (takeover)", "NodeAlreadyExists",
             [] { return Request::bootstrap("worker-0"); }),
      refuse("bootstrap for an unknown machine", "MachineNotFound",
             [] { return Request::bootstrap("worker-7"); }),
      refuse("bootstrap outside the creation window", "OutsideCreationWindow",
             [] {
               auto r = boot2();
               r.object.metadata.creation_timestamp = at("2026-11-23T13:00:01Z");
               return r;
             }),
      refuse("bootstrap CSR older than its machine", "OutsideCreationWindow",
             [] {
               auto r = boot2();
               r.object.metadata.creation_timestamp = at("2026-11-23T10:59:59Z");
               return r;
             }),
      refuse("bootstrap for a machine without a creation time", "CreationTimeUnknown", boot2,
             [](World& w) { w.inventory.machines[2].created.reset(); }),
      refuse("bootstrap CSR without a creationTimestamp", "CreationTimeUnknown",
             [] {
               auto r = boot2();
               r.object.metadata.creation_timestamp.reset();
               return r;
             }),
      refuse("bootstrap for a machine already linked to a (deleted) Node", "MachineAlreadyHasNode",
             boot2, [](World& w) { w.inventory.machines[2].has_node_ref = true; }),
      refuse("bootstrap flood beyond the derived guard", "PendingGuardExceeded", boot2,
             [](World& w) { w.pending_bootstrap = 102; }),
      refuse("bootstrap flood beyond a fixed guard", "PendingGuardExceeded", boot2,
             [](World& w) {
               w.config.pending_guard.fixed_limit = 2;
               w.pending_bootstrap = 3;
             }),
      row("bootstrap exactly at a fixed guard", kApprove, "ClientBootstrapApproved", boot2,
          [](World& w) {
            w.config.pending_guard.fixed_limit = 3;
            w.pending_bootstrap = 3;
          }),
      refuse("bootstrap requester not authenticated", "BootstrapperNotAuthenticated",
             [] {
               auto r = boot2();
               r.object.groups = {"system:serviceaccounts"};
               return r;
             }),
      refuse("bootstrap CN without system:node:", "CommonNameMismatch",
             [] {
               auto r = boot2();
               r.builder.clear_subject().common_name("worker-2").organization("system:nodes");
               return r;
             }),
      refuse("bootstrap with an empty node name", "InvalidNodeName",
             [] { return Request::bootstrap(""); }),
      refuse("bootstrap with an invalid node name", "InvalidNodeName",
             [] { return Request::bootstrap("WORKER 2"); }),
      refuse("bootstrap with SANs", "ClientCsrHasSans",
             [] {
               auto r = boot2();
               r.builder.dns("worker-2");
               return r;
             }),
      refuse("bootstrap with O=system:masters", "OrganizationMismatch",
             [] {
               auto r = boot2();
               r.builder.clear_subject()
                   .common_name("system:node:worker-2")
                   .organization("system:masters");
               return r;
             }),
      refuse("bootstrap with a URI SAN", "SanUriNotAllowed",
             [] {
               auto r = boot2();
               r.builder.uri("https://x");
               return r;
             }),
      refuse("bootstrap with server auth", "UsagesMismatch",
             [] {
               auto r = boot2();
               r.object.usages = {"digital signature", "server auth"};
               return r;
             }),
      refuse("bootstrap with Ed25519", "KeyTypeNotAllowed",
             [] {
               auto r = boot2();
               r.builder.ed25519();
               return r;
             }),
      refuse("bootstrap two PEM blocks", "CsrUnparseable",
             [] {
               auto r = boot2();
               r.pem = test::concat_pem(r.builder.pem(), r.builder.pem());
               return r;
             }),
      refuse("bootstrap with a long expiration", "ExpirationTooLong",
             [] {
               auto r = boot2();
               r.object.expiration_seconds = 400LL * 86400;
               return r;
             }),
  };
}

}  // namespace nca::policy::testing

// Table rows for classification (what is ignored), failure actions and key settings.
#include "world.h"

namespace nca::policy::testing {
namespace {

Case row(std::string name, Outcome outcome, std::string reason, std::function<Request()> req,
         std::function<void(World&)> w = {}) {
  return Case{std::move(name), std::move(req), std::move(w), outcome, std::move(reason)};
}

Request w0() {
  Request r = Request::serving("worker-0");
  r.builder.ip("192.0.2.10");
  return r;
}

Request stranger() {
  Request r = w0();
  r.builder.ip("192.0.2.11");  // another node's address
  return r;
}

std::function<Request()> with_condition(std::string type) {
  return [type] {
    Request r = w0();
    r.object.conditions.push_back(kube::CsrCondition{type, "True", "x", "y", {}, {}});
    return r;
  };
}

void deny(World& w) { w.config.failure_action = FailureAction::kDeny; }

constexpr auto kIgnore = Outcome::kIgnore;
constexpr auto kDeny = Outcome::kDeny;
constexpr auto kPending = Outcome::kPending;
constexpr auto kApprove = Outcome::kApprove;

}  // namespace

std::vector<Case> outcome_cases() {
  return {
      // --- not ours: ignored, never approved or denied ---
      row("another signer: kube-apiserver-client", kIgnore, "SignerNotHandled",
          [] {
            auto r = w0();
            r.object.signer_name = "kubernetes.io/kube-apiserver-client";
            return r;
          }),
      row("another signer: legacy-unknown", kIgnore, "SignerNotHandled",
          [] {
            auto r = Request::renewal("worker-0");
            r.object.signer_name = "kubernetes.io/legacy-unknown";
            return r;
          }),
      row("a custom signer, even when everything else is perfect", kIgnore, "SignerNotHandled",
          [] {
            auto r = w0();
            r.object.signer_name = "example.com/kubelet-serving";
            return r;
          }),
      row(
          "another signer is ignored even under failureAction deny", kIgnore, "SignerNotHandled",
          [] {
            auto r = stranger();
            r.object.signer_name = "example.com/x";
            return r;
          },
          deny),
      row("already approved", kIgnore, "AlreadyDecided", with_condition("Approved")),
      row("already denied", kIgnore, "AlreadyDecided", with_condition("Denied")),
      row("already failed", kIgnore, "AlreadyDecided", with_condition("Failed")),
      row("already issued", kIgnore, "AlreadyDecided",
          [] {
            auto r = w0();
            r.object.has_certificate = true;
            return r;
          }),
      row("a False condition does not count as decided", kApprove, "ServingApproved",
          [] {
            auto r = w0();
            r.object.conditions.push_back(kube::CsrCondition{"Denied", "False", "", "", {}, {}});
            return r;
          }),
      row("non-node username with a node CN (serving signer)", kIgnore, "RequesterNotRecognized",
          [] {
            auto r = w0();
            r.object.username = "alice";
            r.object.groups = {"system:authenticated"};
            return r;
          }),
      row("non-node username in system:nodes with a node CN", kIgnore, "RequesterNotRecognized",
          [] {
            auto r = w0();
            r.object.username = "system:serviceaccount:default:evil";
            return r;
          }),
      row("unknown requester on the client signer", kIgnore, "RequesterNotRecognized",
          [] {
            auto r = Request::bootstrap("worker-2");
            r.object.username = "bob";
            r.object.groups = {"system:authenticated"};
            return r;
          }),
      row("serving disabled in kinds", kIgnore, "KindDisabled", w0,
          [](World& w) { w.config.kinds.serving = false; }),
      row(
          "client renewal disabled in kinds", kIgnore, "KindDisabled",
          [] { return Request::renewal("worker-0"); },
          [](World& w) { w.config.kinds.client_renewal = false; }),
      row(
          "client bootstrap disabled in kinds", kIgnore, "KindDisabled",
          [] { return Request::bootstrap("worker-2"); },
          [](World& w) { w.config.kinds.client_bootstrap = false; }),
      row(
          "custom bootstrap username", kApprove, "ClientBootstrapApproved",
          [] {
            auto r = Request::bootstrap("worker-2");
            r.object.username = "system:serviceaccount:kube-system:bootstrapper";
            return r;
          },
          [](World& w) {
            w.config.bootstrap.usernames = {"system:serviceaccount:kube-system:bootstrapper"};
          }),
      row(
          "default bootstrap username no longer configured", kIgnore, "RequesterNotRecognized",
          [] { return Request::bootstrap("worker-2"); },
          [](World& w) { w.config.bootstrap.usernames.clear(); }),

      // --- what a failure does ---
      row("failureAction deny: a failed check is denied", kDeny, "SanIpNotInInventory", stranger,
          deny),
      row(
          "failureAction deny: a waiting reason stays pending", kPending, "NodeNotFound",
          [] {
            auto r = Request::serving("worker-2");
            r.builder.ip("192.0.2.12");
            return r;
          },
          deny),
      row(
          "override: deny a waiting reason explicitly", kDeny, "NodeNotFound",
          [] {
            auto r = Request::serving("worker-2");
            r.builder.ip("192.0.2.12");
            return r;
          },
          [](World& w) {
            w.config.failure_action_overrides["NodeNotFound"] = FailureAction::kDeny;
          }),
      row(
          "override: deny one reason under the pending default", kDeny, "SanDnsWildcard",
          [] {
            auto r = w0();
            r.builder.dns("*.lab.example.com");
            return r;
          },
          [](World& w) {
            w.config.failure_action_overrides["SanDnsWildcard"] = FailureAction::kDeny;
          }),
      row("override: keep one reason pending under deny", kPending, "SanIpNotInInventory", stranger,
          [](World& w) {
            deny(w);
            w.config.failure_action_overrides["SanIpNotInInventory"] = FailureAction::kPending;
          }),
      row("transient reasons are never denied, even with an override", kPending,
          "DnsResolverUnavailable", w0,
          [](World& w) {
            deny(w);
            w.config.serving.resolve_dns = true;
            w.config.failure_action_overrides["DnsResolverUnavailable"] = FailureAction::kDeny;
          }),
      row(
          "a takeover attempt is denied under deny", kDeny, "NodeAlreadyExists",
          [] { return Request::bootstrap("worker-0"); }, deny),

      // --- key settings ---
      row(
          "allowRSA false", kPending, "KeyTypeNotAllowed",
          [] {
            auto r = Request::serving_rsa("worker-0");
            return r;
          },
          [](World& w) { w.config.keys.allow_rsa = false; }),
      row(
          "rsaMinBits 3072 refuses RSA 2048", kPending, "KeyTooWeak",
          [] { return Request::serving_rsa("worker-0"); },
          [](World& w) { w.config.keys.rsa_min_bits = 3072; }),
      row("ecdsaCurves [P-384] refuses P-256", kPending, "KeyTypeNotAllowed", w0,
          [](World& w) { w.config.keys.ecdsa_curves = {"P-384"}; }),
      row(
          "ecdsaCurves empty refuses ECDSA", kPending, "KeyTypeNotAllowed",
          [] { return Request::renewal("worker-0"); },
          [](World& w) { w.config.keys.ecdsa_curves.clear(); }),
      row(
          "maxExpirationSeconds lowered", kPending, "ExpirationTooLong",
          [] {
            auto r = w0();
            r.object.expiration_seconds = 7200;
            return r;
          },
          [](World& w) { w.config.max_expiration_seconds = 3600; }),
  };
}

}  // namespace nca::policy::testing

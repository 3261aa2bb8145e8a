// evaluate(): classify the CSR, run the rule table, turn the first failure into an outcome.
#include "policy/evaluate.h"

#include <algorithm>

#include "policy/reasons.h"
#include "policy/rules.h"

namespace nca::policy {
namespace {

using detail::Context;
using detail::Recorder;
using detail::Rule;

constexpr std::string_view kKindCheck = "csr.kind";

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// Any condition with status True, or an issued certificate. Spelled out here (not
// CertificateSigningRequest::is_pending) so that this library needs only kube's header.
bool decided(const kube::CertificateSigningRequest& csr) {
  if (csr.has_certificate) return true;
  return std::any_of(csr.conditions.begin(), csr.conditions.end(), [](const auto& c) {
    return c.status == "True" && (c.type == "Approved" || c.type == "Denied" || c.type == "Failed");
  });
}

struct Classification {
  CsrKind kind = CsrKind::kUnknown;
  std::string_view ignore_reason;  // set when the CSR is not ours
  std::string message;
};

// By signer and requester, like the recognisers of sarapprove.go.
Classification classify(const kube::CertificateSigningRequest& csr, const PolicyConfig& cfg) {
  Classification c;
  const bool serving_signer = csr.signer_name == kServingSigner;
  const bool client_signer = csr.signer_name == kClientSigner;
  if (!serving_signer && !client_signer) {
    c.ignore_reason = reason::kSignerNotHandled;
    c.message = "signer \"" + csr.signer_name + "\" is not handled by this approver";
    return c;
  }
  if (decided(csr)) {
    c.ignore_reason = reason::kAlreadyDecided;
    c.message = "the CSR is already approved, denied, failed or issued";
    return c;
  }
  const bool node_user = csr.username.starts_with(detail::kNodeUserPrefix);
  if (serving_signer && node_user) {
    c.kind = CsrKind::kServing;
  } else if (client_signer && node_user) {
    c.kind = CsrKind::kClientRenewal;
  } else if (client_signer &&
             (contains(cfg.bootstrap.usernames, csr.username) ||
              std::any_of(csr.groups.begin(), csr.groups.end(), [&](const std::string& g) {
                return contains(cfg.bootstrap.groups, g);
              }))) {
    c.kind = CsrKind::kClientBootstrap;
  } else {
    c.ignore_reason = reason::kRequesterNotRecognized;
    c.message = "requester \"" + csr.username + "\" is neither a node nor a bootstrap identity";
    return c;
  }
  const bool enabled = c.kind == CsrKind::kServing           ? cfg.kinds.serving
                       : c.kind == CsrKind::kClientBootstrap ? cfg.kinds.client_bootstrap
                                                             : cfg.kinds.client_renewal;
  if (!enabled) {
    c.ignore_reason = reason::kKindDisabled;
    c.message = std::string(kind_name(c.kind)) + " CSRs are disabled in the config";
  }
  return c;
}

unsigned kind_bit(CsrKind kind) {
  switch (kind) {
    case CsrKind::kServing:
      return detail::kServingOnly;
    case CsrKind::kClientBootstrap:
      return detail::kBootstrapOnly;
    case CsrKind::kClientRenewal:
      return detail::kRenewalOnly;
    case CsrKind::kUnknown:
      break;
  }
  return 0;
}

// The claimed node name: from the username for node identities, from the CN for bootstrap.
void derive_node_name(Context& ctx) {
  const auto prefix = detail::kNodeUserPrefix;
  if (ctx.kind == CsrKind::kClientBootstrap) {
    if (ctx.parsed == nullptr || ctx.parsed->common_names.size() != 1 ||
        !ctx.parsed->common_names[0].starts_with(prefix)) {
      return;
    }
    ctx.node_name = ctx.parsed->common_names[0].substr(prefix.size());
  } else {
    ctx.node_name = ctx.in.csr.username.substr(prefix.size());
  }
  ctx.node_name_known = true;
  ctx.node_name_valid = is_valid_node_name(ctx.node_name);
}

std::string_view approved_reason(CsrKind kind) {
  switch (kind) {
    case CsrKind::kServing:
      return reason::kServingApproved;
    case CsrKind::kClientBootstrap:
      return reason::kClientBootstrapApproved;
    default:
      return reason::kClientRenewalApproved;
  }
}

void run(std::span<const Rule> rules, const Context& ctx, Recorder& rec) {
  const unsigned bit = kind_bit(ctx.kind);
  for (const Rule& rule : rules) {
    if ((rule.kinds & bit) == 0) continue;
    if (rule.needs_parsed && ctx.parsed == nullptr) continue;
    if (rule.needs_node_name && !ctx.node_name_valid) continue;
    if (rule.only_when_clean && rec.failed()) continue;
    rec.set_rule(rule.name);
    rule.run(ctx, rec);
  }
}

}  // namespace

Outcome failure_outcome(std::string_view code, const PolicyConfig& cfg) {
  const ReasonInfo* info = find_reason(code);
  const ReasonClass klass = info ? info->klass : ReasonClass::kFailure;
  if (klass == ReasonClass::kTransient) return Outcome::kPending;
  if (auto it = cfg.failure_action_overrides.find(code); it != cfg.failure_action_overrides.end()) {
    return it->second == FailureAction::kDeny ? Outcome::kDeny : Outcome::kPending;
  }
  if (klass == ReasonClass::kWaiting) return Outcome::kPending;
  return cfg.failure_action == FailureAction::kDeny ? Outcome::kDeny : Outcome::kPending;
}

std::vector<std::string_view> all_check_names() {
  std::vector<std::string_view> out{kKindCheck};
  for (const Rule& r : detail::request_rules()) out.push_back(r.name);
  for (const Rule& r : detail::cluster_internal_rules()) out.push_back(r.name);
  for (const Rule& r : detail::identity_rules()) out.push_back(r.name);
  out.push_back(kNewestOfNodeCheck);
  out.push_back(kOneClientCertCheck);
  return out;
}

Decision evaluate(const EvaluationInput& input, const PolicyConfig& config) {
  Decision d;
  d.dry_run = config.dry_run;
  const Classification cls = classify(input.csr, config);
  d.kind = cls.kind;
  if (!cls.ignore_reason.empty()) {
    d.outcome = Outcome::kIgnore;
    d.reason = std::string(cls.ignore_reason);
    d.message = cls.message;
    d.checks.push_back(Check{std::string(kKindCheck), false, d.reason + ": " + cls.message});
    return d;
  }
  d.checks.push_back(Check{std::string(kKindCheck), true,
                           std::string(kind_name(cls.kind)) + " CSR from \"" + input.csr.username +
                               "\" for signer " + input.csr.signer_name});

  Context ctx(input, config);
  ctx.kind = cls.kind;
  if (input.parsed.is_ok()) ctx.parsed = &input.parsed.value();
  derive_node_name(ctx);
  if (ctx.node_name_valid) {
    ctx.identity = detail::build_identity(input.inventory, ctx.node_name, config.serving);
  }
  d.node_name = ctx.node_name;

  Recorder rec(d.checks, d.evidence);
  run(detail::request_rules(), ctx, rec);
  run(detail::cluster_internal_rules(), ctx, rec);
  run(detail::identity_rules(), ctx, rec);

  if (rec.failed()) {
    d.reason = std::string(rec.first_reason());
    d.message = rec.first_message();
    d.outcome = failure_outcome(d.reason, config);
    return d;
  }
  d.outcome = Outcome::kApprove;
  d.reason = std::string(approved_reason(cls.kind));
  d.message = std::string(kind_name(cls.kind)) + " CSR for node \"" + ctx.node_name +
              "\" passed every check";
  return d;
}

}  // namespace nca::policy

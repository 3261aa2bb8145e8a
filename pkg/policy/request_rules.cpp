// Rules on the request itself: requester identity, subject, key, usages, SAN types and
// expiration. Nothing here looks at the inventory (see identity_rules.cpp).
#include <algorithm>
#include <array>
#include <set>

#include "policy/reasons.h"
#include "policy/rules.h"

namespace nca::policy::detail {
namespace {

namespace r = reason;

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += '"' + items[i] + '"';
  }
  return out + "]";
}

void requester_groups(const Context& c, Recorder& rec) {
  const auto& groups = c.in.csr.groups;
  if (c.kind == CsrKind::kClientBootstrap) {
    if (!contains(groups, kAuthenticatedGroup)) {
      rec.fail(r::kBootstrapperNotAuthenticated,
               "bootstrap requester " + c.in.csr.username + " is not in group " +
                   std::string(kAuthenticatedGroup) + " (groups " + quoted_list(groups) + ")");
      return;
    }
    rec.pass("bootstrap identity " + c.in.csr.username + ", groups " + quoted_list(groups));
    return;
  }
  if (!contains(groups, kNodesGroup) || !contains(groups, kAuthenticatedGroup)) {
    rec.fail(r::kNodeGroupsMissing, "node requester " + c.in.csr.username +
                                        " must be in groups system:nodes and "
                                        "system:authenticated, has " +
                                        quoted_list(groups));
    return;
  }
  rec.pass("groups " + quoted_list(groups) + " include system:nodes and system:authenticated");
}

void requester_node_name(const Context& c, Recorder& rec) {
  if (!c.node_name_known) return;  // bootstrap CN unreadable: the CN rule reports it
  if (!c.node_name_valid) {
    rec.fail(r::kInvalidNodeName,
             c.node_name.empty()
                 ? std::string("the claimed node name is empty")
                 : "node name \"" + c.node_name +
                       "\" is not a valid DNS subdomain (lower-case letters, digits, '-', '.')");
    return;
  }
  rec.pass("node name \"" + c.node_name + "\"");
}

void request_parse(const Context& c, Recorder& rec) {
  if (!c.in.parsed.is_ok()) {
    rec.fail(r::kCsrUnparseable,
             "spec.request is not a usable CSR: " + c.in.parsed.status().message());
    return;
  }
  rec.pass("one PEM certificate request, parsed");
}

void request_signature(const Context& c, Recorder& rec) {
  if (!c.parsed->signature_valid) {
    rec.fail(r::kSignatureInvalid, "the request's self-signature does not verify with its key");
    return;
  }
  rec.pass("self-signature verifies");
}

void subject_common_name(const Context& c, Recorder& rec) {
  const auto& cns = c.parsed->common_names;
  if (cns.size() != 1) {
    rec.fail(r::kCommonNameMismatch,
             "subject must have exactly one CN, has " + std::to_string(cns.size()));
    return;
  }
  if (c.kind == CsrKind::kClientBootstrap) {
    if (!cns[0].starts_with(kNodeUserPrefix)) {
      rec.fail(r::kCommonNameMismatch,
               "bootstrap CSR subject CN \"" + cns[0] + "\" is not system:node:<name>");
      return;
    }
    rec.pass("CN \"" + cns[0] + "\"");
    return;
  }
  if (cns[0] != c.in.csr.username) {
    rec.fail(r::kCommonNameMismatch, "subject CN \"" + cns[0] + "\" differs from the requester \"" +
                                         c.in.csr.username + "\"");
    return;
  }
  rec.pass("CN \"" + cns[0] + "\" equals the requester");
}

void subject_organization(const Context& c, Recorder& rec) {
  const auto& orgs = c.parsed->organizations;
  if (orgs.size() != 1 || orgs[0] != kNodesGroup) {
    rec.fail(r::kOrganizationMismatch,
             "subject O must be exactly [\"system:nodes\"], is " + quoted_list(orgs));
    return;
  }
  rec.pass("O [\"system:nodes\"]");
}

void subject_other_attributes(const Context& c, Recorder& rec) {
  const auto& other = c.parsed->other_subject_attributes;
  if (!other.empty()) {
    rec.fail(r::kSubjectAttributesUnexpected,
             "subject has attributes other than CN and O: " + join(other));
    return;
  }
  rec.pass("subject has only CN and O");
}

void request_extensions(const Context& c, Recorder& rec) {
  const auto& ext = c.parsed->other_extensions;
  if (!ext.empty()) {
    rec.fail(r::kExtensionsUnexpected,
             "request asks for extensions other than subjectAltName: " + join(ext));
    return;
  }
  rec.pass("no extension other than subjectAltName requested");
}

std::string nist_curve(std::string_view openssl_name) {
  if (openssl_name == "prime256v1" || openssl_name == "secp256r1" || openssl_name == "P-256") {
    return "P-256";
  }
  if (openssl_name == "secp384r1" || openssl_name == "P-384") return "P-384";
  return std::string(openssl_name);
}

void request_key(const Context& c, Recorder& rec) {
  const auto& key = c.parsed->key;
  const auto& cfg = c.config.keys;
  switch (key.algorithm) {
    case x509::KeyAlgorithm::kRsa:
      if (!cfg.allow_rsa) {
        rec.fail(r::kKeyTypeNotAllowed, "RSA keys are disabled (keys.allowRSA: false)");
      } else if (key.bits < cfg.rsa_min_bits) {
        rec.fail(r::kKeyTooWeak, "RSA key of " + std::to_string(key.bits) + " bits, at least " +
                                     std::to_string(cfg.rsa_min_bits) + " required");
      } else {
        rec.pass("RSA " + std::to_string(key.bits) + " bits");
      }
      return;
    case x509::KeyAlgorithm::kEcdsa: {
      std::string curve = nist_curve(key.curve);
      if (!contains(cfg.ecdsa_curves, curve)) {
        rec.fail(r::kKeyTypeNotAllowed, "ECDSA curve \"" + key.curve + "\" is not allowed (" +
                                            quoted_list(cfg.ecdsa_curves) + ")");
      } else {
        rec.pass("ECDSA " + curve);
      }
      return;
    }
    default:
      rec.fail(r::kKeyTypeNotAllowed,
               "key type \"" + (key.type_name.empty() ? std::string("unknown") : key.type_name) +
                   "\" is not allowed: only RSA and ECDSA");
      return;
  }
}

void request_usages(const Context& c, Recorder& rec) {
  const auto& usages = c.in.csr.usages;
  std::set<std::string_view> seen;
  for (const auto& u : usages) {
    if (!seen.insert(u).second) {
      rec.fail(r::kUsagesDuplicated, "usage \"" + u + "\" is listed more than once");
      return;
    }
  }
  const bool serving = c.kind == CsrKind::kServing;
  const std::string_view auth = serving ? "server auth" : "client auth";
  // Key encipherment only makes sense for RSA key transport; an unparsed key fails earlier.
  const bool rsa = c.parsed == nullptr || c.parsed->key.algorithm == x509::KeyAlgorithm::kRsa;
  for (const auto& u : usages) {
    if (u == "digital signature" || u == auth) continue;
    if (u == "key encipherment" && rsa) continue;
    rec.fail(r::kUsagesMismatch, "usage \"" + u + "\" is not allowed for a " +
                                     std::string(kind_name(c.kind)) + " CSR" +
                                     (u == "key encipherment" ? " with a non-RSA key" : ""));
    return;
  }
  for (std::string_view required : {std::string_view("digital signature"), auth}) {
    if (!seen.contains(required)) {
      rec.fail(r::kUsagesMismatch, "usage \"" + std::string(required) + "\" is required for a " +
                                       std::string(kind_name(c.kind)) + " CSR, usages are " +
                                       quoted_list(usages));
      return;
    }
  }
  rec.pass("usages " + quoted_list(usages));
}

void request_expiration(const Context& c, Recorder& rec) {
  const auto& exp = c.in.csr.expiration_seconds;
  if (!exp) {
    rec.pass("no expirationSeconds: the signer's default duration applies");
    return;
  }
  if (*exp > c.config.max_expiration_seconds) {
    rec.fail(r::kExpirationTooLong, "expirationSeconds " + std::to_string(*exp) +
                                        " exceeds the maximum " +
                                        std::to_string(c.config.max_expiration_seconds));
    return;
  }
  rec.pass("expirationSeconds " + std::to_string(*exp));
}

void san_no_email(const Context& c, Recorder& rec) {
  const auto& v = c.parsed->sans.emails;
  if (!v.empty()) return rec.fail(r::kSanEmailNotAllowed, "email SANs are not allowed: " + join(v));
  rec.pass("no email SAN");
}

void san_no_uri(const Context& c, Recorder& rec) {
  const auto& v = c.parsed->sans.uris;
  if (!v.empty()) return rec.fail(r::kSanUriNotAllowed, "URI SANs are not allowed: " + join(v));
  rec.pass("no URI SAN");
}

void san_no_other(const Context& c, Recorder& rec) {
  const auto& v = c.parsed->sans.others;
  if (!v.empty()) {
    return rec.fail(r::kSanOtherNotAllowed,
                    "SANs other than DNS and IP are not allowed: " + join(v));
  }
  rec.pass("no other SAN type");
}

void client_no_sans(const Context& c, Recorder& rec) {
  const auto& s = c.parsed->sans;
  if (!s.dns.empty() || !s.ips.empty()) {
    std::vector<std::string> all = s.dns;
    for (const auto& ip : s.ips) all.push_back(ip.text);
    rec.fail(r::kClientCsrHasSans, "client CSRs carry no SANs, this one has " + join(all));
    return;
  }
  rec.pass("no SANs");
}

void serving_has_san(const Context& c, Recorder& rec) {
  const auto& s = c.parsed->sans;
  if (s.dns.empty() && s.ips.empty()) {
    rec.fail(r::kServingCsrWithoutSans, "a serving CSR must carry at least one DNS or IP SAN");
    return;
  }
  rec.pass(std::to_string(s.dns.size()) + " DNS and " + std::to_string(s.ips.size()) + " IP SANs");
}

// name, kinds, needs_parsed, needs_node_name, only_when_clean, run
constexpr std::array kRequestRules = {
    Rule{"requester.groups", kAllKinds, false, false, false, requester_groups},
    Rule{"requester.node-name", kAllKinds, false, false, false, requester_node_name},
    Rule{"request.parse", kAllKinds, false, false, false, request_parse},
    Rule{"request.signature", kAllKinds, true, false, false, request_signature},
    Rule{"subject.common-name", kAllKinds, true, false, false, subject_common_name},
    Rule{"subject.organization", kAllKinds, true, false, false, subject_organization},
    Rule{"subject.other-attributes", kAllKinds, true, false, false, subject_other_attributes},
    Rule{"request.extensions", kAllKinds, true, false, false, request_extensions},
    Rule{"request.key", kAllKinds, true, false, false, request_key},
    Rule{"request.usages", kAllKinds, false, false, false, request_usages},
    Rule{"request.expiration", kAllKinds, false, false, false, request_expiration},
    Rule{"san.no-email", kAllKinds, true, false, false, san_no_email},
    Rule{"san.no-uri", kAllKinds, true, false, false, san_no_uri},
    Rule{"san.no-other", kAllKinds, true, false, false, san_no_other},
    Rule{"client.no-sans", kClient, true, false, false, client_no_sans},
    Rule{"serving.has-san", kServingOnly, true, false, false, serving_has_san},
};

}  // namespace

std::span<const Rule> request_rules() { return kRequestRules; }

}  // namespace nca::policy::detail

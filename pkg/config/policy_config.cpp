#include "config/policy_config.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "config/policy_yaml.h"
#include "policy/names.h"
#include "policy/reasons.h"
#include "x509/ip_address.h"

namespace nca::config {
namespace detail {
namespace {

using policy::FailureAction;
using policy::TrustNodeAddresses;

// Identities that would let far more than bootstrappers create client bootstrap CSRs.
std::string check_bootstrap_group(const std::string& g) {
  if (g.empty()) return "must not be empty";
  if (g == "system:authenticated" || g == "system:unauthenticated" || g == "system:nodes" ||
      g == "system:masters" || g == "system:serviceaccounts") {
    return "\"" + g + "\" is far too broad to be a bootstrap group";
  }
  return "";
}

std::string check_bootstrap_username(const std::string& u) {
  if (u.empty()) return "must not be empty";
  if (u.starts_with("system:node:")) return "a node identity cannot be a bootstrap identity";
  if (u == "system:anonymous") return "the anonymous user cannot be a bootstrap identity";
  return "";
}

std::string check_domain(const std::string& d) {
  std::string_view v(d);
  while (v.starts_with('.')) v.remove_prefix(1);
  if (v.find('*') != std::string_view::npos) return "wildcards are not allowed in domains";
  if (!policy::is_valid_hostname(policy::normalize_hostname(v))) {
    return "\"" + d + "\" is not a valid DNS domain";
  }
  return "";
}

std::string check_cidr(const std::string& c) {
  static const auto v4 = x509::parse_ip("0.0.0.0");
  static const auto v6 = x509::parse_ip("::");
  if (c.find('/') == std::string::npos) return "\"" + c + "\" has no prefix length (e.g. /24)";
  const bool ok = (v4 && x509::cidr_contains(c, *v4).has_value()) ||
                  (v6 && x509::cidr_contains(c, *v6).has_value());
  return ok ? "" : "\"" + c + "\" is not a valid CIDR";
}

std::string check_curve(const std::string& c) {
  return c == "P-256" || c == "P-384" ? "" : "curve \"" + c + "\" is not allowed (P-256, P-384)";
}

void read_pending_guard(MapReader r, policy::PendingGuardConfig& out) {
  auto v = r.value("limit");
  if (v && v->IsScalar() && v->Tag() != "!" && v->Scalar() == "auto") {
    out.fixed_limit.reset();
  } else if (v) {
    std::int64_t limit = -1;  // integer() leaves it untouched (and reports) when bad
    r.integer("limit", limit, 0, 1'000'000);
    if (limit >= 0) out.fixed_limit = limit;
  }
  r.integer("slack", out.slack, 0, 1'000'000);
  r.finish();
}

void read_failure_actions(MapReader r, policy::PolicyConfig& out) {
  for (const std::string& code : r.keys()) {
    const policy::ReasonInfo* info = policy::find_reason(code);
    if (info == nullptr) {
      r.fail(code, "unknown reason code (see docs/policy.md)");
      continue;
    }
    if (info->klass != policy::ReasonClass::kFailure &&
        info->klass != policy::ReasonClass::kWaiting) {
      r.fail(code, "the outcome of this reason cannot be configured");
      continue;
    }
    auto v = r.scalar(code, "pending or deny");
    if (!v) continue;
    if (*v == "pending" || *v == "deny") {
      out.failure_action_overrides[code] =
          *v == "deny" ? FailureAction::kDeny : FailureAction::kPending;
    } else {
      r.fail(code, "must be one of pending, deny, got \"" + *v + "\"");
    }
  }
  r.finish();
}

std::string check_dns_server(const std::string& s) {
  // "IP", "IP:port", "[IPv6]:port"
  std::string host = s;
  std::string port;
  if (s.starts_with('[')) {
    auto close = s.find(']');
    if (close == std::string::npos) return "\"" + s + "\" lacks the closing ]";
    host = s.substr(1, close - 1);
    if (close + 1 < s.size()) {
      if (s[close + 1] != ':') return "\"" + s + "\" is not [IPv6]:port";
      port = s.substr(close + 2);
    }
  } else if (std::count(s.begin(), s.end(), ':') == 1) {
    host = s.substr(0, s.find(':'));
    port = s.substr(s.find(':') + 1);
  }
  if (!x509::parse_ip(host)) return "\"" + s + "\" is not an IP address (host names are not)";
  if (!port.empty()) {
    const bool digits = port.size() <= 5 && std::all_of(port.begin(), port.end(), ::isdigit);
    if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535) {
      return "\"" + s + "\" has an invalid port";
    }
  }
  return "";
}

void read_dns(MapReader r, policy::DnsConfig& out) {
  using namespace std::chrono_literals;
  r.strings("servers", out.servers, check_dns_server);
  r.duration("timeout", out.timeout, 1s);
  r.integer("attempts", out.attempts, 1, 10);
  r.duration("minTTL", out.min_ttl, 1s);
  r.duration("maxTTL", out.max_ttl, 1s);
  r.duration("negativeTTL", out.negative_ttl, 1s);
  if (out.max_ttl < out.min_ttl) r.fail("maxTTL", "must not be below minTTL");
  r.boolean("reverseCheck", out.reverse_check);
  r.boolean("answersInAllowedCIDRs", out.answers_in_allowed_cidrs);
  r.finish();
}

std::string check_address_type(const std::string& t) {
  for (const char* ok : {"InternalIP", "Hostname", "ExternalIP", "InternalDNS", "ExternalDNS"}) {
    if (t == ok) return "";
  }
  return "\"" + t +
         "\" is not a Node address type (InternalIP, Hostname, ExternalIP, InternalDNS, "
         "ExternalDNS)";
}

void read_live_certificate(MapReader r, policy::LiveCertificateConfig& out) {
  using namespace std::chrono_literals;
  r.boolean("enabled", out.enabled);
  r.string("caBundleFile", out.ca_bundle_file);
  {
    auto cm = r.section("caBundleConfigMap");
    std::string ns, name;
    cm.string("namespace", ns);
    cm.string("name", name);
    cm.string("key", out.ca_bundle_key);
    if (!ns.empty() || !name.empty()) {
      if (ns.empty() || name.empty()) {
        cm.fail("name", "caBundleConfigMap needs both namespace and name");
      } else {
        out.ca_bundle_config_map = ns + "/" + name;
      }
    }
    cm.finish();
  }
  std::vector<std::string> types = out.address_types;
  r.strings("addressTypes", types, check_address_type);
  if (types.empty()) {
    r.fail("addressTypes", "must name at least one address type");
  } else {
    out.address_types = types;
  }
  r.duration("dialTimeout", out.dial_timeout, 1s);
  r.duration("cacheFor", out.cache_for, 1s);
  if (out.enabled && out.ca_bundle_file.empty() == out.ca_bundle_config_map.empty()) {
    r.fail("enabled", "needs exactly one of caBundleFile and caBundleConfigMap");
  }
  r.finish();
}

}  // namespace

void read_policy(MapReader& top, policy::PolicyConfig& out) {
  using namespace std::chrono_literals;
  {
    auto r = top.section("bootstrap");
    r.strings("usernames", out.bootstrap.usernames, check_bootstrap_username);
    r.strings("groups", out.bootstrap.groups, check_bootstrap_group);
    r.duration("creationWindow", out.bootstrap.creation_window, 1s);
    r.finish();
  }
  read_pending_guard(top.section("pendingGuard"), out.pending_guard);
  {
    auto r = top.section("serving");
    r.strings("allowedDomains", out.serving.allowed_domains, check_domain);
    r.boolean("allowSingleLabelNames", out.serving.allow_single_label_names);
    r.strings("allowedCIDRs", out.serving.allowed_cidrs, check_cidr);
    r.choice<TrustNodeAddresses>("trustNodeAddresses",
                                 {{"auto", TrustNodeAddresses::kAuto},
                                  {"always", TrustNodeAddresses::kAlways},
                                  {"never", TrustNodeAddresses::kNever}},
                                 out.serving.trust_node_addresses);
    r.boolean("resolveDNS", out.serving.resolve_dns);
    read_dns(r.section("dns"), out.serving.dns);
    read_live_certificate(r.section("renewalFromLiveCertificate"),
                          out.serving.renewal_from_live_certificate);
    r.finish();
  }
  {
    auto r = top.section("clusterNetwork");
    std::optional<std::string> domain = r.scalar("domain", "a DNS domain");
    if (domain) {
      std::string d = policy::normalize_hostname(*domain);
      if (!policy::is_valid_hostname(d)) {
        r.fail("domain", "\"" + *domain + "\" is not a valid DNS domain (e.g. cluster.local)");
      } else {
        out.cluster_network.domain = d;
      }
    }
    r.strings("internalCIDRs", out.cluster_network.internal_cidrs, check_cidr);
    r.finish();
  }
  {
    auto r = top.section("keys");
    r.boolean("allowRSA", out.keys.allow_rsa);
    r.integer("rsaMinBits", out.keys.rsa_min_bits, 2048, 16384);
    std::vector<std::string> curves = out.keys.ecdsa_curves;
    r.strings("ecdsaCurves", curves, check_curve);
    std::sort(curves.begin(), curves.end());
    if (std::adjacent_find(curves.begin(), curves.end()) != curves.end()) {
      r.fail("ecdsaCurves", "lists a curve twice");
    } else {
      r.strings("ecdsaCurves", out.keys.ecdsa_curves, check_curve);
    }
    r.finish();
  }
  {
    auto r = top.section("kinds");
    r.boolean("serving", out.kinds.serving);
    r.boolean("clientBootstrap", out.kinds.client_bootstrap);
    r.boolean("clientRenewal", out.kinds.client_renewal);
    r.finish();
  }
  // Kubernetes refuses expirationSeconds below 600; ten years is far beyond any signer.
  top.integer("maxExpirationSeconds", out.max_expiration_seconds, 600, 10LL * 365 * 24 * 3600);
  top.choice<FailureAction>("failureAction",
                            {{"pending", FailureAction::kPending}, {"deny", FailureAction::kDeny}},
                            out.failure_action);
  read_failure_actions(top.section("failureActions"), out);
  top.boolean("dryRun", out.dry_run);
}

}  // namespace detail

Result<policy::PolicyConfig> parse_policy_config(std::string_view yaml, std::string_view source) {
  const std::string prefix = std::string(source) + ": ";
  YAML::Node root;
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(std::string(yaml));
    if (docs.size() > 1)
      return invalid(prefix + "expected one YAML document, found " + std::to_string(docs.size()));
    if (!docs.empty()) root = docs.front();
  } catch (const YAML::Exception& e) {
    return invalid(prefix + "line " + std::to_string(detail::line_of(e.mark)) + ": " + e.msg);
  } catch (const std::exception& e) {
    return invalid(prefix + e.what());
  }
  policy::PolicyConfig out;
  detail::ErrorList errors;
  try {
    detail::MapReader top(root, "", errors);
    detail::read_policy(top, out);
    top.finish();
  } catch (const std::exception& e) {  // yaml-cpp conversions; should not happen
    return invalid(prefix + e.what());
  }
  if (!errors.empty()) return invalid(prefix + errors.joined());
  return out;
}

Result<policy::PolicyConfig> load_policy_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid("cannot read config file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return invalid("cannot read config file " + path);
  return parse_policy_config(text.str(), path);
}

}  // namespace nca::config

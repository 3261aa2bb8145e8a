// Rules on the request against the cluster's inventory: does the node exist (or not, for
// bootstrap), which machine is it, and is every SAN one of that machine's names and
// addresses. Node status.addresses are self-reported, so they count only per
// serving.trustNodeAddresses and never when another node claims the same value.
#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <utility>

#include "policy/pending_guard.h"
#include "policy/reasons.h"
#include "policy/rules.h"
#include "x509/ip_address.h"

namespace nca::policy::detail {
namespace {

namespace r = reason;
using inventory::Machine;

// Whether `m` may be node `name`: exactly as Snapshot::machines_for_node matches (case and
// one trailing dot of the machine's names ignored).
bool maps_to(const Machine& m, std::string_view name) { return inventory::maps_to_node(m, name); }

// describe(m), plus the source's own spelling of node name `name` where it differs:
// OpenShiftMachine ns/a (as "IP-10-0-1-2.EC2.INTERNAL.").
std::string describe_as(const Machine& m, std::string_view name) {
  std::string out = describe(m);
  for (const std::string& written : m.node_names_as_written) {
    if (inventory::folds_to(written, name)) return out + " (as \"" + written + "\")";
  }
  return out;
}

// Whether BareMetalHost `host` names some OpenShift Machine as its consumer, and it is not `m`.
bool provisioned_for_another(const Machine& host, const Machine& m) {
  constexpr std::string_view kMachineConsumer = "Machine ";
  if (!host.consumer.starts_with(kMachineConsumer)) return false;
  std::string_view consumer = std::string_view(host.consumer).substr(kMachineConsumer.size());
  return consumer != (m.namespace_.empty() ? m.name : m.namespace_ + "/" + m.name);
}

// Two of the machines of one node name that cannot both be that node: two records of the
// same kind of source (two Machines, two BareMetalHosts, two static entries), or a
// BareMetalHost provisioned for another OpenShift Machine than the one mapping there too.
// Records of different kinds describing one host (a Machine and its BareMetalHost) are not.
std::optional<std::pair<const Machine*, const Machine*>> ambiguous_pair(
    const std::vector<const Machine*>& machines) {
  using inventory::Source;
  for (std::size_t i = 0; i < machines.size(); ++i) {
    for (std::size_t j = i + 1; j < machines.size(); ++j) {
      const Machine* a = machines[i];
      const Machine* b = machines[j];
      if (a->source == b->source) return std::pair{a, b};
      const bool a_host = a->source == Source::kBareMetalHost;
      const Machine* host = a_host ? a : b;
      const Machine* other = a_host ? b : a;
      if (host->source == Source::kBareMetalHost && other->source == Source::kOpenShiftMachine &&
          provisioned_for_another(*host, *other)) {
        return std::pair{a, b};
      }
    }
  }
  return std::nullopt;
}

std::optional<x509::IpAddress> canonical(const x509::IpAddress& ip) {
  return x509::canonical_ip(ip.bytes);
}

bool has_address(const Machine& m, const x509::IpAddress& ip) {
  return std::any_of(m.addresses.begin(), m.addresses.end(), [&](const x509::IpAddress& a) {
    auto ca = canonical(a);
    return ca && ca->bytes == ip.bytes;
  });
}

bool has_hostname(const Machine& m, std::string_view normalized) {
  return std::any_of(m.hostnames.begin(), m.hostnames.end(),
                     [&](const std::string& h) { return normalize_hostname(h) == normalized; });
}

bool contains_ip(const std::vector<x509::IpAddress>& v, const x509::IpAddress& ip) {
  return std::any_of(v.begin(), v.end(), [&](const auto& a) { return a.bytes == ip.bytes; });
}

const Machine* owning_machine_by_ip(const TrustedIdentity& id, const x509::IpAddress& ip) {
  for (const Machine* m : id.machines) {
    if (has_address(*m, ip)) return m;
  }
  return nullptr;
}

const Machine* owning_machine_by_name(const TrustedIdentity& id, std::string_view name) {
  for (const Machine* m : id.machines) {
    if (has_hostname(*m, name)) return m;
  }
  return nullptr;
}

std::string known_hostnames(const TrustedIdentity& id) {
  std::set<std::string> names;
  for (const Machine* m : id.machines) {
    for (const auto& h : m->hostnames) names.insert(normalize_hostname(h));
  }
  if (id.node_addresses_trusted && id.node) {
    for (const auto& h : id.node->hostnames) names.insert(normalize_hostname(h));
  }
  std::vector<std::string> v(names.begin(), names.end());
  return v.empty() ? "none" : join(v);
}

std::string known_addresses(const TrustedIdentity& id) {
  std::set<std::string> texts;
  for (const Machine* m : id.machines) {
    for (const auto& a : m->addresses) texts.insert(a.text);
  }
  if (id.node_addresses_trusted && id.node) {
    for (const auto& a : id.node->addresses) texts.insert(a.text);
  }
  std::vector<std::string> v(texts.begin(), texts.end());
  return v.empty() ? "none" : join(v);
}

bool within_domain(std::string_view name, std::string_view domain) {
  if (name == domain) return true;
  return name.size() > domain.size() && name.ends_with(domain) &&
         name[name.size() - domain.size() - 1] == '.';
}

void node_exists(const Context& c, Recorder& rec) {
  if (c.identity.node == nullptr) {
    rec.fail(r::kNodeNotFound, "no Node named \"" + c.node_name + "\" exists");
    return;
  }
  rec.pass("Node \"" + c.node_name + "\" exists");
}

using LiveState = LiveEvidence::State;

// " (live certificate: …)" for a failure message, when that evidence was asked for.
std::string live_note(const Context& c) {
  const LiveEvidence& live = live_evidence(c);
  return live.state == LiveState::kOff ? std::string() : " (live certificate: " + live.detail + ")";
}

void serving_machine(const Context& c, Recorder& rec) {
  const auto& id = c.identity;
  if (!id.machines.empty()) {
    std::vector<std::string> names;
    for (const Machine* m : id.machines) names.push_back(describe(*m));
    rec.pass("node \"" + c.node_name + "\" is " + join(names));
    return;
  }
  if (id.node_addresses_trusted && id.node != nullptr) {
    rec.pass("no inventory source: trusting the addresses Node \"" + c.node_name + "\" reports");
    return;
  }
  const LiveEvidence& live = live_evidence(c);
  if (live.state == LiveState::kMatches) {
    rec.pass("renewal of what Node \"" + c.node_name + "\" serves: " + live.detail);
    return;
  }
  if (live.state == LiveState::kPending) {
    rec.fail(r::kLiveCertificatePending, live.detail);
    return;
  }
  if (c.in.inventory.has_inventory_source) {
    rec.fail(r::kMachineNotFound,
             "no inventory machine maps to node \"" + c.node_name + "\"" + live_note(c));
  } else if (!id.node_addresses_trusted) {
    rec.fail(r::kMachineNotFound,
             "no inventory source exists and serving.trustNodeAddresses is " +
                 std::string(trust_node_addresses_name(c.config.serving.trust_node_addresses)) +
                 live_note(c));
  } else {
    rec.fail(r::kMachineNotFound, "nothing describes node \"" + c.node_name + "\"" + live_note(c));
  }
}

// For a SAN that neither the inventory nor the Node vouches for: the live certificate may.
// True when it settled the SAN (passed, or failed as pending).
bool vouched_by_live(const Context& c, Recorder& rec, const std::string& san, std::string_view type,
                     const std::string& what) {
  const LiveEvidence& live = live_evidence(c);
  if (live.state == LiveState::kMatches) {
    rec.pass(what + " is in the certificate the kubelet serves now");
    rec.evidence(san, type, "live-certificate", live.detail);
    return true;
  }
  if (live.state == LiveState::kPending) {
    rec.fail(r::kLiveCertificatePending, what + ": " + live.detail);
    rec.evidence(san, type, "", live.detail);
    return true;
  }
  return false;
}

void serving_san_dns(const Context& c, Recorder& rec) {
  const auto& id = c.identity;
  const auto& allowed = c.config.serving.allowed_domains;
  for (const auto& san : c.parsed->sans.dns) {
    const std::string name = normalize_hostname(san);
    if (auto why = cluster_internal_name(c, name)) {  // refused by serving.cluster-internal
      rec.evidence(san, "DNS", "", "cluster-internal: " + *why);
      continue;
    }
    if (name.find('*') != std::string::npos) {
      rec.fail(r::kSanDnsWildcard,
               "DNS SAN \"" + san + "\" is a wildcard; wildcards are never approved");
      rec.evidence(san, "DNS", "", "a wildcard");
      continue;
    }
    if (!is_valid_hostname(name)) {
      rec.fail(r::kSanDnsInvalid, "DNS SAN \"" + san + "\" is not a valid host name");
      rec.evidence(san, "DNS", "", "not a valid host name");
      continue;
    }
    const bool single_label = name.find('.') == std::string::npos;
    if (!allowed.empty() && !(single_label && c.config.serving.allow_single_label_names)) {
      bool ok = std::any_of(allowed.begin(), allowed.end(), [&](const std::string& d) {
        std::string_view domain(d);
        while (domain.starts_with('.')) domain.remove_prefix(1);
        return within_domain(name, normalize_hostname(domain));
      });
      if (!ok) {
        rec.fail(
            r::kSanDnsOutsideAllowedDomains,
            "DNS SAN \"" + san + "\" is outside serving.allowedDomains (" + join(allowed) + ")");
        rec.evidence(san, "DNS", "", "outside serving.allowedDomains");
        continue;
      }
    }
    if (const Machine* m = owning_machine_by_name(id, name)) {
      rec.pass("DNS SAN \"" + san + "\" is a host name of " + describe(*m));
      rec.evidence(san, "DNS", "inventory", describe(*m));
      continue;
    }
    if (id.node_addresses_trusted && id.node && has_hostname(*id.node, name)) {
      if (std::find(id.contested_hostnames.begin(), id.contested_hostnames.end(), name) !=
          id.contested_hostnames.end()) {
        rec.fail(r::kSanDnsReportedByOtherNode, "DNS SAN \"" + san + "\" is reported by Node \"" +
                                                    c.node_name +
                                                    "\" and also by another node: not trusted");
        rec.evidence(san, "DNS", "", "reported by this Node and by another node");
        continue;
      }
      rec.pass("DNS SAN \"" + san + "\" is reported by Node \"" + c.node_name + "\"");
      rec.evidence(san, "DNS", "node", "Node " + c.node_name + " status.addresses");
      continue;
    }
    if (vouched_by_live(c, rec, san, "DNS", "DNS SAN \"" + san + "\"")) continue;
    if (c.config.serving.resolve_dns) {
      // Evidence recorded by serving.dns-resolves, which runs only when all else passed.
      rec.pass("DNS SAN \"" + san +
               "\" is not an inventory host name: left to DNS (serving.dns-resolves)");
      continue;
    }
    rec.fail(r::kSanDnsNotInInventory, "DNS SAN \"" + san + "\" is not a host name of node \"" +
                                           c.node_name + "\" (known: " + known_hostnames(id) + ")" +
                                           live_note(c));
    rec.evidence(san, "DNS", "", "not a host name of node " + c.node_name + live_note(c));
  }
}

void serving_san_ip(const Context& c, Recorder& rec) {
  const auto& id = c.identity;
  const auto& cidrs = c.config.serving.allowed_cidrs;
  for (const auto& raw : c.parsed->sans.ips) {
    auto ip = canonical(raw);
    if (!ip) {
      rec.fail(r::kSanIpNotInInventory, "IP SAN of " + std::to_string(raw.bytes.size()) +
                                            " bytes is not an IPv4 or IPv6 address");
      rec.evidence(raw.text, "IP", "", "not an IPv4 or IPv6 address");
      continue;
    }
    const std::string shown =
        raw.text.empty() || raw.text == ip->text ? ip->text : raw.text + " (" + ip->text + ")";
    if (auto why = cluster_internal_ip(c, *ip)) {  // refused by serving.cluster-internal
      rec.evidence(shown, "IP", "", "cluster-internal: " + why->why);
      continue;
    }
    if (!cidrs.empty()) {
      bool ok = std::any_of(cidrs.begin(), cidrs.end(), [&](const std::string& cidr) {
        return x509::cidr_contains(cidr, *ip).value_or(false);
      });
      if (!ok) {
        rec.fail(r::kSanIpOutsideAllowedCidrs,
                 "IP SAN " + shown + " is outside serving.allowedCIDRs (" + join(cidrs) + ")");
        rec.evidence(shown, "IP", "", "outside serving.allowedCIDRs");
        continue;
      }
    }
    if (const Machine* m = owning_machine_by_ip(id, *ip)) {
      rec.pass("IP SAN " + shown + " is an address of " + describe(*m));
      rec.evidence(shown, "IP", "inventory", describe(*m));
      continue;
    }
    if (id.node_addresses_trusted && id.node && has_address(*id.node, *ip)) {
      if (contains_ip(id.contested_addresses, *ip)) {
        rec.fail(r::kSanIpReportedByOtherNode, "IP SAN " + shown + " is reported by Node \"" +
                                                   c.node_name +
                                                   "\" and also by another node: not trusted");
        rec.evidence(shown, "IP", "", "reported by this Node and by another node");
        continue;
      }
      rec.pass("IP SAN " + shown + " is reported by Node \"" + c.node_name + "\"");
      rec.evidence(shown, "IP", "node", "Node " + c.node_name + " status.addresses");
      continue;
    }
    if (vouched_by_live(c, rec, shown, "IP", "IP SAN " + shown)) continue;
    rec.fail(r::kSanIpNotInInventory, "IP SAN " + shown + " is not an address of node \"" +
                                          c.node_name + "\" (known: " + known_addresses(id) + ")" +
                                          live_note(c));
    rec.evidence(shown, "IP", "", "not an address of node " + c.node_name + live_note(c));
  }
}

bool trusted_address(const TrustedIdentity& id, const x509::IpAddress& ip) {
  if (owning_machine_by_ip(id, ip)) return true;
  return id.node_addresses_trusted && id.node && has_address(*id.node, ip) &&
         !contains_ip(id.contested_addresses, ip);
}

// The other node or machine that has `ip`, for messages and for answersInAllowedCIDRs.
std::optional<std::string> owned_elsewhere(const Context& c, const x509::IpAddress& ip) {
  for (const auto& n : c.in.inventory.nodes) {
    if (n.node_name != c.node_name && has_address(n, ip)) return "Node " + n.node_name;
  }
  for (const auto& m : c.in.inventory.machines) {
    if (!maps_to(m, c.node_name) && has_address(m, ip)) return describe(m);
  }
  return std::nullopt;
}

std::string ttl_text(const LookupResult& res) {
  return "TTL " + std::to_string(res.ttl.count()) + "s";
}

// One DNS SAN against its A/AAAA answer.
void dns_san_answer(const Context& c, Recorder& rec, const std::string& san,
                    const std::string& name, const LookupResult& res) {
  using St = LookupResult::Status;
  if (res.status == St::kPending) {
    rec.fail(r::kDnsLookupPending, "waiting for DNS to answer for \"" + name + "\"");
    rec.evidence(san, "DNS", "", "waiting for a DNS answer");
    return;
  }
  if (res.status == St::kTransient) {
    rec.fail(r::kDnsLookupTransient, "looking up \"" + name + "\" failed for now: " + res.error);
    rec.evidence(san, "DNS", "", "lookup failed for now: " + res.error);
    return;
  }
  if (res.status == St::kNotFound || res.addresses.empty()) {
    rec.fail(r::kSanDnsDoesNotResolve, "DNS SAN \"" + name + "\" does not resolve" +
                                           (res.error.empty() ? "" : ": " + res.error));
    rec.evidence(san, "DNS", "", "does not resolve" + (res.error.empty() ? "" : ": " + res.error));
    return;
  }
  const auto& serving = c.config.serving;
  std::vector<std::string> texts;
  for (const auto& a : res.addresses) {
    auto ip = canonical(a);
    const std::string text = ip ? ip->text : a.text;
    texts.push_back(text);
    if (ip && trusted_address(c.identity, *ip)) continue;
    auto owner = ip ? owned_elsewhere(c, *ip) : std::nullopt;
    const bool in_cidrs = ip && serving.dns.answers_in_allowed_cidrs && !owner &&
                          std::any_of(serving.allowed_cidrs.begin(), serving.allowed_cidrs.end(),
                                      [&](const std::string& cidr) {
                                        return x509::cidr_contains(cidr, *ip).value_or(false);
                                      }) &&
                          !cluster_internal_ip(c, *ip);
    if (in_cidrs) continue;
    const std::string whose = owner ? " (an address of " + *owner + ")" : "";
    rec.fail(r::kSanDnsResolvesElsewhere, "DNS SAN \"" + name + "\" resolves to " + text + whose +
                                              ", which is not an address of node \"" + c.node_name +
                                              "\"");
    rec.evidence(san, "DNS", "", "resolves to " + text + whose + ", not this node");
    return;
  }
  rec.pass("DNS SAN \"" + name + "\" resolves to " + join(texts) + " (" + ttl_text(res) + ")");
  rec.evidence(san, "DNS", "dns", join(texts) + " (" + ttl_text(res) + ")");
}

// serving.dns.reverseCheck: one IP SAN's PTR records must name one of the DNS SANs.
void ip_san_reverse(const Context& c, Recorder& rec, const x509::IpAddress& ip) {
  using St = LookupResult::Status;
  const LookupResult res = c.in.resolver->reverse(ip, c.in.csr.metadata.name);
  if (res.status == St::kPending) {
    rec.fail(r::kDnsLookupPending, "waiting for DNS to answer for the PTR of " + ip.text);
    rec.evidence(ip.text, "IP", "", "waiting for a PTR answer");
    return;
  }
  if (res.status == St::kTransient) {
    rec.fail(r::kDnsLookupTransient,
             "looking up the PTR of " + ip.text + " failed for now: " + res.error);
    rec.evidence(ip.text, "IP", "", "PTR lookup failed for now: " + res.error);
    return;
  }
  std::vector<std::string> sans;
  for (const auto& d : c.parsed->sans.dns) sans.push_back(normalize_hostname(d));
  for (const auto& n : res.names) {
    if (std::find(sans.begin(), sans.end(), normalize_hostname(n)) != sans.end()) {
      rec.pass("IP SAN " + ip.text + " has PTR " + n + ", one of the DNS SANs");
      rec.evidence(ip.text, "IP", "ptr", n + " (" + ttl_text(res) + ")");
      return;
    }
  }
  const std::string seen = res.names.empty() ? "no PTR record" : "PTR " + join(res.names);
  rec.fail(r::kSanIpPtrMismatch, "IP SAN " + ip.text + " has " + seen +
                                     ", naming none of the DNS SANs (" + join(sans) + ")");
  rec.evidence(ip.text, "IP", "", seen + ", none of the DNS SANs");
}

void serving_dns_resolves(const Context& c, Recorder& rec) {
  const auto& sans = c.parsed->sans;
  const bool reverse = c.config.serving.dns.reverse_check && !sans.ips.empty();
  if (!c.config.serving.resolve_dns || (sans.dns.empty() && !reverse)) return;
  if (c.in.resolver == nullptr) {
    rec.fail(r::kDnsResolverUnavailable, "serving.resolveDNS is on but no resolver is available");
    return;
  }
  // Every lookup is asked for before any answer is read: they run in parallel.
  const std::string& waiter = c.in.csr.metadata.name;
  for (const auto& san : sans.dns) {
    const std::string name = normalize_hostname(san);
    dns_san_answer(c, rec, san, name, c.in.resolver->lookup(name, waiter));
  }
  if (!reverse) return;
  for (const auto& raw : sans.ips) {
    if (auto ip = canonical(raw)) ip_san_reverse(c, rec, *ip);
  }
}

void bootstrap_node_absent(const Context& c, Recorder& rec) {
  if (c.identity.node != nullptr) {
    rec.fail(r::kNodeAlreadyExists, "Node \"" + c.node_name +
                                        "\" already exists: a bootstrap CSR for it would take "
                                        "over its identity");
    return;
  }
  rec.pass("no Node \"" + c.node_name + "\" exists yet");
}

void bootstrap_machine(const Context& c, Recorder& rec) {
  if (c.identity.machines.empty()) {
    rec.fail(r::kMachineNotFound, "no inventory machine maps to node \"" + c.node_name + "\"");
    return;
  }
  if (auto pair = ambiguous_pair(c.identity.machines)) {
    rec.fail(r::kMachineAmbiguous,
             "node \"" + c.node_name + "\" is claimed by both " +
                 describe_as(*pair->first, c.node_name) + " and " +
                 describe_as(*pair->second, c.node_name) +
                 " (names compared ignoring case and a trailing dot): which machine is joining "
                 "is unknown, so neither is approved");
    return;
  }
  std::vector<std::string> names;
  for (const Machine* m : c.identity.machines) names.push_back(describe_as(*m, c.node_name));
  rec.pass("node \"" + c.node_name + "\" is " + join(names));
}

void bootstrap_machine_unlinked(const Context& c, Recorder& rec) {
  if (c.identity.machines.empty()) return;  // reported by bootstrap.machine
  for (const Machine* m : c.identity.machines) {
    if (m->has_node_ref) {
      rec.fail(r::kMachineAlreadyHasNode, describe(*m) + " is already linked to a Node");
      return;
    }
  }
  rec.pass("no machine of node \"" + c.node_name + "\" is linked to a Node yet");
}

void bootstrap_creation_window(const Context& c, Recorder& rec) {
  if (c.identity.machines.empty()) return;  // reported by bootstrap.machine
  std::optional<WallTime> created;
  const Machine* newest = nullptr;
  for (const Machine* m : c.identity.machines) {
    if (m->created && (!created || *m->created > *created)) {
      created = m->created;
      newest = m;
    }
  }
  const auto& csr_created = c.in.csr.metadata.creation_timestamp;
  if (!created || !csr_created) {
    rec.fail(r::kCreationTimeUnknown,
             !created ? "no machine of node \"" + c.node_name + "\" has a creation time"
                      : std::string("the CSR has no creationTimestamp"));
    return;
  }
  const auto window = c.config.bootstrap.creation_window;
  const auto after = std::chrono::duration_cast<std::chrono::seconds>(*csr_created - *created);
  if (*csr_created < *created || *csr_created > *created + window) {
    rec.fail(r::kOutsideCreationWindow, "CSR created " + std::to_string(after.count()) +
                                            "s after " + describe(*newest) + ", allowed 0s to " +
                                            std::to_string(window.count()) + "s");
    return;
  }
  rec.pass("CSR created " + std::to_string(after.count()) + "s after " + describe(*newest) +
           " (window " + std::to_string(window.count()) + "s)");
}

void bootstrap_pending_guard(const Context& c, Recorder& rec) {
  const auto [limit, how] = pending_guard_limit(c.config.pending_guard, c.in.inventory);
  const auto pending = c.in.pending_bootstrap_csrs;
  if (pending > limit) {
    rec.fail(r::kPendingGuardExceeded, std::to_string(pending) +
                                           " bootstrap CSRs are pending, more than the limit " +
                                           std::to_string(limit) + " (" + how + ")");
    return;
  }
  rec.pass(std::to_string(pending) + " pending bootstrap CSRs, limit " + std::to_string(limit) +
           " (" + how + ")");
}

// name, kinds, needs_parsed, needs_node_name, only_when_clean, run
constexpr std::array kIdentityRules = {
    Rule{"node.exists", kNodeIdentity, false, true, false, node_exists},
    Rule{"serving.machine", kServingOnly, false, true, false, serving_machine},
    Rule{"serving.san-dns", kServingOnly, true, true, false, serving_san_dns},
    Rule{"serving.san-ip", kServingOnly, true, true, false, serving_san_ip},
    // Lookups only for CSRs that passed everything else: no DNS traffic for junk.
    Rule{"serving.dns-resolves", kServingOnly, true, true, true, serving_dns_resolves},
    Rule{"bootstrap.node-absent", kBootstrapOnly, true, true, false, bootstrap_node_absent},
    Rule{"bootstrap.machine", kBootstrapOnly, true, true, false, bootstrap_machine},
    Rule{"bootstrap.machine-unlinked", kBootstrapOnly, true, true, false,
         bootstrap_machine_unlinked},
    Rule{"bootstrap.creation-window", kBootstrapOnly, true, true, false, bootstrap_creation_window},
    Rule{"bootstrap.pending-guard", kBootstrapOnly, false, false, false, bootstrap_pending_guard},
};

}  // namespace

std::span<const Rule> identity_rules() { return kIdentityRules; }

TrustedIdentity build_identity(const inventory::Snapshot& snap, std::string_view node_name,
                               const ServingConfig& cfg) {
  TrustedIdentity id;
  id.machines = snap.machines_for_node(node_name);
  id.node = snap.node(node_name);
  id.node_addresses_trusted =
      cfg.trust_node_addresses == TrustNodeAddresses::kAlways ||
      (cfg.trust_node_addresses == TrustNodeAddresses::kAuto && !snap.has_inventory_source);
  if (id.node == nullptr) return id;
  // Self-reported values another node (or another node's machine) also claims.
  auto others = [&](auto&& claims) {
    for (const auto& n : snap.nodes) {
      if (&n != id.node && claims(n)) return true;
    }
    for (const auto& m : snap.machines) {
      if (!maps_to(m, node_name) && claims(m)) return true;
    }
    return false;
  };
  for (const auto& h : id.node->hostnames) {
    std::string name = normalize_hostname(h);
    if (others([&](const Machine& m) { return has_hostname(m, name); })) {
      id.contested_hostnames.push_back(name);
    }
  }
  for (const auto& a : id.node->addresses) {
    auto ip = canonical(a);
    if (ip && others([&](const Machine& m) { return has_address(m, *ip); })) {
      id.contested_addresses.push_back(*ip);
    }
  }
  return id;
}

}  // namespace nca::policy::detail

// Rule serving.cluster-internal: no serving certificate names the cluster itself. On
// kubeadm-style clusters the kubelet-serving signer is the cluster CA that every pod
// trusts for the API server, so a serving certificate for `kubernetes.default.svc`, a
// Service address or an API server endpoint is an API-server (or Service) impersonation.
// This holds whatever the inventory or the Node says, with one documented exception: an
// API server endpoint address that a non-Node inventory source lists for this very node
// (a control-plane machine hosting the API server; see docs/policy.md).
//
// The classification is shared with serving.san-dns / serving.san-ip (rules.h), which skip
// the SANs refused here so that the trace never shows a refused SAN as "known".
#include <algorithm>
#include <array>

#include "policy/reasons.h"
#include "policy/rules.h"
#include "x509/ip_address.h"

namespace nca::policy::detail {
namespace {

namespace r = reason;

bool within_domain(std::string_view name, std::string_view domain) {
  if (domain.empty()) return false;
  if (name == domain) return true;
  return name.size() > domain.size() && name.ends_with(domain) &&
         name[name.size() - domain.size() - 1] == '.';
}

bool in_range(const inventory::ClusterRange& range, const x509::IpAddress& ip) {
  return x509::cidr_contains(range.cidr, ip).value_or(false);
}

// Whether a non-Node inventory source of this node lists `ip`.
bool vouched_by_inventory(const TrustedIdentity& id, const x509::IpAddress& ip) {
  for (const inventory::Machine* m : id.machines) {
    for (const auto& a : m->addresses) {
      auto ca = x509::canonical_ip(a.bytes);
      if (ca && ca->bytes == ip.bytes) return true;
    }
  }
  return false;
}

void serving_cluster_internal(const Context& c, Recorder& rec) {
  for (const auto& san : c.parsed->sans.dns) {
    const std::string name = normalize_hostname(san);
    if (auto why = cluster_internal_name(c, name)) {
      rec.fail(r::kClusterInternalName,
               "DNS SAN \"" + san + "\" " + *why + ": never approved for a node");
    }
  }
  for (const auto& raw : c.parsed->sans.ips) {
    auto ip = x509::canonical_ip(raw.bytes);
    if (!ip) continue;  // reported by serving.san-ip
    if (auto hit = cluster_internal_ip(c, *ip)) {
      const std::string shown =
          raw.text.empty() || raw.text == ip->text ? ip->text : raw.text + " (" + ip->text + ")";
      rec.fail(hit->reason, "IP SAN " + shown + " " + hit->why + ": never approved for a node");
    }
  }
  if (!rec.failed()) rec.pass("no cluster-internal name or address");
}

// name, kinds, needs_parsed, needs_node_name, only_when_clean, run
constexpr std::array kClusterInternalRules = {
    Rule{"serving.cluster-internal", kServingOnly, true, false, false, serving_cluster_internal},
};

}  // namespace

std::span<const Rule> cluster_internal_rules() { return kClusterInternalRules; }

std::optional<std::string> cluster_internal_name(const Context& c, std::string_view normalized) {
  if (normalized == "kubernetes" || normalized == "kubernetes.default") {
    return std::string("names the kubernetes Service (the API server)");
  }
  if (within_domain(normalized, "svc")) {
    return std::string("is under .svc: a Service name inside the cluster");
  }
  const std::string domain = normalize_hostname(c.config.cluster_network.domain);
  if (within_domain(normalized, domain)) {
    return "is under the cluster domain \"" + domain + "\" (clusterNetwork.domain)";
  }
  return std::nullopt;
}

std::optional<InternalAddress> cluster_internal_ip(const Context& c, const x509::IpAddress& ip) {
  if (x509::is_loopback(ip)) return InternalAddress{r::kSanIpForbiddenRange, "is loopback"};
  if (x509::is_unspecified(ip)) return InternalAddress{r::kSanIpForbiddenRange, "is unspecified"};
  if (x509::is_link_local(ip)) return InternalAddress{r::kSanIpForbiddenRange, "is link-local"};
  if (x509::is_multicast(ip)) return InternalAddress{r::kSanIpForbiddenRange, "is multicast"};
  const auto& net = c.in.inventory.cluster_network;
  for (const auto& range : net.kubernetes_service_ips) {
    if (in_range(range, ip)) {
      return InternalAddress{r::kClusterInternalAddress, "is a ClusterIP of " + range.origin};
    }
  }
  for (const auto& range : net.service_cidrs) {
    if (in_range(range, ip)) {
      return InternalAddress{r::kClusterInternalAddress,
                             "is inside service range " + range.cidr + " (" + range.origin + ")"};
    }
  }
  for (const auto& cidr : c.config.cluster_network.internal_cidrs) {
    if (x509::cidr_contains(cidr, ip).value_or(false)) {
      return InternalAddress{r::kClusterInternalAddress,
                             "is inside " + cidr + " (clusterNetwork.internalCIDRs)"};
    }
  }
  for (const auto& node : c.in.inventory.nodes) {
    const bool parsed = node.pod_prefixes.size() == node.pod_cidrs.size();
    for (std::size_t i = 0; i < node.pod_cidrs.size(); ++i) {
      const bool inside =
          parsed ? node.pod_prefixes[i] && x509::prefix_contains(*node.pod_prefixes[i], ip)
                 : x509::cidr_contains(node.pod_cidrs[i], ip).value_or(false);
      if (inside) {
        return InternalAddress{
            r::kClusterInternalAddress,
            "is inside pod CIDR " + node.pod_cidrs[i] + " of Node \"" + node.name + "\""};
      }
    }
  }
  for (const auto& range : net.apiserver_endpoints) {
    if (in_range(range, ip) && !vouched_by_inventory(c.identity, ip)) {
      return InternalAddress{r::kClusterInternalAddress,
                             "is an API server endpoint (" + range.origin +
                                 ") that no inventory source lists for node \"" + c.node_name +
                                 "\""};
    }
  }
  return std::nullopt;
}

}  // namespace nca::policy::detail

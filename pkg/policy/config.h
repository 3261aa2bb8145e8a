// PolicyConfig: every knob of the approval policy, as a plain settings struct with safe
// defaults (a default-constructed PolicyConfig is the documented safe configuration; an
// empty YAML document yields exactly this). Built by pkg/config from YAML, read by
// policy::evaluate. Plain values; safe to share as const between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nca::policy {

// Whether Node status.addresses (self-reported by the kubelet) count as inventory.
enum class TrustNodeAddresses {
  kAuto,    // only when no inventory source (Machines, BMHs, static) exists at all
  kAlways,  // always (still never an address or name that two Nodes report)
  kNever,   // never: serving CSRs need an inventory source
};

// What a failed check does. Approval is never an option for a failure.
enum class FailureAction {
  kPending,  // leave the CSR pending (with an Event) for a human or a later re-evaluation
  kDeny,     // write Denied
};

std::string_view trust_node_addresses_name(TrustNodeAddresses t);  // "auto"|"always"|"never"
std::string_view failure_action_name(FailureAction a);             // "pending"|"deny"

inline constexpr std::string_view kDefaultBootstrapUsername =
    "system:serviceaccount:openshift-machine-config-operator:node-bootstrapper";
inline constexpr std::string_view kDefaultBootstrapGroup = "system:bootstrappers";

struct BootstrapConfig {
  // A client-bootstrap CSR comes from one of these usernames or from a member of one of
  // these groups.
  std::vector<std::string> usernames{std::string(kDefaultBootstrapUsername)};
  std::vector<std::string> groups{std::string(kDefaultBootstrapGroup)};
  // The CSR's creationTimestamp must fall within [machine created, machine created + window].
  std::chrono::seconds creation_window{std::chrono::hours(2)};
};

// Flood guard for client-bootstrap CSRs: no bootstrap CSR is approved while more than
// `limit` of them are pending. limit = fixed_limit when set, else (inventory machines that
// have no Node yet) + slack.
struct PendingGuardConfig {
  std::optional<std::int64_t> fixed_limit;  // YAML `limit: auto` (default) or a number
  std::int64_t slack = 100;
};

// How serving.resolveDNS asks DNS (the daemon's resolver; the policy reads only the two
// flags at the end).
struct DnsConfig {
  std::vector<std::string> servers;  // "IP" or "IP:port" ("[v6]:port"); empty = resolv.conf
  std::chrono::seconds timeout{2};   // per attempt
  int attempts = 2;
  // An answer is believed for its TTL clamped to [min_ttl, max_ttl]; "no such name" for
  // negative_ttl. min_ttl > 0 also keeps a CSR that waited for an answer from asking again.
  std::chrono::seconds min_ttl{5};
  std::chrono::seconds max_ttl{300};
  std::chrono::seconds negative_ttl{30};
  // Also require each IP SAN's PTR records to name one of the CSR's DNS SANs.
  bool reverse_check = false;
  // Answers inside serving.allowedCIDRs count as the machine's (never an address another
  // node or machine has).
  bool answers_in_allowed_cidrs = false;
  bool operator==(const DnsConfig&) const = default;
};

// serving.renewalFromLiveCertificate: a serving CSR of an existing Node is a renewal of
// what the kubelet serves now when its live certificate, verified against the
// kubelet-serving CA bundle, names the node and exactly the CSR's SANs.
struct LiveCertificateConfig {
  bool enabled = false;
  std::string ca_bundle_file;  // PEM; re-read when it changes
  // Or a ConfigMap "namespace/name" and its key (re-read when it changes).
  std::string ca_bundle_config_map;
  std::string ca_bundle_key = "ca-bundle.crt";
  // Which Node address to dial, first present wins ("InternalIP", "Hostname",
  // "ExternalIP", "InternalDNS", "ExternalDNS"); the port is the Node's
  // daemonEndpoints.kubeletEndpoint.Port.
  std::vector<std::string> address_types{"InternalIP"};
  std::chrono::seconds dial_timeout{2};
  std::chrono::seconds cache_for{30};  // one probe per node per this long
  bool operator==(const LiveCertificateConfig&) const = default;
};

struct ServingConfig {
  // When non-empty, every multi-label DNS SAN must equal one of these domains or end with
  // "." + domain. Single-label names (no dot) are exempt when allow_single_label_names.
  std::vector<std::string> allowed_domains;
  bool allow_single_label_names = true;
  // When non-empty, every IP SAN must be inside one of these CIDRs.
  std::vector<std::string> allowed_cidrs;
  TrustNodeAddresses trust_node_addresses = TrustNodeAddresses::kAuto;
  // Resolve every DNS SAN through the injected Resolver; every address it resolves to must
  // be one of the machine's addresses, and then the answer vouches for the name even when
  // no inventory source lists it. A transient failure leaves the CSR pending.
  bool resolve_dns = false;
  DnsConfig dns;
  LiveCertificateConfig renewal_from_live_certificate;
};

// The cluster's own names and ranges that no serving certificate may carry, on top of what
// the API tells (ServiceCIDRs, the kubernetes Service and its endpoints, Node pod CIDRs).
struct ClusterNetworkConfig {
  // The cluster DNS domain (kubelet --cluster-domain): no DNS SAN may be it or under it.
  // Compared lower-cased with a trailing dot ignored.
  std::string domain = "cluster.local";
  // Further ranges never approved as IP SANs: the service range(s) of clusters that do not
  // serve networking.k8s.io/v1 ServiceCIDR objects, VIPs, the pod network as a whole.
  std::vector<std::string> internal_cidrs;
};

struct KeyConfig {
  bool allow_rsa = true;
  int rsa_min_bits = 2048;  // config refuses values below 2048
  // ECDSA curves allowed, by NIST name: a subset of {"P-256", "P-384"}; empty = no ECDSA.
  std::vector<std::string> ecdsa_curves{"P-256", "P-384"};
};

// Which kinds of CSR this approver handles; a disabled kind is ignored (left to another
// approver or a human), never approved or denied.
struct KindsConfig {
  bool serving = true;
  bool client_bootstrap = true;
  bool client_renewal = true;
};

struct PolicyConfig {
  BootstrapConfig bootstrap;
  PendingGuardConfig pending_guard;
  ServingConfig serving;
  ClusterNetworkConfig cluster_network;
  KeyConfig keys;
  KindsConfig kinds;
  // Upper bound on spec.expirationSeconds; a CSR without it gets the signer's default
  // duration and passes this check.
  std::int64_t max_expiration_seconds = 365LL * 24 * 3600;
  FailureAction failure_action = FailureAction::kPending;
  // Per reason code overrides of failure_action (e.g. {"SanDnsNotInInventory": kDeny}).
  // Reasons that are transient by nature (see reasons.h) always stay pending.
  std::map<std::string, FailureAction, std::less<>> failure_action_overrides;
  // Record the would-be decision only; Decision::dry_run is set and nothing is written.
  bool dry_run = false;
};

}  // namespace nca::policy

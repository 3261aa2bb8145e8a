// Machine: one view of a machine the cluster expects, whatever the source that told us
// about it. The policy matches CSRs against these. Plain values; thread-safe to share
// as const.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "x509/ip_address.h"
#include "x509/parsed_csr.h"

namespace nca::inventory {

enum class Source {
  kNode,               // core/v1 Node status.addresses (self-reported by the kubelet)
  kOpenShiftMachine,   // machine.openshift.io/v1beta1 Machine
  kClusterApiMachine,  // cluster.x-k8s.io Machine (v1beta1 or v1beta2)
  kBareMetalHost,      // metal3.io/v1alpha1 BareMetalHost
  kStatic,             // the static inventory (file or ConfigMap) for UPI
};

std::string_view source_name(Source source);  // "Node", "OpenShiftMachine", …

// A machine-side name as the node name it stands for, compared as DNS compares names:
// ASCII lower-cased, one trailing dot removed ("IP-10-0-1-2.EC2.INTERNAL." →
// "ip-10-0-1-2.ec2.internal"). Node names themselves are lower-case DNS subdomains.
std::string fold_node_name(std::string_view name);
// fold_node_name(machine_name) == node_name, without allocating.
bool folds_to(std::string_view machine_name, std::string_view node_name);

struct Machine {
  Source source = Source::kStatic;
  std::string name;        // object name in its source (for messages)
  std::string namespace_;  // for namespaced sources
  // The node name this machine registers (or will register) as: the kubelet's NAME in
  // system:node:NAME. Empty when the source does not say (then it cannot match a CSR).
  // Decoders store it folded (see fold_node_name); matching folds it again, so a Machine
  // built by hand may hold any spelling.
  std::string node_name;
  // Further names the node may register as, before a nodeRef settles it (a Machine with
  // several InternalDNS addresses). Folded and matched like node_name; empty once linked.
  std::vector<std::string> other_node_names;
  // The source's own spelling of node_name / other_node_names where it differs from the
  // folded one ("IP-10-0-1-2.EC2.INTERNAL."), for messages only; never matched.
  std::vector<std::string> node_names_as_written;
  std::vector<std::string> hostnames;      // lower-cased, trailing dot removed
  std::vector<x509::IpAddress> addresses;  // canonical (see x509/ip_address.h)
  bool has_node_ref = false;               // the source says a Node is already linked
  std::optional<WallTime> created;         // when the machine object was created
  // What the source says this machine is provisioned for, for messages: a BareMetalHost's
  // consumerRef ("Machine openshift-machine-api/worker-0"); empty otherwise.
  std::string consumer;
  // Node spec.podCIDRs (source kNode only): the ranges pods on this node get addresses
  // from. Written by the controller manager's IPAM, not by the kubelet.
  std::vector<std::string> pod_cidrs;
  // pod_cidrs parsed, in the same order (nullopt for a malformed one), as the Node
  // decoders fill it: the cluster-internal rule checks every SAN IP against every Node's
  // ranges, so they are parsed once per Node change, not per check. A Machine built by
  // hand may leave it empty; the rule then parses pod_cidrs.
  std::vector<std::optional<x509::IpPrefix>> pod_prefixes;
  // Source kNode only: status.addresses as the kubelet reported them ({type, address}, in
  // order) and status.daemonEndpoints.kubeletEndpoint.Port (0 when absent): where the
  // kubelet serves, for serving.renewalFromLiveCertificate.
  std::vector<std::pair<std::string, std::string>> reported_addresses;
  int kubelet_port = 0;
};

// Whether `m` may be node `node_name`: its node_name or one of other_node_names folds to
// it (folds_to). Never for an empty `node_name`.
bool maps_to_node(const Machine& m, std::string_view node_name);

// A range or address the cluster itself uses, with where it was read from (for messages:
// "ServiceCIDR kubernetes", "Service default/kubernetes").
struct ClusterRange {
  std::string cidr;  // "10.96.0.0/12"; a single address as "10.96.0.1/32" or "fd00::1/128"
  std::string origin;
};

// The cluster's own network, as the API describes it: no serving certificate may name any
// of it (policy rule serving.cluster-internal). Node pod CIDRs are on Snapshot::nodes.
struct ClusterNetwork {
  // networking.k8s.io/v1 ServiceCIDR spec.cidrs (empty where that API is not served).
  std::vector<ClusterRange> service_cidrs;
  // Service default/kubernetes spec.clusterIPs, as /32 or /128.
  std::vector<ClusterRange> kubernetes_service_ips;
  // EndpointSlice default/kubernetes endpoint addresses (the API servers), as /32 or /128.
  std::vector<ClusterRange> apiserver_endpoints;
};

// Everything the policy knows about machines at one moment: immutable once built.
struct Snapshot {
  std::vector<Machine> machines;      // from inventory sources (not Nodes)
  std::vector<Machine> nodes;         // one per existing Node, source kNode
  bool has_inventory_source = false;  // some non-Node source is configured/present
  ClusterNetwork cluster_network;     // filled by the daemon and live explain

  // Machines (non-Node sources) that maps_to_node(`node_name`). Only the machine side is
  // folded: `node_name` is a Node name (lower-case), so "NODE-3" matches nothing.
  std::vector<const Machine*> machines_for_node(std::string_view node_name) const;
  // The Node machine of that name: through node_index when it holds it, else a scan.
  const Machine* node(std::string_view node_name) const;

  // node_name → position in `nodes`, kept by SnapshotBuilder so that node() is O(1)
  // (guards ask it for every machine, every second). Optional: a Snapshot filled by hand
  // without it is searched.
  std::unordered_map<std::string, std::size_t> node_index;
};

}  // namespace nca::inventory

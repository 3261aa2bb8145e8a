// Decoders for the objects that describe the cluster's own network, into the ranges of
// inventory::ClusterNetwork (machine.h): networking.k8s.io/v1 ServiceCIDR, the
// `default/kubernetes` Service and its discovery.k8s.io/v1 EndpointSlice. Lenient: an
// entry that does not parse is left out (and named in `warnings`), never an exception.
// Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inventory/machine.h"

namespace nca::inventory {

// spec.cidrs of a ServiceCIDR, origin "ServiceCIDR NAME".
std::vector<ClusterRange> service_cidr_ranges(const nlohmann::json& object,
                                              std::vector<std::string>& warnings);

// spec.clusterIPs (or spec.clusterIP) of a Service as /32 or /128, origin
// "Service NS/NAME"; "None" (headless) is no address.
std::vector<ClusterRange> service_cluster_ips(const nlohmann::json& object,
                                              std::vector<std::string>& warnings);

// endpoints[].addresses of an EndpointSlice as /32 or /128, origin "EndpointSlice NS/NAME".
// FQDN slices carry no addresses and give nothing.
std::vector<ClusterRange> endpoint_slice_addresses(const nlohmann::json& object,
                                                   std::vector<std::string>& warnings);

// "10.96.0.1" → "10.96.0.1/32", "fd00::1" → "fd00::1/128" (canonical); "" if not an IP.
std::string host_range(std::string_view address);

}  // namespace nca::inventory

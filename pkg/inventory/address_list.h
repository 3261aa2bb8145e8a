// Reads a list of {type, address} entries — the shape core/v1 Node status.addresses,
// machine.openshift.io and cluster.x-k8s.io Machines share — into a Machine: IP types
// (InternalIP, ExternalIP) become canonical addresses, DNS types (Hostname, InternalDNS,
// ExternalDNS) become hostnames. Internal to pkg/inventory. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "inventory/machine.h"

namespace nca::inventory::detail {

// The DNS-typed entries exactly as written, for node-name matching.
struct AddressNames {
  std::vector<std::string> internal_dns;
  std::vector<std::string> hostname;
};

// `field` names the list in messages ("status.addresses"). A missing (null) list is fine.
// Returns a skip reason when `list` is present but not an array. Malformed entries (not an
// object, no type/address, an IP type whose address does not parse) are left out with a
// warning; unknown types are left out silently (they carry nothing we match on).
std::string read_address_list(const nlohmann::json* list, std::string_view field, Machine& machine,
                              AddressNames* names, std::vector<std::string>& warnings);

}  // namespace nca::inventory::detail

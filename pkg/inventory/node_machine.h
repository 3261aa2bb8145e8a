// A core/v1 Node as a Machine (source kNode): node_name = metadata.name, hostnames from
// status.addresses of type Hostname/InternalDNS/ExternalDNS, addresses from InternalIP/
// ExternalIP, has_node_ref = true (it is the node), created = creationTimestamp.
// A Node's existence matters more than its addresses (it blocks bootstrap takeovers), so
// only a Node without a readable name is skipped; bad addresses are dropped with a warning
// and Nodes being deleted are kept. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "inventory/decoded.h"
#include "kube/objects.h"

namespace nca::inventory {

// From the raw object (as listed or as `kubectl get node -o json` prints it).
Decoded decode_node_object(const nlohmann::json& object);

// From the typed, trimmed Node the kube client decodes.
Decoded node_machine(const kube::Node& node);

}  // namespace nca::inventory

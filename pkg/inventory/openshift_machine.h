// Decodes a machine.openshift.io/v1beta1 Machine into a Machine (source kOpenShiftMachine):
// hostnames from status.addresses of type Hostname/InternalDNS/ExternalDNS, addresses from
// InternalIP/ExternalIP, node name from status.nodeRef.name or, before the node links,
// from InternalDNS (see machine_status.h for the exact rule), created from
// metadata.creationTimestamp. Machines being deleted are skipped. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "inventory/decoded.h"

namespace nca::inventory {

Decoded decode_openshift_machine(const nlohmann::json& object);

}  // namespace nca::inventory

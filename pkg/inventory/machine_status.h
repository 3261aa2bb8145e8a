// The part machine.openshift.io and cluster.x-k8s.io Machines share: metadata,
// status.addresses and status.nodeRef. Internal to pkg/inventory; the public entry points
// are openshift_machine.h and capi_machine.h. Pure; thread-safe.
//
// Node name rule. With a nodeRef, the node name is status.nodeRef.name (the Machine is
// linked; has_node_ref). Without one — a machine whose kubelet is still bootstrapping —
// the node name is each InternalDNS address exactly as written, which is how OpenShift's
// cluster-machine-approver finds the machine of a bootstrap CSR (FindMatchingMachineFrom
// InternalDNS: an InternalDNS address equal to the CN's node name). Only when a machine has
// no InternalDNS address at all do its Hostname addresses play that part (bare-metal and
// some Cluster API providers report only Hostname). Nothing else (ExternalDNS, IPs, the
// object name) ever stands for a node name.
#pragma once

#include <nlohmann/json.hpp>

#include "inventory/decoded.h"

namespace nca::inventory::detail {

Decoded decode_machine_api_object(const nlohmann::json& object, Source source);

}  // namespace nca::inventory::detail

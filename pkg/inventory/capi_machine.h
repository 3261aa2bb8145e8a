// Decodes a cluster.x-k8s.io Machine (any served version: v1beta1's nodeRef is an
// ObjectReference {apiVersion, kind: Node, name, uid}, v1beta2's a MachineNodeReference
// {name}) into a Machine (source kClusterApiMachine). Same fields and node-name rule as
// the OpenShift decoder (machine_status.h); created from metadata.creationTimestamp.
// Machines being deleted are skipped. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "inventory/decoded.h"

namespace nca::inventory {

Decoded decode_capi_machine(const nlohmann::json& object);

}  // namespace nca::inventory

// Decodes a metal3.io/v1alpha1 BareMetalHost into a Machine (source kBareMetalHost).
//
// Rules, chosen so a host can only ever claim what its hardware inspection reported:
// - Only hosts that run an operating system for someone count: spec.consumerRef is set
//   (provisioned for a Machine) or spec.externallyProvisioned is true. Others are skipped.
// - node_name and the one hostname = status.hardware.hostname, lower-cased without a
//   trailing dot (the kubelet registers its lower-cased hostname). A host without
//   inspection data (no status.hardware or no hostname) is skipped: it cannot match.
// - addresses = every parsable status.hardware.nics[].ip (empty ones are ignored,
//   unparsable ones dropped with a warning).
// - has_node_ref is always false: a BareMetalHost does not record its Node.
// - created = when provisioning finished (status.operationHistory.provision.end) when
//   recorded, else metadata.creationTimestamp: hosts are enrolled long before they boot
//   as nodes, and the bootstrap window is about the boot.
// - consumer = "KIND NAMESPACE/NAME" of spec.consumerRef, for messages.
// Hosts being deleted are skipped. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "inventory/decoded.h"

namespace nca::inventory {

Decoded decode_baremetal_host(const nlohmann::json& object);

}  // namespace nca::inventory

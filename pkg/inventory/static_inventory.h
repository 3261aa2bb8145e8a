// The static inventory for UPI clusters, where no machine API knows the machines: a file
// or a ConfigMap key holding
//
//   machines:
//     - name: worker-0                         # the node name the kubelet registers
//       hostnames: [worker-0, worker-0.lab.example.com]
//       addresses: [192.0.2.10, "2001:db8::10"]
//       created: "2026-11-20T10:00:00Z"        # optional
//
// decoded from its JSON form (YAML goes through config::yaml_to_json first). Unlike the
// API-object decoders this is strict, because an operator wrote it and a typo must not
// silently change what a machine may claim: unknown keys, wrong types, bad hostnames or
// addresses, and duplicate names are errors naming the machine. An empty document, or one
// with no machines, is a valid empty inventory. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "base/status.h"
#include "inventory/machine.h"

namespace nca::inventory {

// Machines with source kStatic, node_name = name, has_node_ref = false.
Result<std::vector<Machine>> decode_static_inventory(const nlohmann::json& document);

// Whether `name` (already normalised) is a DNS name: dot-separated labels of letters,
// digits and '-', each 1–63 characters, not starting or ending with '-', 253 at most.
bool is_dns_name(std::string_view name);

}  // namespace nca::inventory

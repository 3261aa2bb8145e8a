// Decodes any inventory object by its apiVersion and kind (Node, machine.openshift.io
// Machine, cluster.x-k8s.io Machine, metal3.io BareMetalHost), and unpacks List documents
// (v1 List, NodeList, MachineList, …) as `kubectl get -o json` prints them. For files
// given to `explain` and for tests; the informers call the typed decoders directly.
// Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "base/status.h"
#include "inventory/decoded.h"
#include "kube/objects.h"

namespace nca::inventory {

// Skips (with a reason) objects of any other type or without apiVersion/kind.
Decoded decode_inventory_object(const nlohmann::json& object);
Decoded decode_inventory_object(const kube::Unstructured& object);

// Whether decode_inventory_object knows the object's apiVersion and kind.
bool is_inventory_object_type(const nlohmann::json& object);

// The items of a list document (kind "List" or ending in "List", with an "items" array),
// or the document itself as a single item. Invalid when a list's items is not an array
// or the document is not an object.
Result<std::vector<nlohmann::json>> list_items(const nlohmann::json& document);

}  // namespace nca::inventory

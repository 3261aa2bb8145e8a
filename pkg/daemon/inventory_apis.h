// The machine inventory APIs the daemon looks for (OpenShift Machines, Cluster API
// Machines, Metal3 BareMetalHosts), and how their CustomResourceDefinitions are
// recognised in a watch of apiextensions.k8s.io/v1 CRDs: a CRD is named exactly
// "<plural>.<group>", so the name alone says which API it defines. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "kube/objects.h"
#include "kube/resource.h"

namespace nca::daemon {

struct InventoryApi {
  std::string label;  // "machine.openshift.io/v1beta1 machines", for logs
  kube::Resource resource;
};

// The machine APIs we look for, most specific version first within a group.
std::vector<std::vector<InventoryApi>> known_inventory_apis();

// apiextensions.k8s.io/v1 customresourcedefinitions (cluster-scoped).
kube::Resource crd_resource();

// The index in known_inventory_apis() of the group a CRD named `crd_name` defines.
std::optional<std::size_t> inventory_group_of_crd(const std::string& crd_name);

// A CRD trimmed to what discovery needs (schemas are large and never kept): metadata, and
// in `object` only {"established": bool} (status.conditions Established=True). Lenient:
// only metadata.name is required.
Result<kube::Unstructured> decode_crd_brief(const nlohmann::json& object);

}  // namespace nca::daemon

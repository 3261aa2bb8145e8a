#include "inventory/object_decoder.h"

#include "inventory/baremetal_host.h"
#include "inventory/capi_machine.h"
#include "inventory/json_fields.h"
#include "inventory/node_machine.h"
#include "inventory/openshift_machine.h"

namespace nca::inventory {

namespace {

enum class Type { kUnsupported, kNode, kOpenShiftMachine, kCapiMachine, kBareMetalHost };

Type type_of(const nlohmann::json& object, std::string* api_version, std::string* kind) {
  std::string error;
  *api_version = detail::string_member(object, "apiVersion", &error).value_or("");
  *kind = detail::string_member(object, "kind", &error).value_or("");
  const std::string group = api_version->substr(0, api_version->find('/'));
  if (*api_version == "v1" && *kind == "Node") return Type::kNode;
  if (*api_version == "machine.openshift.io/v1beta1" && *kind == "Machine") {
    return Type::kOpenShiftMachine;
  }
  if (group == "cluster.x-k8s.io" && *kind == "Machine" && *api_version != group) {
    return Type::kCapiMachine;
  }
  if (*api_version == "metal3.io/v1alpha1" && *kind == "BareMetalHost") {
    return Type::kBareMetalHost;
  }
  return Type::kUnsupported;
}

}  // namespace

Decoded decode_inventory_object(const nlohmann::json& object) {
  std::string api_version, kind;
  switch (type_of(object, &api_version, &kind)) {
    case Type::kNode:
      return decode_node_object(object);
    case Type::kOpenShiftMachine:
      return decode_openshift_machine(object);
    case Type::kCapiMachine:
      return decode_capi_machine(object);
    case Type::kBareMetalHost:
      return decode_baremetal_host(object);
    case Type::kUnsupported:
      break;
  }
  return Decoded::skip("unsupported object type apiVersion \"" + api_version + "\" kind \"" + kind +
                       "\"");
}

bool is_inventory_object_type(const nlohmann::json& object) {
  std::string api_version, kind;
  return type_of(object, &api_version, &kind) != Type::kUnsupported;
}

Decoded decode_inventory_object(const kube::Unstructured& object) {
  return decode_inventory_object(object.object);
}

Result<std::vector<nlohmann::json>> list_items(const nlohmann::json& document) {
  if (!document.is_object()) {
    return invalid("expected a Kubernetes object or list, got " +
                   std::string(detail::type_name(document)));
  }
  std::string error;
  const std::string kind = detail::string_member(document, "kind", &error).value_or("");
  const nlohmann::json* items = detail::member(document, "items");
  const bool is_list = kind.ends_with("List") || (kind.empty() && items != nullptr);
  if (!is_list) return std::vector<nlohmann::json>{document};
  if (items == nullptr || items->is_null()) return std::vector<nlohmann::json>{};
  if (!items->is_array()) {
    return invalid(std::string(kind.empty() ? "list" : kind) + ": items: expected an array, got " +
                   std::string(detail::type_name(*items)));
  }
  std::vector<nlohmann::json> out;
  out.reserve(items->size());
  // NodeList items carry no apiVersion/kind; give them the list's element type back.
  const std::string element_kind =
      kind.size() > 4 && kind != "List" ? kind.substr(0, kind.size() - 4) : "";
  const std::string api_version =
      detail::string_member(document, "apiVersion", &error).value_or("");
  for (const nlohmann::json& item : *items) {
    nlohmann::json copy = item;
    if (copy.is_object() && !element_kind.empty()) {
      if (!copy.contains("kind")) copy["kind"] = element_kind;
      if (!copy.contains("apiVersion") && !api_version.empty()) copy["apiVersion"] = api_version;
    }
    out.push_back(std::move(copy));
  }
  return out;
}

}  // namespace nca::inventory

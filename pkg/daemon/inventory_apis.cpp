#include "daemon/inventory_apis.h"

#include "kube/decode.h"

namespace nca::daemon {

std::vector<std::vector<InventoryApi>> known_inventory_apis() {
  auto api = [](std::string group, std::string version, std::string resource) {
    return InventoryApi{group + "/" + version + " " + resource,
                        kube::Resource{group, version, resource, true}};
  };
  return {
      {api("machine.openshift.io", "v1beta1", "machines")},
      {api("cluster.x-k8s.io", "v1beta2", "machines"),
       api("cluster.x-k8s.io", "v1beta1", "machines")},
      {api("metal3.io", "v1alpha1", "baremetalhosts")},
  };
}

kube::Resource crd_resource() {
  return {"apiextensions.k8s.io", "v1", "customresourcedefinitions", false};
}

std::optional<std::size_t> inventory_group_of_crd(const std::string& crd_name) {
  const auto groups = known_inventory_apis();
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const kube::Resource& r = groups[i].front().resource;
    if (crd_name == r.resource + "." + r.group) return i;
  }
  return std::nullopt;
}

Result<kube::Unstructured> decode_crd_brief(const nlohmann::json& object) {
  auto meta = kube::decode_meta(object);
  if (!meta) {
    // decode_meta is strict about every metadata field; only the name matters here.
    const auto* m =
        object.is_object() && object.contains("metadata") ? &object["metadata"] : nullptr;
    if (m == nullptr || !m->is_object() || !m->contains("name") || !(*m)["name"].is_string() ||
        (*m)["name"].get_ref<const std::string&>().empty()) {
      return meta.status();
    }
    kube::ObjectMeta fallback;
    fallback.name = (*m)["name"].get<std::string>();
    if (auto rv = m->find("resourceVersion"); rv != m->end() && rv->is_string()) {
      fallback.resource_version = rv->get<std::string>();
    }
    meta = std::move(fallback);
  }
  bool established = false;
  if (object.is_object()) {
    auto status = object.find("status");
    if (status != object.end() && status->is_object()) {
      auto conds = status->find("conditions");
      if (conds != status->end() && conds->is_array()) {
        for (const auto& c : *conds) {
          if (!c.is_object()) continue;
          auto type = c.find("type");
          auto st = c.find("status");
          if (type != c.end() && type->is_string() && *type == "Established" && st != c.end() &&
              st->is_string() && *st == "True") {
            established = true;
          }
        }
      }
    }
  }
  kube::Unstructured u;
  u.metadata = std::move(meta).value();
  u.api_version = "apiextensions.k8s.io/v1";
  u.kind = "CustomResourceDefinition";
  u.object = nlohmann::json{{"established", established}};
  return u;
}

}  // namespace nca::daemon

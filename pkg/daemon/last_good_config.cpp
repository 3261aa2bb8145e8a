#include "daemon/last_good_config.h"

#include "kube/decode.h"

namespace nca::daemon {

std::string last_good_name(const std::string& config_map_name) {
  return config_map_name + std::string(kLastGoodSuffix);
}

namespace {

nlohmann::json last_good_object(const std::string& ns, const std::string& name,
                                const std::map<std::string, std::string>& data,
                                const std::string& source_rv, const std::string& own_rv) {
  nlohmann::json meta = {{"name", last_good_name(name)},
                         {"namespace", ns},
                         {"labels", {{"app.kubernetes.io/name", "node-csr-approver"}}},
                         {"annotations", {{std::string(kLastGoodSourceAnnotation), source_rv}}}};
  if (!own_rv.empty()) meta["resourceVersion"] = own_rv;
  nlohmann::json d = nlohmann::json::object();
  for (const auto& [k, v] : data) d[k] = v;
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", meta}, {"data", d}};
}

}  // namespace

Status store_last_good(kube::ApiClient& client, const std::string& ns, const std::string& name,
                       const std::map<std::string, std::string>& data,
                       const std::string& source_resource_version) {
  const auto cms = kube::resources::configmaps();
  auto existing = read_last_good(client, ns, name);
  if (!existing) return existing.status();
  if (!*existing) {
    auto created =
        client.create(cms, ns, last_good_object(ns, name, data, source_resource_version, ""));
    return created.status().annotate("creating " + ns + "/" + last_good_name(name));
  }
  if ((*existing)->data == data) return Status::ok();
  auto updated = client.update(cms, ns, last_good_name(name),
                               last_good_object(ns, name, data, source_resource_version,
                                                (*existing)->metadata.resource_version));
  return updated.status().annotate("updating " + ns + "/" + last_good_name(name));
}

Result<std::optional<kube::ConfigMap>> read_last_good(kube::ApiClient& client,
                                                      const std::string& ns,
                                                      const std::string& name) {
  auto raw = client.get(kube::resources::configmaps(), ns, last_good_name(name));
  if (!raw) {
    if (raw.status().code() == Code::kNotFound) return std::optional<kube::ConfigMap>();
    return raw.status();
  }
  auto cm = kube::decode_configmap(*raw);
  if (!cm) return cm.status();
  return std::optional<kube::ConfigMap>(std::move(cm).value());
}

}  // namespace nca::daemon

#include "cache/raw_object.h"

namespace nca::cache {

namespace {
const nlohmann::json* member(const nlohmann::json& obj, const char* name) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(name);
  return it == obj.end() ? nullptr : &*it;
}
}  // namespace

std::string resource_version_of(const nlohmann::json& object) {
  const auto* meta = member(object, "metadata");
  const auto* rv = meta ? member(*meta, "resourceVersion") : nullptr;
  return rv && rv->is_string() ? rv->get<std::string>() : std::string();
}

Result<RawObject> to_raw_object(const nlohmann::json& object) {
  return to_raw_object(nlohmann::json(object));
}

Result<RawObject> to_raw_object(nlohmann::json&& object) {
  const auto* meta = member(object, "metadata");
  if (!meta || !meta->is_object()) return invalid("object has no metadata");
  const auto* name = member(*meta, "name");
  if (!name || !name->is_string() || name->get_ref<const std::string&>().empty()) {
    return invalid("object has no metadata.name");
  }
  const auto* ns = member(*meta, "namespace");
  if (ns && !ns->is_string()) return invalid("metadata.namespace is not a string");
  const auto* rv = member(*meta, "resourceVersion");
  if (rv && !rv->is_string()) return invalid("metadata.resourceVersion is not a string");

  RawObject raw;
  const std::string& n = name->get_ref<const std::string&>();
  const std::string ns_value = ns ? ns->get<std::string>() : std::string();
  raw.key = ns_value.empty() ? n : ns_value + "/" + n;
  raw.resource_version = rv ? rv->get<std::string>() : std::string();
  raw.object = std::move(object);
  return raw;
}

}  // namespace nca::cache

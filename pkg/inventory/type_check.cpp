#include "inventory/type_check.h"

#include "inventory/json_fields.h"

namespace nca::inventory::detail {

std::string check_type(const nlohmann::json& object, std::string_view group_version,
                       std::string_view kind) {
  std::string error;
  std::optional<std::string> api_version = string_member(object, "apiVersion", &error);
  std::optional<std::string> object_kind = string_member(object, "kind", &error);
  if (!error.empty()) return error;
  if (api_version) {
    const bool prefix = !group_version.empty() && group_version.back() == '/';
    const bool ok = prefix ? api_version->starts_with(group_version) &&
                                 api_version->size() > group_version.size()
                           : *api_version == group_version;
    if (!ok) {
      return "apiVersion: \"" + *api_version + "\" is not " + std::string(group_version) +
             (prefix ? "*" : "");
    }
  }
  if (object_kind && *object_kind != kind) {
    return "kind: \"" + *object_kind + "\" is not " + std::string(kind);
  }
  return "";
}

}  // namespace nca::inventory::detail

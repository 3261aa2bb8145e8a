#include "inventory/address_list.h"

#include "inventory/json_fields.h"

namespace nca::inventory::detail {

std::string read_address_list(const nlohmann::json* list, std::string_view field, Machine& machine,
                              AddressNames* names, std::vector<std::string>& warnings) {
  if (list == nullptr || list->is_null()) return "";
  if (!list->is_array()) {
    return std::string(field) + ": expected an array, got " + std::string(type_name(*list));
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const nlohmann::json& entry = (*list)[i];
    const std::string where = std::string(field) + "[" + std::to_string(i) + "]";
    std::string error;
    std::optional<std::string> type = string_member(entry, "type", &error);
    std::optional<std::string> address = string_member(entry, "address", &error);
    if (!entry.is_object() || !error.empty() || !type || !address) {
      warnings.push_back(where + ": ignored, not a {type, address} entry" +
                         (error.empty() ? "" : " (" + error + ")"));
      continue;
    }
    if (*type == "InternalIP" || *type == "ExternalIP") {
      if (!add_address(machine, *address)) {
        warnings.push_back(where + ": ignored, " + *type + " \"" + *address +
                           "\" is not an IP address");
      }
    } else if (*type == "Hostname" || *type == "InternalDNS" || *type == "ExternalDNS") {
      add_hostname(machine, *address);
      if (names != nullptr && !address->empty()) {
        if (*type == "InternalDNS") names->internal_dns.push_back(*address);
        if (*type == "Hostname") names->hostname.push_back(*address);
      }
    }
  }
  return "";
}

}  // namespace nca::inventory::detail

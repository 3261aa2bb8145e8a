// Checks an object's apiVersion/kind against what a decoder expects. Typed list items may
// omit both (the API server leaves them out of NodeList items), so absent is accepted;
// present and different is a skip reason. Internal to pkg/inventory. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace nca::inventory::detail {

// `group_version` is matched exactly, or, when it ends in "/", as a prefix (any version of
// that group). Returns a skip reason or an empty string.
std::string check_type(const nlohmann::json& object, std::string_view group_version,
                       std::string_view kind);

}  // namespace nca::inventory::detail

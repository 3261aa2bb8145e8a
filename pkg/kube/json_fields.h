// Defensive readers for fields of API objects: each returns the value, a default when the
// field is absent or null, or an Invalid status naming the field path ("spec.usages[2]")
// when it has the wrong type. Internal to pkg/kube's decoders; pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace nca::kube::fields {

using nlohmann::json;

// "a" + "b" -> "a.b"; "" + "b" -> "b".
std::string join(std::string_view parent, std::string_view key);

// The member `key` of `obj`, or nullptr when absent or null. `obj` must be an object.
const json* member(const json& obj, std::string_view key);

// Requires `value` to be an object (`path` names it in the error).
Status expect_object(const json& value, std::string_view path);

Result<std::string> string_field(const json& obj, std::string_view key, std::string_view parent,
                                 bool required = false);
Result<bool> bool_field(const json& obj, std::string_view key, std::string_view parent);
Result<std::optional<std::int64_t>> int_field(const json& obj, std::string_view key,
                                              std::string_view parent);
Result<std::optional<WallTime>> time_field(const json& obj, std::string_view key,
                                           std::string_view parent);
Result<std::vector<std::string>> string_list_field(const json& obj, std::string_view key,
                                                   std::string_view parent);
Result<std::map<std::string, std::string>> string_map_field(const json& obj, std::string_view key,
                                                            std::string_view parent);

}  // namespace nca::kube::fields

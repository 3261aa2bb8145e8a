#include "kube/json_fields.h"

#include <limits>

#include "base/time_format.h"

namespace nca::kube::fields {

namespace {

Status wrong_type(std::string_view path, std::string_view expected, const json& got) {
  return invalid(std::string(path) + ": expected " + std::string(expected) + ", got " +
                 got.type_name());
}

}  // namespace

std::string join(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out(parent);
  out += '.';
  out += key;
  return out;
}

const json* member(const json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

Status expect_object(const json& value, std::string_view path) {
  if (!value.is_object()) return wrong_type(path.empty() ? "object" : path, "object", value);
  return Status::ok();
}

Result<std::string> string_field(const json& obj, std::string_view key, std::string_view parent,
                                 bool required) {
  const json* v = member(obj, key);
  if (v == nullptr) {
    if (required) return invalid(join(parent, key) + ": required field is missing");
    return std::string();
  }
  if (!v->is_string()) return wrong_type(join(parent, key), "string", *v);
  if (required && v->get_ref<const std::string&>().empty()) {
    return invalid(join(parent, key) + ": required field is empty");
  }
  return v->get<std::string>();
}

Result<bool> bool_field(const json& obj, std::string_view key, std::string_view parent) {
  const json* v = member(obj, key);
  if (v == nullptr) return false;
  if (!v->is_boolean()) return wrong_type(join(parent, key), "boolean", *v);
  return v->get<bool>();
}

Result<std::optional<std::int64_t>> int_field(const json& obj, std::string_view key,
                                              std::string_view parent) {
  const json* v = member(obj, key);
  if (v == nullptr) return std::optional<std::int64_t>();
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() &&
        v->get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return invalid(join(parent, key) + ": integer out of range");
    }
    return std::optional<std::int64_t>(v->get<std::int64_t>());
  }
  return wrong_type(join(parent, key), "integer", *v);
}

Result<std::optional<WallTime>> time_field(const json& obj, std::string_view key,
                                           std::string_view parent) {
  const json* v = member(obj, key);
  if (v == nullptr) return std::optional<WallTime>();
  if (!v->is_string()) return wrong_type(join(parent, key), "RFC 3339 time string", *v);
  auto t = parse_rfc3339(v->get_ref<const std::string&>());
  if (!t)
    return invalid(join(parent, key) + ": not an RFC 3339 time: \"" + v->get<std::string>() + "\"");
  return std::optional<WallTime>(*t);
}

Result<std::vector<std::string>> string_list_field(const json& obj, std::string_view key,
                                                   std::string_view parent) {
  std::vector<std::string> out;
  const json* v = member(obj, key);
  if (v == nullptr) return out;
  if (!v->is_array()) return wrong_type(join(parent, key), "array of strings", *v);
  out.reserve(v->size());
  for (std::size_t i = 0; i < v->size(); ++i) {
    const json& item = (*v)[i];
    if (!item.is_string()) {
      return wrong_type(join(parent, key) + "[" + std::to_string(i) + "]", "string", item);
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::map<std::string, std::string>> string_map_field(const json& obj, std::string_view key,
                                                            std::string_view parent) {
  std::map<std::string, std::string> out;
  const json* v = member(obj, key);
  if (v == nullptr) return out;
  if (!v->is_object()) return wrong_type(join(parent, key), "map of strings", *v);
  for (const auto& [k, item] : v->items()) {
    if (!item.is_string()) return wrong_type(join(join(parent, key), k), "string", item);
    out.emplace(k, item.get<std::string>());
  }
  return out;
}

}  // namespace nca::kube::fields

#include "inventory/json_fields.h"

#include <algorithm>
#include <cctype>

#include "base/time_format.h"
#include "x509/ip_address.h"

namespace nca::inventory::detail {

const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string_view type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

std::optional<std::string> string_member(const nlohmann::json& object, std::string_view key,
                                         std::string* error) {
  const nlohmann::json* value = member(object, key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_string()) {
    if (error != nullptr) {
      *error = std::string(key) + ": expected a string, got " + std::string(type_name(*value));
    }
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::string normalize_hostname(std::string_view name) {
  std::string out(name);
  while (!out.empty() && out.back() == '.') out.pop_back();
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void add_hostname(Machine& machine, std::string_view name) {
  std::string normal = normalize_hostname(name);
  if (normal.empty()) return;
  if (std::find(machine.hostnames.begin(), machine.hostnames.end(), normal) !=
      machine.hostnames.end()) {
    return;
  }
  machine.hostnames.push_back(std::move(normal));
}

bool add_address(Machine& machine, std::string_view text) {
  std::optional<x509::IpAddress> ip = x509::parse_ip(text);
  if (!ip) return false;
  for (const x509::IpAddress& known : machine.addresses) {
    if (known.bytes == ip->bytes) return true;
  }
  machine.addresses.push_back(std::move(*ip));
  return true;
}

void set_node_name(Machine& machine, std::string_view name) {
  machine.node_name = fold_node_name(name);
  if (machine.node_name != name) machine.node_names_as_written.emplace_back(name);
}

void add_node_name_candidate(Machine& machine, std::string_view name) {
  std::string folded = fold_node_name(name);
  if (folded.empty()) return;
  if (machine.node_name.empty()) {
    set_node_name(machine, name);
    return;
  }
  if (machine.node_name == folded) return;
  auto& others = machine.other_node_names;
  if (std::find(others.begin(), others.end(), folded) != others.end()) return;
  if (folded != name) machine.node_names_as_written.emplace_back(name);
  others.push_back(std::move(folded));
}

namespace {

// Reads an optional RFC 3339 member; returns a skip reason on a bad value.
std::string read_time(const nlohmann::json& metadata, std::string_view key,
                      std::optional<WallTime>* out) {
  std::string error;
  std::optional<std::string> text = string_member(metadata, key, &error);
  if (!error.empty()) return "metadata." + error;
  if (!text) return "";
  *out = parse_rfc3339(*text);
  if (!*out) return "metadata." + std::string(key) + ": not an RFC 3339 time: \"" + *text + "\"";
  return "";
}

}  // namespace

std::string read_metadata(const nlohmann::json& object, Machine& machine, bool* deleting) {
  if (!object.is_object()) return "not a JSON object";
  const nlohmann::json* metadata = member(object, "metadata");
  if (metadata == nullptr || !metadata->is_object()) return "metadata: missing or not an object";
  std::string error;
  std::optional<std::string> name = string_member(*metadata, "name", &error);
  if (!error.empty()) return "metadata." + error;
  if (!name || name->empty()) return "metadata.name: missing";
  machine.name = *name;
  machine.namespace_ = string_member(*metadata, "namespace", &error).value_or("");
  if (!error.empty()) return "metadata." + error;
  if (std::string why = read_time(*metadata, "creationTimestamp", &machine.created); !why.empty()) {
    return why;
  }
  std::optional<WallTime> deletion;
  if (std::string why = read_time(*metadata, "deletionTimestamp", &deletion); !why.empty()) {
    return why;
  }
  if (deleting != nullptr) *deleting = deletion.has_value();
  return "";
}

std::string read_metadata_lenient(const nlohmann::json& object, Machine& machine, bool* deleting,
                                  bool* deletion_unreadable, std::vector<std::string>& warnings) {
  if (!object.is_object()) return "not a JSON object";
  const nlohmann::json* metadata = member(object, "metadata");
  if (metadata == nullptr || !metadata->is_object()) return "metadata: missing or not an object";
  std::string error;
  std::optional<std::string> name = string_member(*metadata, "name", &error);
  if (!error.empty()) return "metadata." + error;
  if (!name || name->empty()) return "metadata.name: missing";
  machine.name = *name;
  std::string ns_error;
  machine.namespace_ = string_member(*metadata, "namespace", &ns_error).value_or("");
  if (!ns_error.empty()) warnings.push_back("metadata." + ns_error);
  if (std::string why = read_time(*metadata, "creationTimestamp", &machine.created); !why.empty()) {
    machine.created.reset();
    warnings.push_back(why);
  }
  std::optional<WallTime> deletion;
  *deletion_unreadable = false;
  if (std::string why = read_time(*metadata, "deletionTimestamp", &deletion); !why.empty()) {
    *deletion_unreadable = true;
    deletion.reset();
    warnings.push_back(why);
  }
  if (deleting != nullptr) *deleting = deletion.has_value();
  return "";
}

}  // namespace nca::inventory::detail

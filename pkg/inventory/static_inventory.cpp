#include "inventory/static_inventory.h"

#include <set>

#include "base/time_format.h"
#include "inventory/json_fields.h"

namespace nca::inventory {

namespace {

using detail::type_name;

Status machine_error(std::size_t index, const std::string& name, const std::string& problem) {
  std::string where = "static inventory: machines[" + std::to_string(index) + "]";
  if (!name.empty()) where += " (" + name + ")";
  return invalid(where + ": " + problem);
}

// Reads an optional array of strings; returns an error text or "".
std::string string_array(const nlohmann::json& value, std::string_view key,
                         std::vector<std::string>* out) {
  if (value.is_null()) return "";
  if (!value.is_array()) {
    return std::string(key) + ": expected a list of strings, got " + std::string(type_name(value));
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) {
      return std::string(key) + "[" + std::to_string(i) + "]: expected a string, got " +
             std::string(type_name(value[i]));
    }
    out->push_back(value[i].get<std::string>());
  }
  return "";
}

Result<Machine> decode_entry(const nlohmann::json& entry, std::size_t index) {
  if (!entry.is_object()) {
    return machine_error(index, "", "expected a mapping, got " + std::string(type_name(entry)));
  }
  const nlohmann::json* name_value = detail::member(entry, "name");
  std::string name;
  if (name_value != nullptr && name_value->is_string()) name = name_value->get<std::string>();
  for (const auto& [key, value] : entry.items()) {
    if (key != "name" && key != "hostnames" && key != "addresses" && key != "created") {
      return machine_error(
          index, name,
          "unknown key \"" + key + "\" (expected name, hostnames, addresses, created)");
    }
  }
  if (name_value == nullptr || !name_value->is_string() || name.empty()) {
    return machine_error(index, "", "name: required, a non-empty string");
  }
  if (!is_dns_name(name) || detail::normalize_hostname(name) != name) {
    return machine_error(index, name, "name: not a valid node name (lower-case DNS name)");
  }

  Machine machine;
  machine.source = Source::kStatic;
  machine.name = name;
  machine.node_name = name;

  std::vector<std::string> hostnames, addresses;
  if (const nlohmann::json* v = detail::member(entry, "hostnames")) {
    if (std::string e = string_array(*v, "hostnames", &hostnames); !e.empty()) {
      return machine_error(index, name, e);
    }
  }
  if (const nlohmann::json* v = detail::member(entry, "addresses")) {
    if (std::string e = string_array(*v, "addresses", &addresses); !e.empty()) {
      return machine_error(index, name, e);
    }
  }
  for (std::size_t i = 0; i < hostnames.size(); ++i) {
    const std::string normal = detail::normalize_hostname(hostnames[i]);
    if (!is_dns_name(normal)) {
      return machine_error(
          index, name,
          "hostnames[" + std::to_string(i) + "]: \"" + hostnames[i] + "\" is not a DNS name");
    }
    detail::add_hostname(machine, normal);
  }
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (!detail::add_address(machine, addresses[i])) {
      return machine_error(
          index, name,
          "addresses[" + std::to_string(i) + "]: \"" + addresses[i] + "\" is not an IP address");
    }
  }
  if (const nlohmann::json* v = detail::member(entry, "created"); v != nullptr && !v->is_null()) {
    if (!v->is_string()) {
      return machine_error(
          index, name,
          "created: expected an RFC 3339 time string, got " + std::string(type_name(*v)));
    }
    machine.created = parse_rfc3339(v->get<std::string>());
    if (!machine.created) {
      return machine_error(index, name,
                           "created: \"" + v->get<std::string>() + "\" is not an RFC 3339 time");
    }
  }
  return machine;
}

}  // namespace

bool is_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      const bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

Result<std::vector<Machine>> decode_static_inventory(const nlohmann::json& document) {
  std::vector<Machine> out;
  if (document.is_null()) return out;
  if (!document.is_object()) {
    return invalid("static inventory: expected a mapping with a \"machines\" list, got " +
                   std::string(type_name(document)));
  }
  for (const auto& [key, value] : document.items()) {
    if (key != "machines") {
      return invalid("static inventory: unknown top-level key \"" + key + "\" (expected machines)");
    }
  }
  const nlohmann::json* machines = detail::member(document, "machines");
  if (machines == nullptr || machines->is_null()) return out;
  if (!machines->is_array()) {
    return invalid("static inventory: machines: expected a list, got " +
                   std::string(type_name(*machines)));
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < machines->size(); ++i) {
    Result<Machine> machine = decode_entry((*machines)[i], i);
    if (!machine) return machine.status();
    if (!seen.insert(machine->name).second) {
      return machine_error(i, machine->name, "duplicate name: a machine with it is listed already");
    }
    out.push_back(std::move(*machine));
  }
  return out;
}

}  // namespace nca::inventory

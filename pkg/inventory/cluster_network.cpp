#include "inventory/cluster_network.h"

#include "x509/ip_address.h"

namespace nca::inventory {
namespace {

using nlohmann::json;

const json* field(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(std::string(key));
  return it == object.end() ? nullptr : &*it;
}

std::string text_of(const json& object, std::string_view key) {
  const json* v = field(object, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::string origin(const json& object, std::string_view kind) {
  const json* meta = field(object, "metadata");
  std::string ns = meta ? text_of(*meta, "namespace") : "";
  std::string name = meta ? text_of(*meta, "name") : "";
  return std::string(kind) + " " + (ns.empty() ? "" : ns + "/") + name;
}

// Each string of `list` through `convert`; non-strings and failures become warnings.
template <typename Convert>
void each_string(const json* list, const std::string& where, const std::string& from,
                 std::vector<ClusterRange>& out, std::vector<std::string>& warnings,
                 Convert convert) {
  if (list == nullptr || list->is_null()) return;
  if (!list->is_array()) {
    warnings.push_back(from + ": " + where + ": expected an array");
    return;
  }
  for (const json& item : *list) {
    if (!item.is_string()) {
      warnings.push_back(from + ": " + where + ": an entry is not a string");
      continue;
    }
    std::string range = convert(item.get<std::string>());
    if (range.empty()) {
      warnings.push_back(from + ": " + where + ": \"" + item.get<std::string>() +
                         "\" is not usable");
      continue;
    }
    out.push_back(ClusterRange{std::move(range), from});
  }
}

}  // namespace

std::string host_range(std::string_view address) {
  auto ip = x509::parse_ip(address);
  if (!ip) return "";
  auto canonical = x509::canonical_ip(ip->bytes);
  if (!canonical) return "";
  return canonical->text + (canonical->bytes.size() == 4 ? "/32" : "/128");
}

std::vector<ClusterRange> service_cidr_ranges(const json& object,
                                              std::vector<std::string>& warnings) {
  std::vector<ClusterRange> out;
  const std::string from = origin(object, "ServiceCIDR");
  const json* spec = field(object, "spec");
  each_string(spec ? field(*spec, "cidrs") : nullptr, "spec.cidrs", from, out, warnings,
              [](const std::string& cidr) {
                static const auto v4 = x509::parse_ip("0.0.0.0");
                static const auto v6 = x509::parse_ip("::");
                const bool ok = cidr.find('/') != std::string::npos &&
                                ((v4 && x509::cidr_contains(cidr, *v4).has_value()) ||
                                 (v6 && x509::cidr_contains(cidr, *v6).has_value()));
                return ok ? cidr : std::string();
              });
  return out;
}

std::vector<ClusterRange> service_cluster_ips(const json& object,
                                              std::vector<std::string>& warnings) {
  std::vector<ClusterRange> out;
  const std::string from = origin(object, "Service");
  const json* spec = field(object, "spec");
  if (spec == nullptr) return out;
  json ips = json::array();
  if (const json* list = field(*spec, "clusterIPs"); list && list->is_array()) {
    ips = *list;
  } else if (const json* one = field(*spec, "clusterIP"); one && one->is_string()) {
    ips.push_back(*one);
  }
  for (auto it = ips.begin(); it != ips.end();) {
    it = it->is_string() && (it->get<std::string>() == "None" || it->get<std::string>().empty())
             ? ips.erase(it)
             : it + 1;
  }
  each_string(&ips, "spec.clusterIPs", from, out, warnings, host_range);
  return out;
}

std::vector<ClusterRange> endpoint_slice_addresses(const json& object,
                                                   std::vector<std::string>& warnings) {
  std::vector<ClusterRange> out;
  const std::string from = origin(object, "EndpointSlice");
  if (text_of(object, "addressType") == "FQDN") return out;
  const json* endpoints = field(object, "endpoints");
  if (endpoints == nullptr || endpoints->is_null()) return out;
  if (!endpoints->is_array()) {
    warnings.push_back(from + ": endpoints: expected an array");
    return out;
  }
  for (const json& e : *endpoints) {
    each_string(field(e, "addresses"), "endpoints[].addresses", from, out, warnings, host_range);
  }
  return out;
}

}  // namespace nca::inventory

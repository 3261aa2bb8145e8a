#include "inventory/node_machine.h"

#include "inventory/address_list.h"
#include "inventory/json_fields.h"
#include "inventory/type_check.h"
#include "kube/decode.h"

namespace nca::inventory {
namespace {

void parse_pod_cidrs(Machine& machine) {
  machine.pod_prefixes.clear();
  for (const std::string& cidr : machine.pod_cidrs) {
    machine.pod_prefixes.push_back(x509::parse_prefix(cidr));
  }
}

}  // namespace

Decoded decode_node_object(const nlohmann::json& object) {
  if (std::string why = detail::check_type(object, "v1", "Node"); !why.empty()) {
    return Decoded::skip(why);
  }
  Decoded out;
  Machine machine;
  machine.source = Source::kNode;
  if (std::string why = detail::read_metadata(object, machine, nullptr); !why.empty()) {
    // A Node whose timestamps are unreadable still exists: retry with the name alone.
    std::string error;
    const nlohmann::json* metadata = detail::member(object, "metadata");
    std::optional<std::string> name =
        metadata ? detail::string_member(*metadata, "name", &error) : std::nullopt;
    if (!name || name->empty()) return Decoded::skip(why);
    machine = Machine{};
    machine.source = Source::kNode;
    machine.name = *name;
    out.warnings.push_back(why);
  }
  machine.node_name = machine.name;
  machine.has_node_ref = true;
  if (const nlohmann::json* spec = detail::member(object, "spec"); spec && spec->is_object()) {
    if (const nlohmann::json* cidrs = detail::member(*spec, "podCIDRs");
        cidrs && cidrs->is_array()) {
      for (const auto& c : *cidrs) {
        if (c.is_string()) machine.pod_cidrs.push_back(c.get<std::string>());
      }
    }
  }

  const nlohmann::json* status = detail::member(object, "status");
  const nlohmann::json* list = status ? detail::member(*status, "addresses") : nullptr;
  if (status != nullptr && !status->is_null() && !status->is_object()) {
    out.warnings.push_back("status: expected an object, got " +
                           std::string(detail::type_name(*status)));
  }
  if (std::string why =
          detail::read_address_list(list, "status.addresses", machine, nullptr, out.warnings);
      !why.empty()) {
    out.warnings.push_back(why);
  }
  if (status != nullptr && status->is_object()) {
    // The same reading as the informer's (kube::node_of), so explain sees what the daemon does.
    if (auto node = kube::decode_node(object); node.is_ok()) {
      for (const auto& a : node->addresses)
        machine.reported_addresses.emplace_back(a.type, a.address);
      machine.kubelet_port = node->kubelet_port;
    }
  }
  parse_pod_cidrs(machine);
  out.machine = std::move(machine);
  return out;
}

Decoded node_machine(const kube::Node& node) {
  if (node.metadata.name.empty()) return Decoded::skip("metadata.name: missing");
  Decoded out;
  Machine machine;
  machine.source = Source::kNode;
  machine.name = node.metadata.name;
  machine.node_name = node.metadata.name;
  machine.has_node_ref = true;
  machine.created = node.metadata.creation_timestamp;
  machine.pod_cidrs = node.pod_cidrs;
  nlohmann::json list = nlohmann::json::array();
  for (const kube::NodeAddress& a : node.addresses) {
    list.push_back({{"type", a.type}, {"address", a.address}});
    machine.reported_addresses.emplace_back(a.type, a.address);
  }
  machine.kubelet_port = node.kubelet_port;
  detail::read_address_list(&list, "status.addresses", machine, nullptr, out.warnings);
  for (const std::string& w : node.decode_warnings) out.warnings.push_back(w);
  parse_pod_cidrs(machine);
  out.machine = std::move(machine);
  return out;
}

}  // namespace nca::inventory

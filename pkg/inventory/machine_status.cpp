#include "inventory/machine_status.h"

#include "inventory/address_list.h"
#include "inventory/json_fields.h"

namespace nca::inventory::detail {

namespace {

// Reads status.nodeRef. Returns why it is unreadable (or ""); sets *name to the referenced
// node (empty when there is no nodeRef).
std::string read_node_ref(const nlohmann::json& status, std::string* name,
                          std::vector<std::string>& warnings) {
  const nlohmann::json* ref = member(status, "nodeRef");
  if (ref == nullptr || ref->is_null()) return "";
  if (!ref->is_object()) {
    return "status.nodeRef: expected an object, got " + std::string(type_name(*ref));
  }
  std::string error;
  std::optional<std::string> kind = string_member(*ref, "kind", &error);
  std::optional<std::string> ref_name = string_member(*ref, "name", &error);
  if (!error.empty()) return "status.nodeRef." + error;
  // v1beta1 nodeRefs are ObjectReferences {apiVersion, kind: Node, name, uid}; v1beta2's
  // MachineNodeReference is {name} only.
  if (kind && !kind->empty() && *kind != "Node") {
    return "status.nodeRef.kind: \"" + *kind + "\" is not Node";
  }
  if (!ref_name || ref_name->empty()) {
    // Cluster API's IsDefined(): a nodeRef without a name is no nodeRef.
    warnings.push_back("status.nodeRef: has no name, treated as absent");
    return "";
  }
  *name = *ref_name;
  return "";
}

}  // namespace

Decoded decode_machine_api_object(const nlohmann::json& object, Source source) {
  Decoded out;
  Machine machine;
  machine.source = source;
  bool deleting = false, deletion_unreadable = false;
  if (std::string why =
          read_metadata_lenient(object, machine, &deleting, &deletion_unreadable, out.warnings);
      !why.empty()) {
    return Decoded::skip(why);
  }
  if (deleting) return Decoded::skip("being deleted (metadata.deletionTimestamp is set)");

  const nlohmann::json* status = member(object, "status");
  if (status != nullptr && !status->is_null() && !status->is_object()) {
    return Decoded::degrade(std::move(machine), std::move(out.warnings),
                            "status: expected an object, got " + std::string(type_name(*status)));
  }
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const nlohmann::json& st = (status != nullptr && status->is_object()) ? *status : kEmpty;

  AddressNames names;
  if (std::string why = read_address_list(member(st, "addresses"), "status.addresses", machine,
                                          &names, out.warnings);
      !why.empty()) {
    out.warnings.push_back(why);  // no addresses: narrower, the machine stays
  }
  std::string node_ref;
  if (std::string why = read_node_ref(st, &node_ref, out.warnings); !why.empty()) {
    // Reading it as "no nodeRef" would open the bootstrap path for a machine that already
    // has a node; dropping the machine would forget its addresses.
    return Decoded::degrade(std::move(machine), std::move(out.warnings), why);
  }
  if (deletion_unreadable) {
    return Decoded::degrade(std::move(machine), std::move(out.warnings),
                            "metadata.deletionTimestamp unreadable");
  }

  if (!node_ref.empty()) {
    set_node_name(machine, node_ref);
    machine.has_node_ref = true;
  } else {
    const auto& candidates = names.internal_dns.empty() ? names.hostname : names.internal_dns;
    for (const std::string& name : candidates) add_node_name_candidate(machine, name);
    if (machine.node_name.empty()) {
      out.warnings.push_back(
          "no nodeRef and no InternalDNS or Hostname address: cannot tell its node name");
    }
  }
  out.machine = std::move(machine);
  return out;
}

}  // namespace nca::inventory::detail

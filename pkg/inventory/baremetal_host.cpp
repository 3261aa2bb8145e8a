#include "inventory/baremetal_host.h"

#include "base/time_format.h"
#include "inventory/json_fields.h"
#include "inventory/type_check.h"

namespace nca::inventory {

namespace {

using detail::member;
using detail::string_member;
using detail::type_name;

// Reads spec.consumerRef / spec.externallyProvisioned. Returns a skip reason.
std::string read_consumer(const nlohmann::json& object, Machine& machine) {
  const nlohmann::json* spec = member(object, "spec");
  if (spec == nullptr || spec->is_null()) return "spec: missing, not provisioned for a consumer";
  if (!spec->is_object()) return "spec: expected an object, got " + std::string(type_name(*spec));
  const nlohmann::json* ref = member(*spec, "consumerRef");
  if (ref != nullptr && !ref->is_null()) {
    if (!ref->is_object()) {
      return "spec.consumerRef: expected an object, got " + std::string(type_name(*ref));
    }
    std::string error;
    std::string kind = string_member(*ref, "kind", &error).value_or("");
    std::string name = string_member(*ref, "name", &error).value_or("");
    std::string ns = string_member(*ref, "namespace", &error).value_or(machine.namespace_);
    if (!error.empty()) return "spec.consumerRef." + error;
    if (name.empty()) return "spec.consumerRef.name: missing";
    machine.consumer =
        (kind.empty() ? "consumer" : kind) + " " + (ns.empty() ? "" : ns + "/") + name;
    return "";
  }
  const nlohmann::json* external = member(*spec, "externallyProvisioned");
  if (external != nullptr && external->is_boolean() && external->get<bool>()) {
    machine.consumer = "externally provisioned";
    return "";
  }
  return "spec.consumerRef: not set and not externally provisioned: not running as a node";
}

// The time provisioning finished, when the host's operation history records it.
std::optional<WallTime> provisioned_at(const nlohmann::json& status) {
  const nlohmann::json* history = member(status, "operationHistory");
  const nlohmann::json* provision = history ? member(*history, "provision") : nullptr;
  if (provision == nullptr) return std::nullopt;
  std::string error;
  std::optional<std::string> end = string_member(*provision, "end", &error);
  if (!end || end->empty()) return std::nullopt;
  return parse_rfc3339(*end);
}

// Reads status.hardware.nics into `machine`; unreadable entries are warnings.
void read_nics(const nlohmann::json& hardware, Machine& machine,
               std::vector<std::string>& warnings) {
  const nlohmann::json* nics = member(hardware, "nics");
  if (nics == nullptr || nics->is_null()) return;
  if (!nics->is_array()) {
    warnings.push_back("status.hardware.nics: ignored, expected an array, got " +
                       std::string(type_name(*nics)));
    return;
  }
  for (std::size_t i = 0; i < nics->size(); ++i) {
    const std::string where = "status.hardware.nics[" + std::to_string(i) + "].ip";
    std::string nic_error;
    std::optional<std::string> ip = string_member((*nics)[i], "ip", &nic_error);
    if (!nic_error.empty() || !(*nics)[i].is_object()) {
      warnings.push_back(where + ": ignored, malformed NIC entry");
      continue;
    }
    if (!ip || ip->empty()) continue;
    if (!detail::add_address(machine, *ip)) {
      warnings.push_back(where + ": ignored, \"" + *ip + "\" is not an IP address");
    }
  }
}

// Whether a consumer problem is a malformed field (degrade) rather than a statement that
// the host runs nothing (skip).
bool malformed_consumer(const std::string& why) {
  return why.find("expected") != std::string::npos ||
         why.find(".name: missing") != std::string::npos;
}

}  // namespace

Decoded decode_baremetal_host(const nlohmann::json& object) {
  if (std::string why = detail::check_type(object, "metal3.io/v1alpha1", "BareMetalHost");
      !why.empty()) {
    return Decoded::skip(why);
  }
  Decoded out;
  Machine machine;
  machine.source = Source::kBareMetalHost;
  bool deleting = false, deletion_unreadable = false;
  if (std::string why = detail::read_metadata_lenient(object, machine, &deleting,
                                                      &deletion_unreadable, out.warnings);
      !why.empty()) {
    return Decoded::skip(why);
  }
  if (deleting) return Decoded::skip("being deleted (metadata.deletionTimestamp is set)");
  std::string degraded_why;  // the first malformed field that decides the node
  if (deletion_unreadable) degraded_why = "metadata.deletionTimestamp unreadable";
  if (std::string why = read_consumer(object, machine); !why.empty()) {
    if (!malformed_consumer(why)) return Decoded::skip(why);
    if (degraded_why.empty()) degraded_why = why;
  }

  const nlohmann::json* status = member(object, "status");
  const nlohmann::json* hardware = status ? member(*status, "hardware") : nullptr;
  if (status != nullptr && !status->is_null() && !status->is_object()) {
    return Decoded::degrade(std::move(machine), std::move(out.warnings),
                            "status: expected an object, got " + std::string(type_name(*status)));
  }
  if (hardware == nullptr || hardware->is_null()) {
    if (!degraded_why.empty()) {
      return Decoded::degrade(std::move(machine), std::move(out.warnings), degraded_why);
    }
    return Decoded::skip("status.hardware: missing, the host has not been inspected");
  }
  if (!hardware->is_object()) {
    return Decoded::degrade(
        std::move(machine), std::move(out.warnings),
        "status.hardware: expected an object, got " + std::string(type_name(*hardware)));
  }
  read_nics(*hardware, machine, out.warnings);
  std::string error;
  std::optional<std::string> hostname = string_member(*hardware, "hostname", &error);
  if (!error.empty() && degraded_why.empty()) degraded_why = "status.hardware." + error;
  if (hostname) detail::add_hostname(machine, *hostname);  // contests even when degraded
  if (std::optional<WallTime> at = provisioned_at(*status)) machine.created = at;
  if (!degraded_why.empty()) {
    return Decoded::degrade(std::move(machine), std::move(out.warnings), degraded_why);
  }
  detail::set_node_name(machine, hostname.value_or(""));
  if (machine.node_name.empty()) return Decoded::skip("status.hardware.hostname: missing");
  out.machine = std::move(machine);
  return out;
}

}  // namespace nca::inventory

#include "kube/encode.h"

#include <cstdio>

#include "base/time_format.h"

namespace nca::kube {

using nlohmann::json;

Result<json> approval_patch(const CertificateSigningRequest& csr, std::string_view type,
                            std::string_view reason, std::string_view message, WallTime now) {
  if (type != "Approved" && type != "Denied") {
    return invalid("approval: condition type must be Approved or Denied, got \"" +
                   std::string(type) + "\"");
  }
  if (csr.metadata.resource_version.empty()) {
    return invalid("approval: CSR " + csr.metadata.name +
                   " has no resourceVersion to make the patch conditional");
  }
  json conditions = json::array();
  for (const CsrCondition& c : csr.conditions) {
    if (c.type == type) {
      return invalid("approval: the CSR already has a " + std::string(type) + " condition");
    }
    json out{{"type", c.type}, {"status", c.status}};
    if (!c.reason.empty()) out["reason"] = c.reason;
    if (!c.message.empty()) out["message"] = c.message;
    if (c.last_update_time) out["lastUpdateTime"] = format_rfc3339(*c.last_update_time);
    if (c.last_transition_time) out["lastTransitionTime"] = format_rfc3339(*c.last_transition_time);
    conditions.push_back(std::move(out));
  }
  const std::string ts = format_rfc3339(now);
  conditions.push_back(json{{"type", type},
                            {"status", "True"},
                            {"reason", reason},
                            {"message", message},
                            {"lastUpdateTime", ts},
                            {"lastTransitionTime", ts}});
  json meta{{"resourceVersion", csr.metadata.resource_version}};
  if (!csr.metadata.uid.empty()) meta["uid"] = csr.metadata.uid;
  return json{{"metadata", std::move(meta)}, {"status", {{"conditions", std::move(conditions)}}}};
}

std::string event_namespace(const ObjectReference& involved) {
  return involved.namespace_.empty() ? "default" : involved.namespace_;
}

json build_event(const EventSpec& spec, WallTime now) {
  const ObjectReference& io = spec.involved_object;
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  char hex[32];
  std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(nanos));
  std::string ns = event_namespace(io);
  json involved = json::object();
  if (!io.api_version.empty()) involved["apiVersion"] = io.api_version;
  if (!io.kind.empty()) involved["kind"] = io.kind;
  involved["name"] = io.name;
  if (!io.namespace_.empty()) involved["namespace"] = io.namespace_;
  if (!io.uid.empty()) involved["uid"] = io.uid;
  if (!io.resource_version.empty()) involved["resourceVersion"] = io.resource_version;
  std::string ts = format_rfc3339(now);
  json ev{{"apiVersion", "v1"},
          {"kind", "Event"},
          {"metadata", {{"name", io.name + "." + hex}, {"namespace", ns}}},
          {"involvedObject", involved},
          {"type", spec.type},
          {"reason", spec.reason},
          {"message", spec.message},
          {"source", {{"component", spec.source_component}}},
          {"count", 1},
          {"firstTimestamp", ts},
          {"lastTimestamp", ts},
          {"reportingComponent", spec.reporting_controller},
          {"reportingInstance", spec.reporting_instance}};
  return ev;
}

json encode_lease(const Lease& lease) {
  json meta{{"name", lease.metadata.name}};
  if (!lease.metadata.namespace_.empty()) meta["namespace"] = lease.metadata.namespace_;
  if (!lease.metadata.resource_version.empty()) {
    meta["resourceVersion"] = lease.metadata.resource_version;
  }
  if (!lease.metadata.labels.empty()) meta["labels"] = lease.metadata.labels;
  json spec = json::object();
  if (!lease.holder_identity.empty()) spec["holderIdentity"] = lease.holder_identity;
  if (lease.lease_duration_seconds) spec["leaseDurationSeconds"] = *lease.lease_duration_seconds;
  if (lease.acquire_time) spec["acquireTime"] = format_rfc3339(*lease.acquire_time, true);
  if (lease.renew_time) spec["renewTime"] = format_rfc3339(*lease.renew_time, true);
  spec["leaseTransitions"] = lease.lease_transitions;
  return json{{"apiVersion", "coordination.k8s.io/v1"},
              {"kind", "Lease"},
              {"metadata", meta},
              {"spec", spec}};
}

}  // namespace nca::kube

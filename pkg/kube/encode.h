// Encoders for the objects the approver writes: the CSR approval update, Events about a
// CSR, and the leader-election Lease. They build API JSON; pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "kube/objects.h"

namespace nca::kube {

// The body for PUT .../certificatesigningrequests/NAME/approval: `raw_csr` as read from the
// server (so no field is lost and metadata.resourceVersion guards against a concurrent
// change) with a condition {type, status "True", reason, message, lastUpdateTime,
// lastTransitionTime = now} appended. `type` is "Approved" or "Denied"; Invalid when
// `raw_csr` is not an object, already carries a condition of that type, or its
// status.conditions is not an array.
Result<nlohmann::json> approval_update(const nlohmann::json& raw_csr, std::string_view type,
                                       std::string_view reason, std::string_view message,
                                       WallTime now);

// What an Event says and who says it.
struct EventSpec {
  ObjectReference involved_object;  // e.g. the CSR: kind, apiVersion, name, uid
  std::string type = "Normal";      // Normal | Warning
  std::string reason;               // CamelCase, e.g. "Approved"
  std::string message;
  std::string source_component = "node-csr-approver";
  std::string reporting_controller = "node-csr-approver";
  std::string reporting_instance;  // the pod name
};

// A core/v1 Event. Cluster-scoped objects (CSRs) get their events in "default", as the API
// server requires; the name is "<object>.<hex nanoseconds>" like client-go's recorder.
nlohmann::json build_event(const EventSpec& spec, WallTime now);

// The namespace an event about `involved` lives in.
std::string event_namespace(const ObjectReference& involved);

// A coordination.k8s.io/v1 Lease. Times are MicroTime (six fractional digits); optional
// fields that are unset are omitted; metadata.resourceVersion is written when non-empty.
nlohmann::json encode_lease(const Lease& lease);

}  // namespace nca::kube

// Encoders for the objects the approver writes: the CSR approval patch, Events about a
// CSR, and the leader-election Lease. They build API JSON; pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "kube/objects.h"

namespace nca::kube {

// A JSON merge patch for PATCH .../certificatesigningrequests/NAME/approval built from the CSR
// as cached, with no re-read: metadata.uid and metadata.resourceVersion make it conditional
// (the server refuses it with 409 when the CSR changed since that version, so it can never
// add a decision to a CSR nobody here has seen), and status.conditions is the cached list
// with {type, status "True", reason, message, lastUpdateTime, lastTransitionTime = now}
// appended (a merge patch replaces a list whole). The approval subresource takes nothing
// else from it. Invalid when `type` is not Approved or Denied, the CSR already carries a
// condition of that type, or it has no resourceVersion to make the patch conditional.
Result<nlohmann::json> approval_patch(const CertificateSigningRequest& csr, std::string_view type,
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

// Typed, trimmed Kubernetes objects: only the fields the approver reads. Decoded
// defensively from JSON (see decode.h): a malformed object is an error for that object,
// never a crash. Plain values; the cache hands them out as shared_ptr<const T>.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"

namespace nca::kube {

struct OwnerReference {
  std::string api_version, kind, name, uid;
  bool controller = false;
};

struct ObjectMeta {
  std::string name;
  std::string namespace_;  // empty for cluster-scoped objects
  std::string uid;
  std::string resource_version;
  std::optional<WallTime> creation_timestamp;
  std::optional<WallTime> deletion_timestamp;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<OwnerReference> owner_references;
};

// "namespace/name", or "name" for cluster-scoped objects: the cache and queue key.
std::string object_key(const ObjectMeta& meta);

// certificates.k8s.io/v1 CertificateSigningRequest.
struct CsrCondition {
  std::string type;    // Approved | Denied | Failed
  std::string status;  // "True" | "False" | "Unknown"
  std::string reason;
  std::string message;
  std::optional<WallTime> last_update_time;
  std::optional<WallTime> last_transition_time;
};

struct CertificateSigningRequest {
  ObjectMeta metadata;
  // spec
  std::string request_pem;  // spec.request, base64-decoded
  std::string signer_name;
  std::optional<std::int64_t> expiration_seconds;
  std::vector<std::string> usages;
  std::string username;
  std::string uid_of_requester;  // spec.uid
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
  // status
  std::vector<CsrCondition> conditions;
  bool has_certificate = false;  // status.certificate is non-empty (the PEM itself is dropped)

  bool has_condition(std::string_view type) const;  // with status "True"
  bool is_approved() const { return has_condition("Approved"); }
  bool is_denied() const { return has_condition("Denied"); }
  bool is_failed() const { return has_condition("Failed"); }
  bool is_pending() const { return !is_approved() && !is_denied() && !is_failed(); }
};

// core/v1 Node.
struct NodeAddress {
  std::string type;  // Hostname | InternalIP | ExternalIP | InternalDNS | ExternalDNS
  std::string address;
};

struct Node {
  ObjectMeta metadata;
  std::string provider_id;  // spec.providerID
  std::vector<NodeAddress> addresses;
  // Fields the decoder could not read and left out ("status.addresses[1].type: expected
  // string, got number"); the Node is kept with the rest.
  std::vector<std::string> decode_warnings;
  std::vector<std::string> pod_cidrs;  // spec.podCIDRs (or spec.podCIDR)
  int kubelet_port = 0;                // status.daemonEndpoints.kubeletEndpoint.Port; 0 = absent
};

// coordination.k8s.io/v1 Lease.
struct Lease {
  ObjectMeta metadata;
  std::string holder_identity;
  std::optional<std::int32_t> lease_duration_seconds;
  std::optional<WallTime> acquire_time;
  std::optional<WallTime> renew_time;
  std::int32_t lease_transitions = 0;
};

// core/v1 ConfigMap.
struct ConfigMap {
  ObjectMeta metadata;
  std::map<std::string, std::string> data;
};

// core/v1 Event (what we write; decoded for tests and explain).
struct ObjectReference {
  std::string api_version, kind, name, namespace_, uid, resource_version;
};

struct Event {
  ObjectMeta metadata;
  ObjectReference involved_object;
  std::string type;  // Normal | Warning
  std::string reason;
  std::string message;
  std::string source_component;
  std::int32_t count = 0;
  std::optional<WallTime> first_timestamp;
  std::optional<WallTime> last_timestamp;
};

// Any other object (CRDs: Machines, BareMetalHosts): metadata plus the raw JSON, which
// inventory decoders read field by field.
struct Unstructured {
  ObjectMeta metadata;
  std::string api_version;
  std::string kind;
  nlohmann::json object;
  std::vector<std::string> decode_warnings;  // metadata fields left out, as for Node
};

}  // namespace nca::kube

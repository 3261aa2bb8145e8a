// Decoders from API JSON to the trimmed objects of objects.h. Defensive: unknown fields are
// ignored, a missing metadata.name or a field of the wrong type is an Invalid status naming
// the field ("CertificateSigningRequest: spec.usages[1]: expected string, got number"),
// never a crash or an exception. Large fields the approver does not use (Node images and
// conditions, the issued certificate) are skipped without copying. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "kube/objects.h"

namespace nca::kube {

// The `metadata` of an API object (pass the whole object). metadata.name is required.
Result<ObjectMeta> decode_meta(const nlohmann::json& object);

// object_key(decode_meta(object)), for stores keyed on raw JSON.
Result<std::string> raw_object_key(const nlohmann::json& object);

// spec.request is base64-decoded (invalid base64 is an error); status.certificate is not kept.
Result<CertificateSigningRequest> decode_csr(const nlohmann::json& object);
// Lenient: only a missing metadata.name is an error; other unreadable fields are left out
// and listed in Node::decode_warnings (a Node is never forgotten for one bad field).
Result<Node> decode_node(const nlohmann::json& object);
Result<Lease> decode_lease(const nlohmann::json& object);
Result<ConfigMap> decode_configmap(const nlohmann::json& object);
Result<Event> decode_event(const nlohmann::json& object);
// Keeps a copy of the whole object in Unstructured::object. Lenient like decode_node.
Result<Unstructured> decode_unstructured(const nlohmann::json& object);

}  // namespace nca::kube

// RawObject: one object as it crosses from the reflector to its sink: still JSON (the
// sink decodes it into its type), with the cache key and resourceVersion already read
// from its metadata. A plain value.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"

namespace nca::cache {

struct RawObject {
  std::string key;               // "namespace/name", or "name" when cluster-scoped
  std::string resource_version;  // metadata.resourceVersion
  nlohmann::json object;
};

// Reads metadata.name (required, a non-empty string), metadata.namespace and
// metadata.resourceVersion (optional strings). Invalid, with a message, otherwise. The
// rvalue form moves from `object` only when it succeeds (an invalid one is left intact).
Result<RawObject> to_raw_object(nlohmann::json&& object);
Result<RawObject> to_raw_object(const nlohmann::json& object);

// The resourceVersion in an object's metadata ("" when absent or not a string).
std::string resource_version_of(const nlohmann::json& object);

}  // namespace nca::cache

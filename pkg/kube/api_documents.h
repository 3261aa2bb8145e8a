// Readers for the two non-object documents the API server sends us: a list page
// (`{metadata: {resourceVersion, continue}, items: [...]}`) and an API discovery
// document (`{resources: [{name: ...}, ...]}`). A hostile or broken answer is an Invalid
// status, never an exception: no field is read without checking its type first. Items
// are handed on as they are (the reflector and the typed decoders judge each one).
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "base/status.h"
#include "kube/list_watch.h"

namespace nca::kube {

// `what` names the collection in errors ("list of nodes"). metadata.resourceVersion and
// metadata.continue must be strings when present; items an array (or absent/null).
Result<ListPage> decode_list_page(nlohmann::json body, std::string_view what);

// Whether the discovery document (GET /apis/GROUP/VERSION) lists `resource`. An answer
// that is not a discovery document (no `resources` array), or one with unreadable entries
// and no readable match, is Invalid: a broken answer never means "not served".
Result<bool> discovery_lists_resource(const nlohmann::json& document, std::string_view resource);

}  // namespace nca::kube

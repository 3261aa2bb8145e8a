// YAML (or JSON, which is YAML) text → nlohmann::json, for reading Kubernetes objects and
// inventory files as `kubectl get -o yaml|json` prints them. Scalars are typed by the
// YAML 1.2 core schema: plain null/~/true/false/integers/floats become JSON null, bool and
// numbers; every quoted scalar stays a string ("1234", "true"). Aliases are expanded, with
// a limit on the expanded size so a "billion laughs" input is an error, not an OOM.
// Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace nca::config {

// Exactly one document (an empty input is JSON null). Several documents are an error.
Result<nlohmann::json> yaml_to_json(std::string_view text);

// Every document of a "---"-separated stream, in order (empty documents skipped).
Result<std::vector<nlohmann::json>> yaml_documents_to_json(std::string_view text);

}  // namespace nca::config

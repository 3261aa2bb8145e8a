// Decoding one line of a watch stream, `{"type": "ADDED", "object": {...}}`, into a
// WatchEvent. Pure; thread-safe.
#pragma once

#include <string_view>

#include "base/status.h"
#include "kube/list_watch.h"

namespace nca::kube {

// Invalid for a line that is not JSON, lacks type/object, or has an unknown type.
Result<WatchEvent> parse_watch_event(std::string_view line);

}  // namespace nca::kube

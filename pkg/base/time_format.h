// RFC 3339 timestamps as the Kubernetes API writes them ("2026-11-20T10:00:00Z", and
// "2026-11-20T10:00:00.123456Z" for MicroTime). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace nca {

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)", 't'/'z' in either case.
std::optional<WallTime> parse_rfc3339(std::string_view text);

// UTC with a 'Z'; `micros` adds six fractional digits (metav1.MicroTime).
std::string format_rfc3339(WallTime t, bool micros = false);

}  // namespace nca

// Durations as config values: Go-style "90s", "15m", "2h", "1h30m" (whole seconds, units
// h/m/s, at least one unit). Pure; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace nca::config {

// nullopt for anything else: no unit, unknown unit, negative, fractions, overflow.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace nca::config

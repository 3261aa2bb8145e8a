// Structured logging: one JSON object per line on stderr (or a test sink), with a level,
// a message and typed fields. Thread-safe; lines are written whole.
//
//   log::info("approved CSR", {{"csr", name}, {"reason", reason}, {"latency_ms", 12}});
//
// Keep logs out of hot loops: anything someone will graph is a metric instead.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nca::log {

enum class Level { kDebug = 0, kInfo, kWarn, kError };

std::string_view level_name(Level level);
// Parses "debug" | "info" | "warn" | "error"; nullopt otherwise.
std::optional<Level> parse_level(std::string_view text);

using Value = std::variant<std::string, std::int64_t, double, bool>;

struct Field {
  std::string key;
  Value value;
  Field(std::string k, std::string v) : key(std::move(k)), value(std::move(v)) {}
  Field(std::string k, std::string_view v) : key(std::move(k)), value(std::string(v)) {}
  Field(std::string k, const char* v) : key(std::move(k)), value(std::string(v)) {}
  Field(std::string k, bool v) : key(std::move(k)), value(v) {}
  Field(std::string k, double v) : key(std::move(k)), value(v) {}
  template <typename I>
  requires std::is_integral_v<I> Field(std::string k, I v)
      : key(std::move(k)), value(static_cast<std::int64_t>(v)) {}
};
using Fields = std::initializer_list<Field>;

void set_level(Level level);
Level level();
bool enabled(Level level);

// Replaces the output (default: stderr). Pass nullptr to restore stderr. For tests.
using Sink = std::function<void(std::string_view line)>;
void set_sink(Sink sink);

// Renders one JSON line (without the newline); exposed for tests.
std::string render(Level level, std::string_view message, Fields fields, std::string_view ts);

void write(Level level, std::string_view message, Fields fields = {});
inline void debug(std::string_view m, Fields f = {}) { write(Level::kDebug, m, f); }
inline void info(std::string_view m, Fields f = {}) { write(Level::kInfo, m, f); }
inline void warn(std::string_view m, Fields f = {}) { write(Level::kWarn, m, f); }
inline void error(std::string_view m, Fields f = {}) { write(Level::kError, m, f); }

}  // namespace nca::log

#include "base/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "base/time_format.h"

namespace nca::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_mu;
Sink g_sink;  // guarded by g_mu

}  // namespace

std::string_view level_name(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

std::optional<Level> parse_level(std::string_view text) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == level_name(l)) return l;
  }
  return std::nullopt;
}

void set_level(Level level) { g_level.store(static_cast<int>(level)); }
Level level() { return static_cast<Level>(g_level.load()); }
bool enabled(Level l) { return static_cast<int>(l) >= g_level.load(); }

void set_sink(Sink sink) {
  std::lock_guard lock(g_mu);
  g_sink = std::move(sink);
}

std::string render(Level level, std::string_view message, Fields fields, std::string_view ts) {
  nlohmann::ordered_json line;
  line["ts"] = ts;
  line["level"] = level_name(level);
  line["msg"] = message;
  for (const Field& f : fields) {
    std::visit([&](const auto& v) { line[f.key] = v; }, f.value);
  }
  // Replace invalid UTF-8 instead of throwing: log lines may quote hostile input.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write(Level l, std::string_view message, Fields fields) {
  if (!enabled(l)) return;
  std::string text =
      render(l, message, fields, format_rfc3339(std::chrono::system_clock::now(), true));
  std::lock_guard lock(g_mu);
  if (g_sink) {
    g_sink(text);
    return;
  }
  text.push_back('\n');
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace nca::log

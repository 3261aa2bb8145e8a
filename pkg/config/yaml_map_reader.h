// MapReader: strict, typed reading of one YAML mapping for config decoding. Internal to
// pkg/config (it exposes yaml-cpp types; nothing outside this folder may include it).
// Every read marks its key as known; finish() reports the keys nobody read. Errors name
// the key path and the line and are collected in a shared ErrorList, so one run reports
// every problem. Not thread-safe: one reader per decoding pass.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace nca::config::detail {

class ErrorList {
 public:
  void add(const YAML::Mark& mark, const std::string& path, const std::string& message);
  bool empty() const { return errors_.empty(); }
  std::string joined() const;  // one error per line

 private:
  std::vector<std::string> errors_;
};

int line_of(const YAML::Mark& mark);  // 1-based; 0 when unknown

class MapReader {
 public:
  // `node` must be a mapping or null (an absent/empty section); anything else is an error.
  MapReader(const YAML::Node& node, std::string path, ErrorList& errors);

  // Each reader leaves `out` untouched when the key is absent or its value is bad.
  void boolean(const std::string& key, bool& out);
  void integer(const std::string& key, std::int64_t& out, std::int64_t min, std::int64_t max);
  void integer(const std::string& key, int& out, int min, int max);
  void string(const std::string& key, std::string& out);
  // `check` returns an error message for a bad item, or an empty string.
  void strings(const std::string& key, std::vector<std::string>& out,
               const std::function<std::string(const std::string&)>& check = nullptr);
  void duration(const std::string& key, std::chrono::seconds& out, std::chrono::seconds min);

  template <typename E>
  void choice(const std::string& key, std::initializer_list<std::pair<const char*, E>> options,
              E& out) {
    auto value = scalar(key, "a string");
    if (!value) return;
    std::string names;
    for (const auto& [name, e] : options) {
      if (*value == name) {
        out = e;
        return;
      }
      names += names.empty() ? name : std::string(", ") + name;
    }
    fail(key, "must be one of " + names + ", got \"" + *value + "\"");
  }

  // The raw value of `key` (marked known), when present and not null.
  std::optional<YAML::Node> value(const std::string& key);
  // A nested section; an absent key gives an empty reader.
  MapReader section(const std::string& key);

  // Every key of the mapping, in document order (for maps keyed by data, not schema).
  std::vector<std::string> keys() const;

  // Reports unknown keys. Call once after every read.
  void finish();

  void fail(const std::string& key, const std::string& message);
  void fail_at(const YAML::Node& at, const std::string& key, const std::string& message);
  std::string path_of(const std::string& key) const;
  std::optional<std::string> scalar(const std::string& key, const char* expected);

 private:
  YAML::Node node_;
  std::string path_;
  ErrorList& errors_;
  std::set<std::string> known_;
  bool valid_ = false;
};

}  // namespace nca::config::detail

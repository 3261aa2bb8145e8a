#include "config/yaml_map_reader.h"

#include <charconv>

#include "config/duration.h"

namespace nca::config::detail {
namespace {

std::string type_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return n.Tag() == "!" ? "the string \"" + n.Scalar() + "\"" : "\"" + n.Scalar() + "\"";
    default:
      return "nothing";
  }
}

}  // namespace

int line_of(const YAML::Mark& mark) { return mark.line < 0 ? 0 : mark.line + 1; }

void ErrorList::add(const YAML::Mark& mark, const std::string& path, const std::string& message) {
  std::string line = line_of(mark) > 0 ? "line " + std::to_string(line_of(mark)) + ": " : "";
  errors_.push_back(line + (path.empty() ? "" : path + ": ") + message);
}

std::string ErrorList::joined() const {
  std::string out;
  for (const auto& e : errors_) {
    if (!out.empty()) out += '\n';
    out += e;
  }
  return out;
}

MapReader::MapReader(const YAML::Node& node, std::string path, ErrorList& errors)
    : node_(node), path_(std::move(path)), errors_(errors) {
  if (!node_.IsDefined() || node_.IsNull()) return;  // absent or empty section: defaults
  if (!node_.IsMap()) {
    errors_.add(node_.Mark(), path_, "expected a mapping, got " + type_name(node_));
    return;
  }
  valid_ = true;
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar()) {
      errors_.add(kv.first.Mark(), path_, "mapping keys must be strings");
      continue;
    }
    if (!seen.insert(kv.first.Scalar()).second) {
      errors_.add(kv.first.Mark(), path_of(kv.first.Scalar()), "duplicate key");
    }
  }
}

std::string MapReader::path_of(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

std::optional<YAML::Node> MapReader::value(const std::string& key) {
  known_.insert(key);
  if (!valid_) return std::nullopt;
  for (const auto& kv : node_) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) {
      if (kv.second.IsNull()) return std::nullopt;
      return kv.second;
    }
  }
  return std::nullopt;
}

void MapReader::fail(const std::string& key, const std::string& message) {
  auto v = value(key);
  errors_.add(v ? v->Mark() : node_.Mark(), path_of(key), message);
}

void MapReader::fail_at(const YAML::Node& at, const std::string& key, const std::string& message) {
  errors_.add(at.Mark(), path_of(key), message);
}

std::optional<std::string> MapReader::scalar(const std::string& key, const char* expected) {
  auto v = value(key);
  if (!v) return std::nullopt;
  if (!v->IsScalar()) {
    fail(key, std::string("expected ") + expected + ", got " + type_name(*v));
    return std::nullopt;
  }
  return v->Scalar();
}

void MapReader::boolean(const std::string& key, bool& out) {
  auto v = value(key);
  if (!v) return;
  if (v->IsScalar() && v->Tag() != "!") {
    const std::string& s = v->Scalar();
    if (s == "true" || s == "True" || s == "TRUE") {
      out = true;
      return;
    }
    if (s == "false" || s == "False" || s == "FALSE") {
      out = false;
      return;
    }
  }
  fail(key, "expected a boolean (true or false), got " + type_name(*v));
}

void MapReader::integer(const std::string& key, std::int64_t& out, std::int64_t min,
                        std::int64_t max) {
  auto v = value(key);
  if (!v) return;
  std::int64_t n = 0;
  bool ok = false;
  if (v->IsScalar() && v->Tag() != "!") {
    const std::string& s = v->Scalar();
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    ok = !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
  }
  if (!ok) {
    fail(key, "expected an integer, got " + type_name(*v));
    return;
  }
  if (n < min || n > max) {
    fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                  std::to_string(n));
    return;
  }
  out = n;
}

void MapReader::integer(const std::string& key, int& out, int min, int max) {
  std::int64_t wide = out;
  integer(key, wide, min, max);
  out = static_cast<int>(wide);
}

void MapReader::string(const std::string& key, std::string& out) {
  auto s = scalar(key, "a string");
  if (s) out = *s;
}

void MapReader::strings(const std::string& key, std::vector<std::string>& out,
                        const std::function<std::string(const std::string&)>& check) {
  auto v = value(key);
  if (!v) return;  // absent or null: keep the default (write [] for "none")
  if (!v->IsSequence()) {
    fail(key, "expected a list of strings, got " + type_name(*v));
    return;
  }
  std::vector<std::string> items;
  bool ok = true;
  std::size_t index = 0;
  for (const auto& item : *v) {
    const std::string where = key + "[" + std::to_string(index++) + "]";
    if (!item.IsScalar()) {
      fail_at(item, where, "expected a string, got " + type_name(item));
      ok = false;
      continue;
    }
    if (check) {
      if (std::string problem = check(item.Scalar()); !problem.empty()) {
        fail_at(item, where, problem);
        ok = false;
        continue;
      }
    }
    items.push_back(item.Scalar());
  }
  if (ok) out = std::move(items);
}

void MapReader::duration(const std::string& key, std::chrono::seconds& out,
                         std::chrono::seconds min) {
  auto s = scalar(key, "a duration");
  if (!s) return;
  auto d = parse_duration(*s);
  if (!d) {
    fail(key, "invalid duration \"" + *s + "\" (use e.g. 90s, 15m, 2h, 1h30m)");
    return;
  }
  if (*d < min) {
    fail(key, "must be at least " + std::to_string(min.count()) + "s, got \"" + *s + "\"");
    return;
  }
  out = *d;
}

MapReader MapReader::section(const std::string& key) {
  auto v = value(key);
  return MapReader(v ? *v : YAML::Node(), path_of(key), errors_);
}

std::vector<std::string> MapReader::keys() const {
  std::vector<std::string> out;
  if (!valid_) return out;
  for (const auto& kv : node_) {
    if (kv.first.IsScalar()) out.push_back(kv.first.Scalar());
  }
  return out;
}

void MapReader::finish() {
  if (!valid_) return;
  for (const auto& kv : node_) {
    if (kv.first.IsScalar() && !known_.contains(kv.first.Scalar())) {
      errors_.add(kv.first.Mark(), path_of(kv.first.Scalar()), "unknown key");
    }
  }
}

}  // namespace nca::config::detail

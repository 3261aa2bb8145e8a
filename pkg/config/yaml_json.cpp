#include "config/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace nca::config {
namespace {

constexpr int kMaxDepth = 200;
constexpr std::size_t kMaxNodes = 1'000'000;  // after alias expansion

bool is_null_word(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

std::optional<bool> bool_word(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

bool all_in(std::string_view s, std::string_view alphabet) {
  return !s.empty() && s.find_first_not_of(alphabet) == std::string_view::npos;
}

// YAML 1.2 core schema integers: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+.
std::optional<nlohmann::json> as_integer(std::string_view s) {
  int base = 10;
  bool negative = false;
  std::string_view digits = s;
  if (s.starts_with("0x") && all_in(s.substr(2), "0123456789abcdefABCDEF")) {
    base = 16;
    digits = s.substr(2);
  } else if (s.starts_with("0o") && all_in(s.substr(2), "01234567")) {
    base = 8;
    digits = s.substr(2);
  } else {
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
      negative = digits[0] == '-';
      digits.remove_prefix(1);
    }
    if (!all_in(digits, "0123456789")) return std::nullopt;
  }
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  if (!negative) {
    if (value <= static_cast<std::uint64_t>(INT64_MAX)) {
      return nlohmann::json(static_cast<std::int64_t>(value));
    }
    return nlohmann::json(value);
  }
  if (value <= static_cast<std::uint64_t>(INT64_MAX)) {
    return nlohmann::json(-static_cast<std::int64_t>(value));
  }
  if (value == static_cast<std::uint64_t>(INT64_MAX) + 1) return nlohmann::json(INT64_MIN);
  return std::nullopt;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?  (inf/nan stay strings: JSON has none)
std::optional<nlohmann::json> as_float(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  std::string copy(s);
  double d = std::strtod(copy.c_str(), nullptr);
  if (!std::isfinite(d)) return std::nullopt;
  return nlohmann::json(d);
}

nlohmann::json plain_scalar(const std::string& s) {
  if (is_null_word(s)) return nullptr;
  if (auto b = bool_word(s)) return *b;
  if (auto i = as_integer(s)) return *i;
  if (auto f = as_float(s)) return *f;
  return s;
}

struct Converter {
  std::size_t nodes = 0;

  Result<nlohmann::json> convert(const YAML::Node& node, int depth) {
    if (depth > kMaxDepth) return invalid("YAML nested deeper than " + std::to_string(kMaxDepth));
    if (++nodes > kMaxNodes) {
      return invalid("YAML expands to more than " + std::to_string(kMaxNodes) + " nodes");
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return nlohmann::json(nullptr);
      case YAML::NodeType::Scalar: {
        const std::string& tag = node.Tag();
        // "!" marks a quoted scalar; an explicit !!str keeps it a string too.
        if (tag == "!" || tag == "tag:yaml.org,2002:str") return nlohmann::json(node.Scalar());
        return plain_scalar(node.Scalar());
      }
      case YAML::NodeType::Sequence: {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : node) {
          auto v = convert(item, depth + 1);
          if (!v) return v;
          out.push_back(std::move(v).value());
        }
        return out;
      }
      case YAML::NodeType::Map: {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& kv : node) {
          if (!kv.first.IsScalar()) {
            return invalid("line " + std::to_string(kv.first.Mark().line + 1) +
                           ": mapping keys must be scalars");
          }
          const std::string& key = kv.first.Scalar();
          if (out.contains(key)) {
            return invalid("line " + std::to_string(kv.first.Mark().line + 1) +
                           ": duplicate key \"" + key + "\"");
          }
          auto v = convert(kv.second, depth + 1);
          if (!v) return v;
          out[key] = std::move(v).value();
        }
        return out;
      }
    }
    return nlohmann::json(nullptr);
  }
};

Result<std::vector<YAML::Node>> load_all(std::string_view text) {
  try {
    return YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    return invalid("YAML: line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  } catch (const std::exception& e) {
    return invalid(std::string("YAML: ") + e.what());
  }
}

}  // namespace

Result<std::vector<nlohmann::json>> yaml_documents_to_json(std::string_view text) {
  auto docs = load_all(text);
  if (!docs) return docs.status();
  std::vector<nlohmann::json> out;
  Converter conv;
  try {
    for (const auto& doc : docs.value()) {
      if (doc.IsNull()) continue;
      auto v = conv.convert(doc, 0);
      if (!v) return v.status();
      out.push_back(std::move(v).value());
    }
  } catch (const std::exception& e) {
    return invalid(std::string("YAML: ") + e.what());
  }
  return out;
}

Result<nlohmann::json> yaml_to_json(std::string_view text) {
  auto docs = yaml_documents_to_json(text);
  if (!docs) return docs.status();
  if (docs->size() > 1) {
    return invalid("expected one YAML document, found " + std::to_string(docs->size()));
  }
  if (docs->empty()) return nlohmann::json(nullptr);
  return std::move(docs->front());
}

}  // namespace nca::config

// Name rules (names.h), and the Recorder and helpers of the rule table (rules.h).
#include "policy/names.h"

#include <algorithm>

#include "policy/rules.h"

namespace nca::policy {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// RFC 1123 label: 1–63 of [a-z0-9-], starting and ending alphanumeric.
bool is_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (!is_lower_alnum(label.front()) || !is_lower_alnum(label.back())) return false;
  return std::all_of(label.begin(), label.end(),
                     [](char c) { return is_lower_alnum(c) || c == '-'; });
}

bool is_dotted_labels(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = name.find('.', start);
    std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!is_label(label)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

// Kubernetes validates Node names as DNS-1123 subdomains (lower case, at most 253).
bool is_valid_node_name(std::string_view name) { return is_dotted_labels(name); }

std::string normalize_hostname(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

bool is_valid_hostname(std::string_view normalized) { return is_dotted_labels(normalized); }

namespace detail {

void Recorder::pass(std::string detail) {
  trace_.push_back(Check{std::string(rule_), true, std::move(detail)});
}

void Recorder::fail(std::string_view reason, std::string message) {
  trace_.push_back(Check{std::string(rule_), false, std::string(reason) + ": " + message});
  if (!first_reason_) {
    first_reason_ = reason;
    first_message_ = std::move(message);
  }
}

std::string join(std::span<const std::string> items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::string describe(const inventory::Machine& m) {
  std::string out(inventory::source_name(m.source));
  out += ' ';
  if (!m.namespace_.empty()) out += m.namespace_ + "/";
  out += m.name;
  return out;
}

}  // namespace detail
}  // namespace nca::policy

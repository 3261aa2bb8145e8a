// Name rules shared by the policy and by whoever validates names for it (config,
// inventory): Node names, host names in SANs. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace nca::policy {

// A Kubernetes Node name: a DNS-1123 subdomain (lower-case letters, digits, '-', '.',
// labels 1–63 starting and ending alphanumeric, at most 253 in all).
bool is_valid_node_name(std::string_view name);

// Host name for comparison: ASCII lower-cased, one trailing dot removed.
std::string normalize_hostname(std::string_view name);

// A normalized host name made of RFC 1123 labels; wildcards and empty labels are not.
bool is_valid_hostname(std::string_view normalized);

}  // namespace nca::policy

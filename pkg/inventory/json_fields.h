// Helpers the inventory decoders share to read JSON field by field without throwing, and
// to normalise what they read (hostnames lower-cased without a trailing dot, addresses
// canonical and de-duplicated). Internal to pkg/inventory. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "inventory/decoded.h"

namespace nca::inventory::detail {

// The member `key` of `object` if `object` is an object holding it; nullptr otherwise.
const nlohmann::json* member(const nlohmann::json& object, std::string_view key);

// What a field holds, for messages: "a string", "a number", …
std::string_view type_name(const nlohmann::json& value);

// Reads a string member. Absent (or null) → nullopt and no error; present but not a
// string → nullopt and `error` set to "KEY: expected a string, got a number".
std::optional<std::string> string_member(const nlohmann::json& object, std::string_view key,
                                         std::string* error);

// "Worker-0.Example.COM." → "worker-0.example.com"; empty stays empty.
std::string normalize_hostname(std::string_view name);

// Appends a normalised hostname unless empty or already present.
void add_hostname(Machine& machine, std::string_view name);

// Parses `text` as an IP literal and appends its canonical form unless already present.
// Returns false (nothing appended) when `text` is not an IP literal.
bool add_address(Machine& machine, std::string_view text);

// Sets node_name to fold_node_name(name), keeping `name` in node_names_as_written when
// the two differ.
void set_node_name(Machine& machine, std::string_view name);

// Appends fold_node_name(name) to node_name / other_node_names unless empty or present
// (so "Worker-0." and "worker-0" are one candidate), keeping the source's spelling as
// set_node_name does.
void add_node_name_candidate(Machine& machine, std::string_view name);

// Reads metadata {name, namespace, creationTimestamp, deletionTimestamp} into `machine`.
// Returns a skip reason ("metadata.name: missing") or an empty string on success.
// `deleting` is set when metadata.deletionTimestamp is present.
std::string read_metadata(const nlohmann::json& object, Machine& machine, bool* deleting);

// Lenient form: only an unreadable name is a skip reason; other unreadable fields are
// left unset and described in `warnings`. `deletion_unreadable` is set when a
// deletionTimestamp is present but not a time (the caller degrades the machine).
std::string read_metadata_lenient(const nlohmann::json& object, Machine& machine, bool* deleting,
                                  bool* deletion_unreadable, std::vector<std::string>& warnings);

}  // namespace nca::inventory::detail

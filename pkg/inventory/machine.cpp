#include "inventory/machine.h"

#include <algorithm>

namespace nca::inventory {

std::string_view source_name(Source source) {
  switch (source) {
    case Source::kNode:
      return "Node";
    case Source::kOpenShiftMachine:
      return "OpenShiftMachine";
    case Source::kClusterApiMachine:
      return "ClusterApiMachine";
    case Source::kBareMetalHost:
      return "BareMetalHost";
    case Source::kStatic:
      return "Static";
  }
  return "Unknown";
}

namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view without_root_dot(std::string_view name) {
  if (name.ends_with('.')) name.remove_suffix(1);
  return name;
}

}  // namespace

std::string fold_node_name(std::string_view name) {
  std::string out(without_root_dot(name));
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

bool folds_to(std::string_view machine_name, std::string_view node_name) {
  machine_name = without_root_dot(machine_name);
  return machine_name.size() == node_name.size() &&
         std::equal(machine_name.begin(), machine_name.end(), node_name.begin(),
                    [](char m, char n) { return ascii_lower(m) == n; });
}

bool maps_to_node(const Machine& m, std::string_view node_name) {
  if (node_name.empty()) return false;
  return folds_to(m.node_name, node_name) ||
         std::any_of(m.other_node_names.begin(), m.other_node_names.end(),
                     [&](const std::string& other) { return folds_to(other, node_name); });
}

std::vector<const Machine*> Snapshot::machines_for_node(std::string_view node_name) const {
  std::vector<const Machine*> out;
  if (node_name.empty()) return out;
  for (const Machine& m : machines) {
    if (maps_to_node(m, node_name)) out.push_back(&m);
  }
  return out;
}

const Machine* Snapshot::node(std::string_view node_name) const {
  if (node_name.empty()) return nullptr;
  if (auto it = node_index.find(std::string(node_name)); it != node_index.end() &&
                                                         it->second < nodes.size() &&
                                                         nodes[it->second].node_name == node_name) {
    return &nodes[it->second];
  }
  if (node_index.size() == nodes.size()) return nullptr;  // the index is complete
  for (const Machine& n : nodes) {
    if (n.node_name == node_name) return &n;
  }
  return nullptr;
}

}  // namespace nca::inventory

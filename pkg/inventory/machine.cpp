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

std::vector<const Machine*> Snapshot::machines_for_node(std::string_view node_name) const {
  std::vector<const Machine*> out;
  if (node_name.empty()) return out;
  for (const Machine& m : machines) {
    if (m.node_name == node_name || std::find(m.other_node_names.begin(), m.other_node_names.end(),
                                              node_name) != m.other_node_names.end()) {
      out.push_back(&m);
    }
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

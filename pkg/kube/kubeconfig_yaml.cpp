// The one place pkg/kube uses yaml-cpp: kubeconfig files are YAML. Converted to JSON
// immediately so the rest of the loader is format-independent.
#include <yaml-cpp/yaml.h>

#include "kube/kubeconfig.h"

namespace nca::kube {

namespace {

nlohmann::json to_json(const YAML::Node& node, int depth) {
  if (depth > 64) throw std::runtime_error("nesting too deep");
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return node.Scalar();
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(to_json(item, depth + 1));
      return out;
    }
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = to_json(kv.second, depth + 1);
      return out;
    }
  }
  return nullptr;
}

}  // namespace

Result<nlohmann::json> kubeconfig_yaml_to_json(const std::string& text) {
  try {
    return to_json(YAML::Load(text), 0);
  } catch (const std::exception& e) {
    return invalid(std::string("kubeconfig is not valid YAML: ") + e.what());
  }
}

}  // namespace nca::kube

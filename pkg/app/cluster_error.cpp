#include "app/cluster_error.h"

namespace nca::app {

Status cluster_error(const Status& status, const std::string& what) {
  std::string message = "cannot read " + what + ": " + status.message();
  switch (status.code()) {
    case Code::kUnavailable:
    case Code::kTimeout:
      message = "cannot reach the API server while reading " + what + ": " + status.message();
      break;
    case Code::kUnauthorized:
      message += " (check the kubeconfig's credentials)";
      break;
    case Code::kForbidden:
      message +=
          " (explain needs the approver's read rights: get/list CSRs, Nodes and "
          "machine APIs, get ConfigMaps in the --config-map namespace)";
      break;
    default:
      break;
  }
  return {status.code(), message};
}

}  // namespace nca::app

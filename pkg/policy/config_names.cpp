#include "policy/config.h"

namespace nca::policy {

std::string_view trust_node_addresses_name(TrustNodeAddresses t) {
  switch (t) {
    case TrustNodeAddresses::kAuto:
      return "auto";
    case TrustNodeAddresses::kAlways:
      return "always";
    case TrustNodeAddresses::kNever:
      return "never";
  }
  return "auto";
}

std::string_view failure_action_name(FailureAction a) {
  return a == FailureAction::kDeny ? "deny" : "pending";
}

}  // namespace nca::policy

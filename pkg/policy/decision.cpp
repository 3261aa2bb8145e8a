#include "policy/decision.h"

namespace nca::policy {

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kApprove:
      return "approve";
    case Outcome::kDeny:
      return "deny";
    case Outcome::kPending:
      return "pending";
    case Outcome::kIgnore:
      return "ignore";
  }
  return "pending";
}

std::string_view kind_name(CsrKind kind) {
  switch (kind) {
    case CsrKind::kServing:
      return "serving";
    case CsrKind::kClientBootstrap:
      return "client-bootstrap";
    case CsrKind::kClientRenewal:
      return "client-renewal";
    case CsrKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace nca::policy

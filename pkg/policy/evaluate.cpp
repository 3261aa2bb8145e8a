#include "policy/evaluate.h"

#include "policy/reasons.h"

namespace nca::policy {

// Stub until the rule table lands: never approves.
Decision evaluate(const EvaluationInput& input, const PolicyConfig& config) {
  Decision d;
  d.outcome = Outcome::kPending;
  d.reason = std::string(reason::kCsrUnparseable);
  d.message = "policy not implemented yet";
  d.dry_run = config.dry_run;
  (void)input;
  return d;
}

}  // namespace nca::policy

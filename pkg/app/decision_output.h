// Renders a policy::Decision for people (a check-by-check trace) and for programs (one
// JSON object: outcome, reason, message, kind, node, checks[{name, ok, detail}]).
// Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "policy/decision.h"

namespace nca::app {

nlohmann::json decision_to_json(const policy::Decision& decision);

//   outcome: pending
//   reason:  SanIpNotInInventory
//   message: …
//   kind:    serving
//   node:    worker-0
//   checks:
//     ✓ request.signature-valid  the request's self-signature verifies
//     ✗ serving.san-ip-matches-machine  192.0.2.11 is not an address of …
//   evidence per SAN:
//     DNS:worker-0     inventory: OpenShiftMachine openshift-machine-api/worker-0
//     IP:192.0.2.11    vouched by nothing: not an address of node worker-0 …
void write_decision_text(const policy::Decision& decision, std::ostream& out);
// Just the "evidence per SAN" block (nothing for a decision without SANs).
void write_evidence_text(const policy::Decision& decision, std::ostream& out);

}  // namespace nca::app

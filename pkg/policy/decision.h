// Decision: what the policy says about one CSR, with the reason and the trace of checks
// that led there. Plain values.
#pragma once

#include <string>
#include <vector>

namespace nca::policy {

enum class Outcome {
  kApprove,  // every check passed: write Approved
  kDeny,     // a check failed and the config says deny: write Denied
  kPending,  // not approved; left for a human or a later re-evaluation
  kIgnore,   // not ours: another signer, or already decided
};

std::string_view outcome_name(Outcome outcome);  // "approve" | "deny" | "pending" | "ignore"

enum class CsrKind { kUnknown, kServing, kClientBootstrap, kClientRenewal };
std::string_view kind_name(
    CsrKind kind);  // "serving" | "client-bootstrap" | "client-renewal" | "unknown"

struct Check {
  std::string name;  // stable rule name, e.g. "serving.san-ip-matches-machine"
  bool ok = false;
  std::string detail;  // what was compared, for a human
};

// Which source vouched for one SAN of a serving CSR, or why none did (for `explain`).
struct SanEvidence {
  std::string san;     // as the CSR has it
  std::string type;    // "DNS" | "IP"
  std::string source;  // "inventory" | "node" | "dns" | "ptr" | "live-certificate"; empty: none
  std::string detail;  // "OpenShiftMachine ns/w0", "192.0.2.10 (TTL 42s)", or why not
};

struct Decision {
  Outcome outcome = Outcome::kPending;
  CsrKind kind = CsrKind::kUnknown;
  std::string reason;     // stable machine-readable code, CamelCase, e.g. "SanIpNotInInventory"
  std::string message;    // one human sentence
  std::string node_name;  // the node the CSR claims, when known
  std::vector<Check> checks;
  std::vector<SanEvidence> evidence;  // serving CSRs: per SAN, in the order checked
  bool dry_run = false;               // outcome is what would be done; nothing is written
};

}  // namespace nca::policy

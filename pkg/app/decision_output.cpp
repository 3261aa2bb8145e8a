#include "app/decision_output.h"

#include <algorithm>

namespace nca::app {

nlohmann::json decision_to_json(const policy::Decision& decision) {
  nlohmann::json checks = nlohmann::json::array();
  for (const policy::Check& c : decision.checks) {
    checks.push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}});
  }
  nlohmann::json evidence = nlohmann::json::array();
  for (const policy::SanEvidence& e : decision.evidence) {
    evidence.push_back(
        {{"san", e.san}, {"type", e.type}, {"source", e.source}, {"detail", e.detail}});
  }
  return {{"outcome", std::string(policy::outcome_name(decision.outcome))},
          {"reason", decision.reason},
          {"message", decision.message},
          {"kind", std::string(policy::kind_name(decision.kind))},
          {"node", decision.node_name},
          {"checks", std::move(checks)},
          {"evidence", std::move(evidence)}};
}

void write_decision_text(const policy::Decision& decision, std::ostream& out) {
  out << "outcome: " << policy::outcome_name(decision.outcome);
  if (decision.dry_run) out << " (dry run: nothing would be written)";
  out << "\n";
  out << "reason:  " << decision.reason << "\n";
  out << "message: " << decision.message << "\n";
  out << "kind:    " << policy::kind_name(decision.kind) << "\n";
  if (!decision.node_name.empty()) out << "node:    " << decision.node_name << "\n";
  if (decision.checks.empty()) {
    out << "checks:  none ran\n";
    return;
  }
  std::size_t width = 0;
  for (const policy::Check& c : decision.checks) width = std::max(width, c.name.size());
  out << "checks:\n";
  for (const policy::Check& c : decision.checks) {
    out << "  " << (c.ok ? "\u2713" : "\u2717") << " " << c.name;
    if (!c.detail.empty()) out << std::string(width - c.name.size() + 2, ' ') << c.detail;
    out << "\n";
  }
  write_evidence_text(decision, out);
}

// Per SAN of a serving CSR: which source vouched for it, or why none did.
void write_evidence_text(const policy::Decision& decision, std::ostream& out) {
  if (decision.evidence.empty()) return;
  std::size_t width = 0;
  for (const auto& e : decision.evidence) width = std::max(width, e.type.size() + e.san.size() + 1);
  out << "evidence per SAN:\n";
  for (const auto& e : decision.evidence) {
    const std::string san = e.type + ":" + e.san;
    out << "  " << san << std::string(width - san.size() + 2, ' ')
        << (e.source.empty() ? "vouched by nothing: " : e.source + ": ") << e.detail << "\n";
  }
}

}  // namespace nca::app

#include "app/decision_output.h"

#include <algorithm>

namespace nca::app {

nlohmann::json decision_to_json(const policy::Decision& decision) {
  nlohmann::json checks = nlohmann::json::array();
  for (const policy::Check& c : decision.checks) {
    checks.push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}});
  }
  return {{"outcome", std::string(policy::outcome_name(decision.outcome))},
          {"reason", decision.reason},
          {"message", decision.message},
          {"kind", std::string(policy::kind_name(decision.kind))},
          {"node", decision.node_name},
          {"checks", std::move(checks)}};
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
}

}  // namespace nca::app

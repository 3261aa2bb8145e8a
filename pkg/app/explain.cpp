#include "app/explain.h"

#include "app/decision_output.h"
#include "app/explain_inputs.h"
#include "app/explain_live.h"
#include "approver/csr_list.h"
#include "approver/decide.h"
#include "policy/reasons.h"

namespace nca::app {

namespace {

// The decision as the daemon takes it: approver::decide over the CSR and the other CSRs
// loaded. Without the controller's config, never approve.
policy::Decision decide(const ExplainInputs& in, WallTime now) {
  std::vector<approver::CsrPtr> csrs;
  bool self_listed = false;
  for (const kube::CertificateSigningRequest& other : in.other_csrs) {
    self_listed = self_listed || other.metadata.name == in.csr.metadata.name;
    csrs.push_back(std::make_shared<const kube::CertificateSigningRequest>(
        other.metadata.name == in.csr.metadata.name ? in.csr : other));
  }
  if (!self_listed) csrs.push_back(std::make_shared<const kube::CertificateSigningRequest>(in.csr));
  const approver::CsrList list(std::move(csrs));
  policy::Decision d = approver::decide({.csr = in.csr,
                                         .csrs = list,
                                         .inventory = in.snapshot,
                                         .config = in.config,
                                         .now = now,
                                         .resolver = nullptr});
  if (!in.config_error.empty() && d.outcome != policy::Outcome::kIgnore) {
    const std::string would = std::string(policy::outcome_name(d.outcome)) + " (" + d.reason + ")";
    d.outcome = policy::Outcome::kPending;
    d.reason = std::string(policy::reason::kConfigUnavailable);
    d.message = "the controller's config could not be read, so this is not what it would do: " +
                in.config_error + "; with " + in.config_source + " the outcome would be " + would;
    d.checks.push_back({std::string(kConfigSourceCheck), false, d.reason + ": " + in.config_error});
  }
  return d;
}

std::string join(const std::vector<std::string>& items) {
  if (items.empty()) return "none";
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Evaluates what either mode loaded and prints the decision and its sources.
int evaluate_and_print(const ExplainOptions& options, Result<ExplainInputs> inputs, WallTime now,
                       std::ostream& out, std::ostream& err) {
  if (!inputs) {
    err << "node-csr-approver explain: " << inputs.status().message() << "\n";
    return kExitUsage;
  }
  for (const std::string& note : inputs->notes) err << "note: " << note << "\n";

  // A request that does not parse is not an unusable input: it is a policy failure with
  // its own reason code, and explain shows it like any other decision.
  const policy::Decision decision = decide(*inputs, options.now.value_or(now));
  if (options.output == OutputFormat::kJson) {
    nlohmann::json j = decision_to_json(decision);
    j["sources"] = {{"config", inputs->config_source},
                    {"configError", inputs->config_error},
                    {"inventory", inputs->inventory_sources},
                    {"csrs", inputs->other_csrs.size()}};
    out << j.dump() << "\n";
  } else {
    write_decision_text(decision, out);
    out << "sources:\n";
    out << "  config:    " << inputs->config_source;
    if (!inputs->config_error.empty()) out << " (UNUSABLE: " << inputs->config_error << ")";
    out << "\n";
    out << "  inventory: " << join(inputs->inventory_sources) << "\n";
    out << "  csrs:      " << inputs->other_csrs.size() << " listed\n";
  }
  return inputs->config_error.empty() ? 0 : kExitConfigUnavailable;
}

}  // namespace

int run_explain(const ExplainOptions& options, WallTime now, std::ostream& out, std::ostream& err) {
  if (options.live()) {
    Result<std::shared_ptr<kube::ApiClient>> client = live_client(options);
    if (!client) {
      err << "node-csr-approver explain: " << client.status().message() << "\n";
      return kExitUsage;
    }
    return run_live_explain(options, **client, now, out, err);
  }
  return evaluate_and_print(options, load_explain_inputs(options), now, out, err);
}

int run_live_explain(const ExplainOptions& options, kube::ApiClient& client, WallTime now,
                     std::ostream& out, std::ostream& err) {
  return evaluate_and_print(options, load_live_inputs(options, client), now, out, err);
}

int explain_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Result<ExplainOptions> options = parse_explain_args(args);
  if (!options) {
    err << "node-csr-approver explain: " << options.status().message() << "\n" << explain_usage();
    return kExitUsage;
  }
  if (options->help) {
    out << explain_usage();
    return 0;
  }
  return run_explain(*options, std::chrono::system_clock::now(), out, err);
}

}  // namespace nca::app

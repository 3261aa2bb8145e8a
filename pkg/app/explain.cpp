#include "app/explain.h"

#include "app/decision_output.h"
#include "app/explain_inputs.h"
#include "app/explain_live.h"
#include "policy/evaluate.h"
#include "x509/csr_parser.h"

namespace nca::app {

namespace {

// Evaluates what either mode loaded and prints the decision.
int evaluate_and_print(const ExplainOptions& options, Result<ExplainInputs> inputs, WallTime now,
                       std::ostream& out, std::ostream& err) {
  if (!inputs) {
    err << "node-csr-approver explain: " << inputs.status().message() << "\n";
    return kExitUsage;
  }
  for (const std::string& note : inputs->notes) err << "note: " << note << "\n";

  // A request that does not parse is not an unusable input: it is a policy failure with
  // its own reason code, and explain shows it like any other decision.
  const Result<x509::ParsedCsr> parsed = x509::parse_csr_pem(inputs->csr.request_pem);
  policy::EvaluationInput input{
      .csr = inputs->csr,
      .parsed = parsed,
      .inventory = inputs->snapshot,
      .now = options.now.value_or(now),
      // Offline, this CSR is the only one explain knows; count it when it is pending.
      .pending_bootstrap_csrs =
          inputs->pending_bootstrap_csrs.value_or(inputs->csr.is_pending() ? 1 : 0),
      .resolver = nullptr,
  };
  const policy::Decision decision = policy::evaluate(input, inputs->config);
  if (options.output == OutputFormat::kJson) {
    out << decision_to_json(decision).dump() << "\n";
  } else {
    write_decision_text(decision, out);
  }
  return 0;
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

#include "app/explain_options.h"

#include "base/time_format.h"

namespace nca::app {

std::string_view explain_usage() {
  return "usage: node-csr-approver explain --csr FILE [--inventory FILE] [--nodes FILE]\n"
         "                                 [--config FILE] [--now RFC3339] "
         "[--output text|json]\n"
         "\n"
         "Evaluates one CertificateSigningRequest offline and prints every check.\n"
         "  --csr FILE        the CSR object, YAML or JSON (kubectl get csr NAME -o yaml)\n"
         "  --inventory FILE  static inventory (machines: [...]), or Machine/BareMetalHost\n"
         "                    objects or lists as kubectl prints them\n"
         "  --nodes FILE      existing Nodes: a NodeList, a List of Nodes, or one Node\n"
         "  --config FILE     policy config YAML (default: the built-in safe defaults)\n"
         "  --now RFC3339     evaluation time (default: now)\n"
         "  --output FORMAT   text (default) or json\n"
         "Exit status: 0 whatever the decision; 2 when an input cannot be used.\n";
}

Result<ExplainOptions> parse_explain_args(const std::vector<std::string>& args) {
  ExplainOptions opts;
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> value;
    if (flag == "-h" || flag == "--help") {
      opts.help = true;
      continue;
    }
    if (auto eq = flag.find('='); flag.starts_with("--") && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    std::string* target = nullptr;
    if (flag == "--csr") {
      target = &opts.csr_file;
    } else if (flag == "--inventory") {
      target = &opts.inventory_file;
    } else if (flag == "--nodes") {
      target = &opts.nodes_file;
    } else if (flag == "--config") {
      target = &opts.config_file;
    } else if (flag != "--now" && flag != "--output") {
      return invalid("unknown argument \"" + args[i] + "\"");
    }
    for (const std::string& s : seen) {
      if (s == flag) return invalid(flag + " given more than once");
    }
    seen.push_back(flag);
    if (!value) {
      if (i + 1 >= args.size()) return invalid(flag + " needs a value");
      value = args[++i];
    }
    if (value->empty()) return invalid(flag + " needs a non-empty value");
    if (target != nullptr) {
      *target = *value;
    } else if (flag == "--now") {
      opts.now = parse_rfc3339(*value);
      if (!opts.now) return invalid("--now: \"" + *value + "\" is not an RFC 3339 time");
    } else if (*value == "text") {
      opts.output = OutputFormat::kText;
    } else if (*value == "json") {
      opts.output = OutputFormat::kJson;
    } else {
      return invalid("--output: \"" + *value + "\" is not text or json");
    }
  }
  if (!opts.help && opts.csr_file.empty()) return invalid("--csr FILE is required");
  return opts;
}

}  // namespace nca::app

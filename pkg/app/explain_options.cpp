#include "app/explain_options.h"

#include "base/time_format.h"

namespace nca::app {

std::string_view explain_usage() {
  return "usage: node-csr-approver explain --csr FILE [--inventory FILE] [--nodes FILE]\n"
         "                                 [--config FILE] [--now RFC3339] "
         "[--output text|json]\n"
         "       node-csr-approver explain --name CSR [--kubeconfig FILE] [--context NAME]\n"
         "                                 [--config FILE] [--config-map NS/NAME | "
         "--no-config-map]\n"
         "                                 [--inventory FILE]\n"
         "                                 [--now RFC3339] [--output text|json]\n"
         "\n"
         "Evaluates one CertificateSigningRequest and prints every check: offline from\n"
         "files (--csr), or live (--name) from the cluster with its Nodes, machine APIs\n"
         "and pending CSRs, as the controller sees them. Nothing is written.\n"
         "  --csr FILE        the CSR object, YAML or JSON (kubectl get csr NAME -o yaml)\n"
         "  --name CSR        the CSR's name in the cluster (live mode)\n"
         "  --kubeconfig FILE live: kubeconfig (default: in-cluster configuration)\n"
         "  --context NAME    live: kubeconfig context (default: current-context)\n"
         "  --config-map NS/NAME  live: ConfigMap with config.yaml (policy, replaces\n"
         "                    --config) and inventory.yaml (static inventory, replaces\n"
         "                    --inventory), as the controller reads it (default: the\n"
         "                    Deployment's, node-csr-approver/node-csr-approver-config)\n"
         "  --no-config-map   live: read no ConfigMap; --config/--inventory or defaults\n"
         "  --inventory FILE  static inventory (machines: [...]); offline also Machine/\n"
         "                    BareMetalHost objects or lists as kubectl prints them\n"
         "  --nodes FILE      offline: existing Nodes (a NodeList, a List or one Node)\n"
         "  --config FILE     policy config YAML (default: the built-in safe defaults)\n"
         "  --now RFC3339     evaluation time (default: now)\n"
         "  --output FORMAT   text (default) or json\n"
         "The output names the config and inventory sources used.\n"
         "Exit status: 0 whatever the decision; 2 when an input cannot be used (a file,\n"
         "the cluster, or a CSR that does not exist); 3 when the controller's config\n"
         "could not be read (live: the ConfigMap is unreadable, or the default one is\n"
         "absent): the answer is then never approve (reason ConfigUnavailable).\n";
}

namespace {

bool is_namespace_slash_name(const std::string& s) {
  const auto slash = s.find('/');
  return slash != std::string::npos && slash != 0 && slash + 1 != s.size() &&
         s.find('/', slash + 1) == std::string::npos;
}

}  // namespace

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
    if (flag == "--no-config-map") {
      if (opts.no_config_map) return invalid(flag + " given more than once");
      opts.no_config_map = true;
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
    } else if (flag == "--name") {
      target = &opts.name;
    } else if (flag == "--kubeconfig") {
      target = &opts.kubeconfig;
    } else if (flag == "--context") {
      target = &opts.context;
    } else if (flag == "--config-map") {
      target = &opts.config_map;
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
  if (opts.help) return opts;
  if (!opts.csr_file.empty() && !opts.name.empty()) {
    return invalid("--csr (a file, offline) and --name (a CSR in the cluster) exclude each other");
  }
  if (opts.csr_file.empty() && opts.name.empty()) {
    return invalid("--csr FILE or --name CSR is required");
  }
  if (opts.live()) {
    if (!opts.nodes_file.empty()) {
      return invalid("--nodes is for offline mode; with --name the cluster's Nodes are used");
    }
    if (!opts.config_map.empty() && opts.no_config_map) {
      return invalid("--config-map and --no-config-map exclude each other");
    }
    if (!opts.config_map.empty() && !is_namespace_slash_name(opts.config_map)) {
      return invalid("--config-map must be NAMESPACE/NAME, got \"" + opts.config_map + "\"");
    }
  } else {
    for (const auto& [flag, value] :
         {std::pair<const char*, const std::string*>{"--kubeconfig", &opts.kubeconfig},
          {"--context", &opts.context},
          {"--config-map", &opts.config_map}}) {
      if (!value->empty()) return invalid(std::string(flag) + " needs --name (live mode)");
    }
    if (opts.no_config_map) return invalid("--no-config-map needs --name (live mode)");
  }
  return opts;
}

}  // namespace nca::app

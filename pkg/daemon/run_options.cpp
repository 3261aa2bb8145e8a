#include "daemon/run_options.h"

#include <cctype>
#include <cstdlib>
#include <map>

namespace nca::daemon {
namespace {

enum class Kind { kString, kBool, kInt, kDouble };

struct Flag {
  Kind kind;
  std::function<void(RunOptions&, const std::string&)> set;
  std::string help;
};

std::string env_name(const std::string& flag) {
  std::string out = "NCA_";
  for (char c : flag) out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
  return out;
}

Result<bool> parse_bool(const std::string& v) {
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  return invalid("want true or false, got \"" + v + "\"");
}

Result<long long> parse_int(const std::string& v) {
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno != 0) return invalid("want an integer, got \"" + v + "\"");
  return n;
}

const std::map<std::string, Flag>& flags() {
  static const std::map<std::string, Flag> kFlags = {
      {"kubeconfig",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.kubeconfig = v; },
        "kubeconfig file (default: in-cluster configuration)"}},
      {"context",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.context = v; },
        "kubeconfig context (default: current-context)"}},
      {"config",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.config_file = v; },
        "policy configuration YAML file (docs/policy.md)"}},
      {"config-map",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.config_map = v; },
        "NAMESPACE/NAME of a ConfigMap with config.yaml (policy) and optionally inventory.yaml "
        "(static inventory); watched and hot-reloaded"}},
      {"inventory",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.inventory_file = v; },
        "static inventory YAML file (for UPI clusters)"}},
      {"namespace",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.namespace_ = v; },
        "namespace of the leader election Lease (default node-csr-approver)"}},
      {"leader-elect",
       {Kind::kBool, [](RunOptions& o, const std::string& v) { o.leader_elect = v == "true"; },
        "elect a leader among replicas; only the leader writes (default true)"}},
      {"lease-name",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.lease_name = v; },
        "name of the Lease (default node-csr-approver)"}},
      {"identity",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.identity = v; },
        "leader election identity (default: hostname_pid)"}},
      {"workers",
       {Kind::kInt, [](RunOptions& o, const std::string& v) { o.workers = std::stoi(v); },
        "concurrent reconcile workers (default 2)"}},
      {"metrics-bind-address",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.metrics_bind_address = v; },
        "HOST:PORT for /metrics (default :9090)"}},
      {"metrics-secure",
       {Kind::kBool, [](RunOptions& o, const std::string& v) { o.metrics_secure = v == "true"; },
        "serve /metrics over HTTPS to scrapers whose token may get the /metrics URL "
        "(TokenReview + SubjectAccessReview); false: plain HTTP, no auth (default true)"}},
      {"metrics-cert-dir",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.metrics_cert_dir = v; },
        "directory with tls.crt and tls.key for /metrics (default: a self-signed "
        "certificate made at start)"}},
      {"health-bind-address",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.health_bind_address = v; },
        "HOST:PORT for /healthz and /readyz (default :8081)"}},
      {"dry-run",
       {Kind::kBool, [](RunOptions& o, const std::string& v) { o.dry_run = v == "true"; },
        "record would-be decisions only; write nothing (default false)"}},
      {"log-level",
       {Kind::kString, [](RunOptions& o, const std::string& v) { o.log_level = v; },
        "debug, info, warn or error (default info)"}},
      {"resync-seconds",
       {Kind::kInt, [](RunOptions& o, const std::string& v) { o.resync_seconds = std::stoi(v); },
        "re-evaluate pending CSRs this often (default 300)"}},
      {"discovery-seconds",
       {Kind::kInt, [](RunOptions& o, const std::string& v) { o.discovery_seconds = std::stoi(v); },
        "re-check which inventory APIs exist this often (default 60)"}},
      {"kube-api-qps",
       {Kind::kDouble, [](RunOptions& o, const std::string& v) { o.qps = std::stod(v); },
        "client-side request rate limit; 0: none, the API server's Priority and Fairness limits "
        "(default 0)"}},
      {"kube-api-burst",
       {Kind::kInt, [](RunOptions& o, const std::string& v) { o.burst = std::stoi(v); },
        "client-side burst when --kube-api-qps is set (default 100)"}},
  };
  return kFlags;
}

Status apply(RunOptions& o, const std::string& name, const Flag& flag, std::string value,
             const std::string& origin) {
  switch (flag.kind) {
    case Kind::kBool: {
      auto b = parse_bool(value);
      if (!b) return b.status().annotate(origin);
      value = *b ? "true" : "false";
      break;
    }
    case Kind::kInt: {
      auto n = parse_int(value);
      if (!n) return n.status().annotate(origin);
      if (*n < 0 || *n > 1'000'000) return invalid(origin + ": out of range");
      break;
    }
    case Kind::kDouble: {
      char* end = nullptr;
      double d = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(d >= 0) || d > 1e9) {
        return invalid(origin + ": want a number >= 0");
      }
      break;
    }
    case Kind::kString:
      break;
  }
  (void)name;
  flag.set(o, value);
  return Status::ok();
}

Status validate(const RunOptions& o) {
  if (o.workers < 1) return invalid("--workers must be at least 1");
  if (o.resync_seconds < 1) return invalid("--resync-seconds must be at least 1");
  if (o.discovery_seconds < 1) return invalid("--discovery-seconds must be at least 1");
  if (!o.config_map.empty()) {
    auto slash = o.config_map.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == o.config_map.size() ||
        o.config_map.find('/', slash + 1) != std::string::npos) {
      return invalid("--config-map must be NAMESPACE/NAME, got \"" + o.config_map + "\"");
    }
  }
  if (o.leader_elect && (o.namespace_.empty() || o.lease_name.empty())) {
    return invalid("--leader-elect needs --namespace and --lease-name");
  }
  const std::string levels[] = {"debug", "info", "warn", "error"};
  bool known = false;
  for (const auto& l : levels) known = known || l == o.log_level;
  if (!known) return invalid("--log-level must be debug, info, warn or error");
  return Status::ok();
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::string run_usage() {
  std::string out =
      "usage: node-csr-approver run [flags]\n\n"
      "Approves exactly the legitimate kubelet CSRs. Every flag can also be set as\n"
      "NCA_<FLAG> in the environment (--dry-run: NCA_DRY_RUN); flags win.\n\nflags:\n";
  for (const auto& [name, flag] : flags()) {
    out += "  --" + name + (flag.kind == Kind::kBool ? "[=BOOL]" : "=VALUE") + "\n      " +
           flag.help + "\n";
  }
  return out;
}

Result<RunOptions> parse_run_options(const std::vector<std::string>& args, const EnvLookup& env) {
  RunOptions o;
  for (const auto& [name, flag] : flags()) {
    if (auto v = env(env_name(name))) {
      Status st = apply(o, name, flag, *v, "environment " + env_name(name));
      if (!st.is_ok()) return st;
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") return Status(Code::kCancelled, run_usage());
    if (arg.rfind("--", 0) != 0) return invalid("unexpected argument \"" + arg + "\"");
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto it = flags().find(name);
    if (it == flags().end()) return invalid("unknown flag --" + name + " (see run --help)");
    if (!value) {
      if (it->second.kind == Kind::kBool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return invalid("flag --" + name + " needs a value");
      }
    }
    Status st = apply(o, name, it->second, *value, "flag --" + name);
    if (!st.is_ok()) return st;
  }
  Status st = validate(o);
  if (!st.is_ok()) return st;
  return o;
}

}  // namespace nca::daemon

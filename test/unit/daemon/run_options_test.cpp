#include "daemon/run_options.h"

#include <catch2/catch.hpp>
#include <map>

using nca::daemon::parse_run_options;
using nca::daemon::RunOptions;
using Args = std::vector<std::string>;

namespace {

nca::daemon::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const nca::daemon::EnvLookup kNoEnv = env_of({});

}  // namespace

TEST_CASE("run options: defaults") {
  auto o = parse_run_options({}, kNoEnv);
  REQUIRE(o);
  CHECK(o->kubeconfig.empty());
  CHECK(o->config_map.empty());
  CHECK(o->namespace_ == "node-csr-approver");
  CHECK(o->leader_elect);
  CHECK(o->lease_name == "node-csr-approver");
  CHECK(o->workers == 2);
  CHECK(o->metrics_bind_address == ":9090");
  CHECK(o->health_bind_address == ":8081");
  CHECK(o->metrics_secure);  // secure /metrics unless asked otherwise
  CHECK(o->metrics_cert_dir.empty());
  CHECK_FALSE(o->dry_run);
  CHECK(o->log_level == "info");
  CHECK(o->resync_seconds == 300);
  CHECK(o->discovery_seconds == 60);
  CHECK(o->qps == 0);  // no client-side limit
  CHECK(o->burst == 100);
}

TEST_CASE("run options: every kind of flag, both spellings") {
  auto o = parse_run_options({"--kubeconfig",
                              "/k.yaml",
                              "--context=ctx",
                              "--config",
                              "/p.yaml",
                              "--config-map=ns/cfg",
                              "--inventory",
                              "/i.yaml",
                              "--namespace",
                              "sys",
                              "--leader-elect=false",
                              "--lease-name",
                              "lease",
                              "--identity=me",
                              "--workers",
                              "7",
                              "--metrics-bind-address=127.0.0.1:1",
                              "--health-bind-address",
                              "127.0.0.1:2",
                              "--metrics-secure=false",
                              "--metrics-cert-dir=/certs",
                              "--dry-run",
                              "--log-level=debug",
                              "--resync-seconds",
                              "30",
                              "--discovery-seconds=5",
                              "--kube-api-qps",
                              "12.5",
                              "--kube-api-burst=25"},
                             kNoEnv);
  REQUIRE(o);
  CHECK(o->kubeconfig == "/k.yaml");
  CHECK(o->context == "ctx");
  CHECK(o->config_file == "/p.yaml");
  CHECK(o->config_map == "ns/cfg");
  CHECK(o->inventory_file == "/i.yaml");
  CHECK(o->namespace_ == "sys");
  CHECK_FALSE(o->leader_elect);
  CHECK(o->lease_name == "lease");
  CHECK(o->identity == "me");
  CHECK(o->workers == 7);
  CHECK(o->metrics_bind_address == "127.0.0.1:1");
  CHECK(o->health_bind_address == "127.0.0.1:2");
  CHECK_FALSE(o->metrics_secure);
  CHECK(o->metrics_cert_dir == "/certs");
  CHECK(o->dry_run);  // a bare boolean flag means true
  CHECK(o->log_level == "debug");
  CHECK(o->resync_seconds == 30);
  CHECK(o->discovery_seconds == 5);
  CHECK(o->qps == 12.5);
  CHECK(o->burst == 25);
}

TEST_CASE("run options: booleans accept true/false, 1/0, yes/no") {
  for (const auto& [text, want] : std::vector<std::pair<std::string, bool>>{{"true", true},
                                                                            {"1", true},
                                                                            {"yes", true},
                                                                            {"false", false},
                                                                            {"0", false},
                                                                            {"no", false}}) {
    auto o = parse_run_options({"--dry-run=" + text}, kNoEnv);
    REQUIRE(o);
    CHECK(o->dry_run == want);
  }
}

TEST_CASE("run options: NCA_* environment, and flags win over it") {
  auto env = env_of({{"NCA_WORKERS", "4"},
                     {"NCA_DRY_RUN", "true"},
                     {"NCA_CONFIG_MAP", "a/b"},
                     {"NCA_LEADER_ELECT", "no"},
                     {"NCA_KUBE_API_QPS", "3"},
                     {"NCA_LOG_LEVEL", "warn"}});
  auto from_env = parse_run_options({}, env);
  REQUIRE(from_env);
  CHECK(from_env->workers == 4);
  CHECK(from_env->dry_run);
  CHECK(from_env->config_map == "a/b");
  CHECK_FALSE(from_env->leader_elect);
  CHECK(from_env->qps == 3);
  CHECK(from_env->log_level == "warn");

  auto flags_win =
      parse_run_options({"--workers=9", "--dry-run=false", "--config-map", "c/d"}, env);
  REQUIRE(flags_win);
  CHECK(flags_win->workers == 9);
  CHECK_FALSE(flags_win->dry_run);
  CHECK(flags_win->config_map == "c/d");
  CHECK(flags_win->log_level == "warn");  // not given as a flag: the environment's
}

TEST_CASE("run options: bad values say which flag or variable") {
  struct Case {
    Args args;
    std::map<std::string, std::string> env;
    const char* message;
  };
  for (const auto& c : std::vector<Case>{
           {{"--workers", "two"}, {}, "flag --workers: want an integer, got \"two\""},
           {{"--workers=3x"}, {}, "want an integer"},
           {{"--workers=0"}, {}, "--workers must be at least 1"},
           {{"--workers=-1"}, {}, "flag --workers: out of range"},
           {{"--resync-seconds=0"}, {}, "--resync-seconds must be at least 1"},
           {{"--dry-run=maybe"}, {}, "flag --dry-run: want true or false, got \"maybe\""},
           {{"--kube-api-qps=-1"}, {}, "flag --kube-api-qps: want a number >= 0"},
           {{}, {{"NCA_WORKERS", "many"}}, "environment NCA_WORKERS: want an integer"},
           {{}, {{"NCA_DRY_RUN", "perhaps"}}, "environment NCA_DRY_RUN: want true or false"},
           {{"--frobnicate"}, {}, "unknown flag --frobnicate"},
           {{"extra"}, {}, "unexpected argument \"extra\""},
           {{"--kubeconfig"}, {}, "flag --kubeconfig needs a value"},
           {{"--config-map", "just-a-name"}, {}, "--config-map must be NAMESPACE/NAME"},
           {{"--config-map=/name"}, {}, "--config-map must be NAMESPACE/NAME"},
           {{"--config-map=ns/"}, {}, "--config-map must be NAMESPACE/NAME"},
           {{"--config-map=a/b/c"}, {}, "--config-map must be NAMESPACE/NAME"},
           {{"--log-level=loud"}, {}, "--log-level must be debug, info, warn or error"},
           {{"--lease-name="}, {}, "--leader-elect needs --namespace and --lease-name"},
       }) {
    auto o = parse_run_options(c.args, env_of(c.env));
    INFO(c.message);
    REQUIRE_FALSE(o);
    CHECK(o.status().code() == nca::Code::kInvalid);
    CHECK_THAT(o.status().message(), Catch::Contains(c.message));
  }
  // Without leader election an empty lease name is fine.
  CHECK(parse_run_options({"--leader-elect=false", "--lease-name="}, kNoEnv));
}

TEST_CASE("run options: --help is Cancelled with the usage") {
  for (const char* help : {"--help", "-h"}) {
    auto o = parse_run_options({"--workers=3", help}, kNoEnv);
    REQUIRE_FALSE(o);
    CHECK(o.status().code() == nca::Code::kCancelled);
    CHECK_THAT(o.status().message(), Catch::StartsWith("usage: node-csr-approver run"));
    CHECK_THAT(o.status().message(), Catch::Contains("--config-map=VALUE"));
    CHECK_THAT(o.status().message(), Catch::Contains("--dry-run[=BOOL]"));
    CHECK_THAT(o.status().message(), Catch::Contains("NCA_DRY_RUN"));
  }
}

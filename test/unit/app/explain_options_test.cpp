#include "app/explain_options.h"

#include <catch2/catch.hpp>

#include "base/time_format.h"

using nca::app::OutputFormat;
using nca::app::parse_explain_args;
using Args = std::vector<std::string>;

TEST_CASE("explain flags, both spellings") {
  auto o =
      parse_explain_args({"--csr", "c.yaml", "--inventory=i.yaml", "--nodes", "n.yaml", "--config",
                          "p.yaml", "--now", "2026-11-23T09:10:00Z", "--output=json"});
  REQUIRE(o);
  CHECK(o->csr_file == "c.yaml");
  CHECK(o->inventory_file == "i.yaml");
  CHECK(o->nodes_file == "n.yaml");
  CHECK(o->config_file == "p.yaml");
  REQUIRE(o->now);
  CHECK(nca::format_rfc3339(*o->now) == "2026-11-23T09:10:00Z");
  CHECK(o->output == OutputFormat::kJson);
  CHECK_FALSE(o->help);

  auto minimal = parse_explain_args({"--csr", "c.yaml"});
  REQUIRE(minimal);
  CHECK(minimal->output == OutputFormat::kText);
  CHECK_FALSE(minimal->now);
  CHECK(parse_explain_args({"--help"})->help);
}

TEST_CASE("live explain flags") {
  auto o = parse_explain_args({"--name", "csr-abc", "--kubeconfig=/k", "--context", "ctx",
                               "--config-map", "node-csr-approver/cfg", "--inventory", "i.yaml",
                               "--config=p.yaml", "--output", "json"});
  REQUIRE(o);
  CHECK(o->live());
  CHECK(o->name == "csr-abc");
  CHECK(o->kubeconfig == "/k");
  CHECK(o->context == "ctx");
  CHECK(o->config_map == "node-csr-approver/cfg");
  CHECK(o->inventory_file == "i.yaml");
  CHECK(o->config_file == "p.yaml");
  CHECK(o->csr_file.empty());
  CHECK(o->output == OutputFormat::kJson);

  auto in_cluster = parse_explain_args({"--name=x"});
  REQUIRE(in_cluster);
  CHECK(in_cluster->live());
  CHECK(in_cluster->kubeconfig.empty());
  CHECK(in_cluster->config_map.empty());  // = the Deployment's ConfigMap
  CHECK_FALSE(in_cluster->no_config_map);
  CHECK(parse_explain_args({"--name=x", "--no-config-map"})->no_config_map);
  CHECK_FALSE(parse_explain_args({"--csr", "c.yaml"})->live());
}

TEST_CASE("bad explain flags say what is wrong") {
  struct Case {
    Args args;
    const char* message;
  };
  for (const auto& c : std::vector<Case>{
           {{}, "--csr FILE or --name CSR is required"},
           {{"--inventory", "i.yaml"}, "--csr FILE or --name CSR is required"},
           {{"--csr", "a", "--name", "x"}, "--csr (a file, offline) and --name"},
           {{"--name", "x", "--nodes", "n.yaml"}, "--nodes is for offline mode"},
           {{"--name", "x", "--config-map", "cm"}, "--config-map must be NAMESPACE/NAME"},
           {{"--name", "x", "--config-map=a/b/c"}, "--config-map must be NAMESPACE/NAME"},
           {{"--name", "x", "--config-map=/b"}, "--config-map must be NAMESPACE/NAME"},
           {{"--csr", "a", "--kubeconfig", "k"}, "--kubeconfig needs --name (live mode)"},
           {{"--csr", "a", "--context=c"}, "--context needs --name (live mode)"},
           {{"--csr", "a", "--config-map=a/b"}, "--config-map needs --name (live mode)"},
           {{"--name", "x", "--config-map=a/b", "--no-config-map"},
            "--config-map and --no-config-map exclude each other"},
           {{"--csr", "a", "--no-config-map"}, "--no-config-map needs --name (live mode)"},
           {{"--name"}, "--name needs a value"},
           {{"--csr"}, "--csr needs a value"},
           {{"--csr="}, "--csr needs a non-empty value"},
           {{"--csr", "a", "--csr", "b"}, "--csr given more than once"},
           {{"--csr", "a", "--output", "yaml"}, "--output: \"yaml\" is not text or json"},
           {{"--csr", "a", "--now", "yesterday"}, "--now: \"yesterday\" is not an RFC 3339"},
           {{"--csr", "a", "--dry-run"}, "unknown argument \"--dry-run\""},
           {{"--csr", "a", "extra"}, "unknown argument \"extra\""},
       }) {
    auto o = parse_explain_args(c.args);
    REQUIRE_FALSE(o);
    CHECK_THAT(o.status().message(), Catch::Contains(c.message));
  }
}

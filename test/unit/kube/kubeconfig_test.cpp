#include "kube/kubeconfig.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "kube/base64.h"

using namespace nca::kube;
using nca::Code;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("nca-kubeconfig-" + std::to_string(std::random_device()()) +
                                        std::to_string(::getpid()));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

const char* kYaml = R"(apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:6443/
    certificate-authority: pki/ca.crt
- name: other
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: Q0EtREFUQQ==
users:
- name: admin
  user:
    client-certificate: pki/admin.crt
    client-key: pki/admin.key
- name: robot
  user:
    token: s3cret
- name: rotating
  user:
    tokenFile: token
contexts:
- name: local
  context: {cluster: local, user: admin}
- name: other
  context: {cluster: other, user: robot, namespace: ops}
- name: rotating
  context: {cluster: other, user: rotating}
current-context: local
)";

}  // namespace

TEST_CASE("kubeconfig: current-context with files resolved against the kubeconfig directory") {
  TempDir dir;
  dir.write("pki/ca.crt", "CA-FILE");
  dir.write("pki/admin.crt", "CERT");
  dir.write("pki/admin.key", "KEY");
  auto cfg = load_kubeconfig(dir.write("kc.yaml", kYaml));
  REQUIRE(cfg);
  CHECK(cfg->server == "https://127.0.0.1:6443");
  CHECK(cfg->ca_pem == "CA-FILE");
  CHECK(cfg->client_cert_pem == "CERT");
  CHECK(cfg->client_key_pem == "KEY");
  CHECK(cfg->token.empty());
  CHECK(cfg->default_namespace == "default");
}

TEST_CASE("kubeconfig: a named context with -data and a token") {
  TempDir dir;
  auto cfg = load_kubeconfig(dir.write("kc.yaml", kYaml), "other");
  REQUIRE(cfg);
  CHECK(cfg->ca_pem == "CA-DATA");
  CHECK(cfg->token == "s3cret");
  CHECK(cfg->client_cert_pem.empty());
  CHECK(cfg->default_namespace == "ops");
  auto rotating = load_kubeconfig(dir.write("kc.yaml", kYaml), "rotating");
  REQUIRE(rotating);
  CHECK(rotating->token_file == (dir.path / "token").string());
}

TEST_CASE("kubeconfig: errors name what is wrong") {
  TempDir dir;
  auto missing_ctx = load_kubeconfig(dir.write("kc.yaml", kYaml), "nope");
  REQUIRE_FALSE(missing_ctx);
  CHECK(missing_ctx.status().code() == Code::kInvalid);
  CHECK_THAT(missing_ctx.status().message(), Catch::Contains("nope"));

  auto missing_file = load_kubeconfig(dir.write("kc.yaml", kYaml));  // pki/ca.crt absent
  REQUIRE_FALSE(missing_file);
  CHECK_THAT(missing_file.status().message(), Catch::Contains("certificate-authority"));

  CHECK(load_kubeconfig((dir.path / "absent").string()).status().code() == Code::kNotFound);
  CHECK(load_kubeconfig(dir.write("bad.yaml", "clusters: [unclosed")).status().code() ==
        Code::kInvalid);
  CHECK_FALSE(load_kubeconfig(dir.write("scalar.yaml", "just text")));

  nlohmann::json no_current = nlohmann::json::parse(R"({"clusters":[],"contexts":[],"users":[]})");
  CHECK_THAT(kubeconfig_from_json(no_current, "").status().message(),
             Catch::Contains("current-context"));
}

TEST_CASE("kubeconfig: insecure-skip-tls-verify is refused unless allowed") {
  nlohmann::json doc = {
      {"current-context", "c"},
      {"contexts", {{{"name", "c"}, {"context", {{"cluster", "k"}, {"user", "u"}}}}}},
      {"clusters",
       {{{"name", "k"},
         {"cluster", {{"server", "https://x"}, {"insecure-skip-tls-verify", true}}}}}},
      {"users", {{{"name", "u"}, {"user", {{"token", "t"}}}}}}};
  auto refused = kubeconfig_from_json(doc, "");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.status().message(), Catch::Contains("insecure-skip-tls-verify"));
  auto allowed = kubeconfig_from_json(doc, "", "", /*allow_insecure=*/true);
  REQUIRE(allowed);
  CHECK(allowed->insecure_skip_tls_verify);
}

TEST_CASE("kubeconfig: certificate without key, bad base64 and exec plugins are errors") {
  nlohmann::json doc = {
      {"current-context", "c"},
      {"contexts", {{{"name", "c"}, {"context", {{"cluster", "k"}, {"user", "u"}}}}}},
      {"clusters", {{{"name", "k"}, {"cluster", {{"server", "https://x"}}}}}},
      {"users", {{{"name", "u"}, {"user", {{"client-certificate-data", base64_encode("C")}}}}}}};
  CHECK_THAT(kubeconfig_from_json(doc, "").status().message(), Catch::Contains("client-key"));
  doc["users"][0]["user"] = {{"client-certificate-data", "!!"}, {"client-key-data", "S0VZ"}};
  CHECK_THAT(kubeconfig_from_json(doc, "").status().message(),
             Catch::Contains("client-certificate-data"));
  doc["users"][0]["user"] = {{"exec", {{"command", "aws"}}}};
  CHECK_THAT(kubeconfig_from_json(doc, "").status().message(), Catch::Contains("exec"));
  doc["users"][0]["user"] = {{"client-certificate-data", base64_encode("C")},
                             {"client-key-data", base64_encode("K")}};
  auto ok = kubeconfig_from_json(doc, "");
  REQUIRE(ok);
  CHECK(ok->client_cert_pem == "C");
  CHECK(ok->client_key_pem == "K");
}

TEST_CASE("in-cluster config reads the service-account files under an injectable root") {
  TempDir dir;
  std::string sa = "var/run/secrets/kubernetes.io/serviceaccount/";
  dir.write(sa + "ca.crt", "SA-CA");
  dir.write(sa + "token", "tok-1\n");
  dir.write(sa + "namespace", "nca-system");
  ::setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
  ::setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  auto cfg = in_cluster_config(dir.path.string());
  REQUIRE(cfg);
  CHECK(cfg->server == "https://10.96.0.1:443");
  CHECK(cfg->ca_pem == "SA-CA");
  CHECK(cfg->token_file == (dir.path / sa / "token").string());
  CHECK(cfg->default_namespace == "nca-system");
  ::setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
  CHECK(in_cluster_config(dir.path.string())->server == "https://[fd00::1]:443");
  ::unsetenv("KUBERNETES_SERVICE_HOST");
  CHECK(in_cluster_config(dir.path.string()).status().code() == Code::kInvalid);
  ::unsetenv("KUBERNETES_SERVICE_PORT");
}

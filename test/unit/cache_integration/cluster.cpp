#include "cluster.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/log.h"
#include "kube/kubeconfig.h"

namespace nca::it {

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}
}  // namespace

bool cluster_required() { return env("NCA_REQUIRE_CLUSTER") == "1"; }

std::string source_dir() {
  std::string s = env("NCA_SOURCE_DIR");
  return s.empty() ? NCA_SOURCE_DIR_DEFAULT : s;
}

int run(const std::string& command) {
  int rc = std::system(command.c_str());
  return rc == -1 ? -1 : WEXITSTATUS(rc);
}

std::optional<std::string> capture(const std::string& command) {
  FILE* p = popen(command.c_str(), "r");
  if (!p) return std::nullopt;
  std::string out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int rc = pclose(p);
  if (rc != 0) return std::nullopt;
  return out;
}

std::optional<std::string> shared_kubeconfig() {
  std::string kc = env("KUBECONFIG");
  if (!kc.empty()) return kc;
  std::string dir = env("NCA_CLUSTER_DIR");
  if (!dir.empty()) return dir + "/admin.kubeconfig";
  return std::nullopt;
}

std::shared_ptr<kube::RestClient> admin_client(const std::string& kubeconfig, double qps, int burst,
                                               std::chrono::seconds timeout) {
  auto cfg = kube::load_kubeconfig(kubeconfig);
  if (!cfg) {
    log::error("kubeconfig", {{"error", cfg.status().to_string()}});
    return nullptr;
  }
  cfg->qps = qps;
  cfg->burst = burst;
  cfg->timeout = timeout;
  cfg->user_agent = "nca-integration-cache";
  auto client = kube::RestClient::create(std::move(cfg).value(), real_clock());
  if (!client) {
    log::error("client", {{"error", client.status().to_string()}});
    return nullptr;
  }
  return client.value();
}

PrivateCluster::PrivateCluster() {
  auto dir = capture("mktemp -d \"${TMPDIR:-/tmp}/nca-cache-it.XXXXXX\"");
  if (!dir) return;
  dir_ = *dir;
  while (!dir_.empty() && (dir_.back() == '\n' || dir_.back() == '\r')) dir_.pop_back();
  // `up` refuses an existing cluster dir only when it holds an env file: a fresh one is fine.
  ok_ = run(source_dir() + "/test/cluster/up --dir " + dir_ + " >/dev/null") == 0;
}

PrivateCluster::~PrivateCluster() {
  if (dir_.empty()) return;
  if (run(source_dir() + "/test/cluster/down --dir " + dir_ + " >/dev/null") != 0) {
    log::error("could not stop the private cluster", {{"dir", dir_}});
  }
}

bool PrivateCluster::component(const std::string& action, const std::string& name) {
  return run(source_dir() + "/test/cluster/component " + action + " " + name + " --dir " + dir_ +
             " >/dev/null") == 0;
}

namespace {
std::optional<std::string> etcd_port(const std::string& dir) {
  std::ifstream in(dir + "/env");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("NCA_ETCD_PORT=", 0) == 0) return line.substr(14);
  }
  return std::nullopt;
}
}  // namespace

std::optional<long long> PrivateCluster::etcd_revision() {
  auto port = etcd_port(dir_);
  if (!port) return std::nullopt;
  auto out = capture("curl -sf -X POST http://127.0.0.1:" + *port +
                     "/v3/kv/range -d '{\"key\":\"AA==\",\"limit\":1,\"keys_only\":true}'");
  if (!out) return std::nullopt;
  auto j = nlohmann::json::parse(*out, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  try {
    return std::stoll(j.at("header").at("revision").get<std::string>());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool PrivateCluster::compact_etcd(long long revision) {
  auto port = etcd_port(dir_);
  if (!port) return false;
  return run("curl -sf -o /dev/null -X POST http://127.0.0.1:" + *port +
             "/v3/kv/compaction -d '{\"revision\":\"" + std::to_string(revision) +
             "\",\"physical\":true}'") == 0;
}

}  // namespace nca::it

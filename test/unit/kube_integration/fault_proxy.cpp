#include "fault_proxy.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "test_cluster.h"

extern char** environ;

namespace nca::kube::testing {
namespace fs = std::filesystem;

namespace {
void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  std::ofstream(tmp) << text;
  fs::rename(tmp, path);
}
}  // namespace

FaultProxy::FaultProxy(const ClientConfig& upstream) : config_(upstream) {
  dir_ = (fs::temp_directory_path() / unique_name("fault-proxy")).string();
  fs::create_directories(dir_);
  const std::string cert = dir_ + "/tls.crt", key = dir_ + "/tls.key";
  const std::string openssl =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1"
      " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  REQUIRE(std::system(openssl.c_str()) == 0);

  std::string server = upstream.server;  // https://HOST:PORT
  const std::string hostport = server.substr(server.find("://") + 3);
  const std::string script = std::string(NCA_SOURCE_DIR) + "/test/tools/fault_proxy.py";
  std::vector<std::string> args = {"python3", script,       "--upstream", hostport,    "--control",
                                   dir_,      "--tls-cert", cert,         "--tls-key", key};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  REQUIRE(posix_spawnp(&pid_, "python3", nullptr, nullptr, argv.data(), environ) == 0);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!fs::exists(dir_ + "/port") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling a condition
  }
  REQUIRE(fs::exists(dir_ + "/port"));
  config_.server = "https://127.0.0.1:" + read_text(dir_ + "/port").substr(0, 5);
  while (!config_.server.empty() && !std::isdigit(config_.server.back())) config_.server.pop_back();
  config_.ca_pem = upstream.ca_pem + "\n" + read_text(cert);
}

FaultProxy::~FaultProxy() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void FaultProxy::set_mode(const std::string& mode) {
  write_atomically(dir_ + "/mode", mode + "\n");
  // Wait (bounded) for the proxy to acknowledge the mode in DIR/applied.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto applied = [&] {
    std::ifstream in(dir_ + "/applied");
    std::string line;
    std::getline(in, line);
    return line == mode;
  };
  while (!applied() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling a condition
  }
  REQUIRE(applied());
}

void FaultProxy::answer(int code, const std::string& body) {
  const std::string file = dir_ + "/answer-" + std::to_string(++answers_);
  std::ofstream(file) << body;
  set_mode("http " + std::to_string(code) + " " + file);
}

int FaultProxy::accepted() const {
  std::ifstream in(dir_ + "/events");
  int n = 0;
  for (std::string line; std::getline(in, line);) n += line.rfind("accept", 0) == 0;
  return n;
}

}  // namespace nca::kube::testing

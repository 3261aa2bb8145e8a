// Access to a real test/cluster control plane for integration tests: the shared one named
// by NCA_CLUSTER_DIR / KUBECONFIG, or a private one started (and stopped) by the test.
// Shell scripts are run with std::system; this is test-only code.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "kube/client.h"

namespace nca::it {

// Whether tests must fail (not skip) without a cluster: NCA_REQUIRE_CLUSTER=1.
bool cluster_required();

// The repository root (NCA_SOURCE_DIR, else the configure-time path).
std::string source_dir();

// An admin RestClient for the cluster whose kubeconfig is at `kubeconfig`.
std::shared_ptr<kube::RestClient> admin_client(
    const std::string& kubeconfig, double qps = 500, int burst = 1000,
    std::chrono::seconds timeout = std::chrono::seconds(30));

// The shared cluster's kubeconfig (KUBECONFIG, or NCA_CLUSTER_DIR/admin.kubeconfig), if set.
std::optional<std::string> shared_kubeconfig();

// A control plane of its own in a fresh temporary directory; stopped (by the scripts'
// recorded pids) and removed on destruction.
class PrivateCluster {
 public:
  PrivateCluster();
  ~PrivateCluster();
  PrivateCluster(const PrivateCluster&) = delete;
  PrivateCluster& operator=(const PrivateCluster&) = delete;

  bool ok() const { return ok_; }
  const std::string& dir() const { return dir_; }
  std::string kubeconfig() const { return dir_ + "/admin.kubeconfig"; }

  // test/cluster/component ACTION NAME --dir DIR; true on success.
  bool component(const std::string& action, const std::string& name);
  // etcd's current revision, and compaction up to it (through etcd's HTTP gateway).
  std::optional<long long> etcd_revision();
  bool compact_etcd(long long revision);

 private:
  std::string dir_;
  bool ok_ = false;
};

// Runs a shell command; returns its exit status (0 = success).
int run(const std::string& command);
// Runs a shell command and returns its stdout (nullopt on failure).
std::optional<std::string> capture(const std::string& command);

}  // namespace nca::it

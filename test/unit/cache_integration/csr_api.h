// Writing and reading test CSRs through the real API: create, approve, delete, and a
// fresh server list to compare an informer's store with. Every CSR of one test carries the
// label nca-it=RUN so tests on a shared cluster never see each other's objects. The
// signer is a made-up one (nca.test/cache-it): nothing signs or approves it but us.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "kube/client.h"

namespace nca::it {

struct ServerCsr {
  std::string resource_version;
  std::string uid;
  bool approved = false;
};

class CsrApi {
 public:
  CsrApi(std::shared_ptr<kube::ApiClient> client, std::string run_label);

  const std::string& run_label() const { return run_; }
  std::string selector() const { return "nca-it=" + run_; }

  Status create(const std::string& name);
  // Re-reads and PUTs /approval; retries once on a conflict.
  Status approve(const std::string& name);
  Status remove(const std::string& name);
  // name -> state, from a paginated quorum list.
  Result<std::map<std::string, ServerCsr>> list();

 private:
  std::shared_ptr<kube::ApiClient> client_;
  std::string run_;
  std::string request_b64_;
};

// A label value unique to this process and call.
std::string unique_run_label(const std::string& prefix);

}  // namespace nca::it

// ApiAccessReviewer: metrics::AccessReviewer over the API server, as controller-runtime's
// secure metrics filter does it: POST authentication.k8s.io/v1 TokenReview for the bearer
// token, then authorization.k8s.io/v1 SubjectAccessReview for the reviewed user (name,
// uid, groups, extra) on a non-resource URL. Each call is bounded by `timeout` (connect,
// send and answer). Needs `create` on tokenreviews and subjectaccessreviews (deploy/'s
// ClusterRole). Thread-safe (the client is).
#pragma once

#include <chrono>
#include <memory>

#include "kube/client.h"
#include "metrics/metrics_auth.h"

namespace nca::daemon {

class ApiAccessReviewer final : public metrics::AccessReviewer {
 public:
  ApiAccessReviewer(std::shared_ptr<kube::RestClient> client, std::chrono::milliseconds timeout);

  Result<std::optional<metrics::ReviewedUser>> authenticate(const std::string& token) override;
  Result<bool> authorize(const metrics::ReviewedUser& user, const std::string& path,
                         const std::string& verb) override;

 private:
  std::shared_ptr<kube::RestClient> client_;
  std::chrono::milliseconds timeout_;
};

}  // namespace nca::daemon

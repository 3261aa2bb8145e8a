#include "daemon/api_access_reviewer.h"

namespace nca::daemon {

using nlohmann::json;

ApiAccessReviewer::ApiAccessReviewer(std::shared_ptr<kube::RestClient> client,
                                     std::chrono::milliseconds timeout)
    : client_(std::move(client)), timeout_(timeout) {}

Result<std::optional<metrics::ReviewedUser>> ApiAccessReviewer::authenticate(
    const std::string& token) {
  const json body = {{"apiVersion", "authentication.k8s.io/v1"},
                     {"kind", "TokenReview"},
                     {"spec", {{"token", token}}}};
  auto answer = client_->request("POST", "/apis/authentication.k8s.io/v1/tokenreviews", &body,
                                 "application/json", timeout_);
  if (!answer.is_ok()) return answer.status().annotate("TokenReview");
  try {
    const json& status = answer->at("status");
    if (!status.value("authenticated", false)) return std::optional<metrics::ReviewedUser>();
    const json& u = status.at("user");
    metrics::ReviewedUser user;
    user.username = u.value("username", "");
    user.uid = u.value("uid", "");
    if (u.contains("groups")) user.groups = u.at("groups").get<std::vector<std::string>>();
    if (u.contains("extra")) {
      for (const auto& [k, v] : u.at("extra").items())
        user.extra[k] = v.get<std::vector<std::string>>();
    }
    if (user.username.empty()) return std::optional<metrics::ReviewedUser>();
    return std::optional<metrics::ReviewedUser>(std::move(user));
  } catch (const json::exception& e) {
    return Status(Code::kInternal, std::string("TokenReview: unexpected answer: ") + e.what());
  }
}

Result<bool> ApiAccessReviewer::authorize(const metrics::ReviewedUser& user,
                                          const std::string& path, const std::string& verb) {
  json spec = {{"user", user.username},
               {"groups", user.groups},
               {"nonResourceAttributes", {{"path", path}, {"verb", verb}}}};
  if (!user.uid.empty()) spec["uid"] = user.uid;
  if (!user.extra.empty()) spec["extra"] = user.extra;
  const json body = {
      {"apiVersion", "authorization.k8s.io/v1"}, {"kind", "SubjectAccessReview"}, {"spec", spec}};
  auto answer = client_->request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                                 &body, "application/json", timeout_);
  if (!answer.is_ok()) return answer.status().annotate("SubjectAccessReview");
  try {
    return answer->at("status").value("allowed", false);
  } catch (const json::exception& e) {
    return Status(Code::kInternal,
                  std::string("SubjectAccessReview: unexpected answer: ") + e.what());
  }
}

}  // namespace nca::daemon

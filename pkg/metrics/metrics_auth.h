// Authentication and authorization of /metrics scrapes, the way controller-runtime's
// secure metrics server does it (filters.WithAuthenticationAndAuthorization): the bearer
// token is checked with a TokenReview, the user it names with a SubjectAccessReview for
// verb `get` on the non-resource URL of the request path. Missing or invalid token: 401;
// not allowed: 403; a review that could not be made: 503 (fail closed, never served).
//
// AccessReviewer is the seam (the API-backed one is daemon::ApiAccessReviewer; tests use a
// fake). MetricsAuthorizer keeps definite outcomes (authenticated and allowed, denied,
// invalid token) for `cache_ttl`, keyed by the SHA-256 of the token and the path, at most
// `cache_size` entries; review errors are never cached. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "metrics/http_server.h"

namespace nca::metrics {

struct ReviewedUser {
  std::string username;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
};

class AccessReviewer {
 public:
  virtual ~AccessReviewer() = default;
  // The user the token belongs to; nullopt when the token is not valid. An error when the
  // review could not be made. Each call must be bounded in time by the implementation.
  virtual Result<std::optional<ReviewedUser>> authenticate(const std::string& token) = 0;
  // Whether `user` may `verb` the non-resource URL `path`.
  virtual Result<bool> authorize(const ReviewedUser& user, const std::string& path,
                                 const std::string& verb) = 0;
};

struct MetricsAuthSettings {
  std::chrono::milliseconds cache_ttl{10000};  // 0: no cache
  std::size_t cache_size = 256;
};

class MetricsAuthorizer {
 public:
  MetricsAuthorizer(std::shared_ptr<AccessReviewer> reviewer, std::shared_ptr<Clock> clock,
                    MetricsAuthSettings settings = {});

  // Nullopt when the request may be served; otherwise the answer to send instead.
  std::optional<HttpResponse> check(const HttpRequest& request);

 private:
  enum class Outcome { kAllowed, kDenied, kUnauthenticated };
  std::optional<HttpResponse> answer(Outcome outcome, const std::string& user) const;

  const std::shared_ptr<AccessReviewer> reviewer_;
  const std::shared_ptr<Clock> clock_;
  const MetricsAuthSettings settings_;
  std::mutex mu_;
  struct Entry {
    Outcome outcome;
    std::string user;
    MonoTime expires;
  };
  std::map<std::string, Entry> cache_;  // guarded by mu_
};

// `inner`, answered only to requests `auth` lets through.
HttpHandler require_authorized(std::shared_ptr<MetricsAuthorizer> auth, HttpHandler inner);

}  // namespace nca::metrics

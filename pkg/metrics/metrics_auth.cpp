#include "metrics/metrics_auth.h"

#include <openssl/evp.h>

#include <cctype>

#include "base/log.h"

namespace nca::metrics {
namespace {

HttpResponse text(int status, std::string body) {
  return HttpResponse{status, "text/plain; charset=utf-8", std::move(body), {}};
}

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

// The token of "Authorization: Bearer TOKEN" (scheme case-insensitive); "" when none.
std::string bearer_token(const HttpRequest& request) {
  const std::string value = request.header("authorization");
  if (value.size() < 7) return "";
  std::string scheme = value.substr(0, 7);
  for (auto& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (scheme != "bearer ") return "";
  std::string token = value.substr(7);
  while (!token.empty() && token.front() == ' ') token.erase(0, 1);
  while (!token.empty() && token.back() == ' ') token.pop_back();
  return token;
}

}  // namespace

MetricsAuthorizer::MetricsAuthorizer(std::shared_ptr<AccessReviewer> reviewer,
                                     std::shared_ptr<Clock> clock, MetricsAuthSettings settings)
    : reviewer_(std::move(reviewer)), clock_(std::move(clock)), settings_(settings) {}

std::optional<HttpResponse> MetricsAuthorizer::answer(Outcome outcome,
                                                      const std::string& user) const {
  switch (outcome) {
    case Outcome::kAllowed:
      return std::nullopt;
    case Outcome::kDenied:
      return text(403, "Authorization denied for user " + user + "\n");
    case Outcome::kUnauthenticated: {
      HttpResponse r = text(401, "Unauthorized\n");
      r.headers["WWW-Authenticate"] = "Bearer";
      return r;
    }
  }
  return text(500, "internal error\n");
}

std::optional<HttpResponse> MetricsAuthorizer::check(const HttpRequest& request) {
  const std::string token = bearer_token(request);
  if (token.empty()) return answer(Outcome::kUnauthenticated, "");
  const std::string key = sha256_hex(token) + " " + request.path;
  const MonoTime now = clock_->now();
  if (settings_.cache_ttl.count() > 0) {
    std::lock_guard lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.expires > now) {
      return answer(it->second.outcome, it->second.user);
    }
  }

  Outcome outcome;
  std::string user;
  auto who = reviewer_->authenticate(token);
  if (!who.is_ok()) {
    log::warn("metrics: TokenReview failed; scrape refused", {{"error", who.status().to_string()}});
    return text(503, "authentication check failed\n");
  }
  if (!who->has_value()) {
    outcome = Outcome::kUnauthenticated;
  } else {
    user = (*who)->username;
    auto allowed = reviewer_->authorize(**who, request.path, "get");
    if (!allowed.is_ok()) {
      log::warn("metrics: SubjectAccessReview failed; scrape refused",
                {{"user", user}, {"error", allowed.status().to_string()}});
      return text(503, "authorization check failed\n");
    }
    outcome = *allowed ? Outcome::kAllowed : Outcome::kDenied;
  }

  if (settings_.cache_ttl.count() > 0 && settings_.cache_size > 0) {
    std::lock_guard lock(mu_);
    if (cache_.size() >= settings_.cache_size) {
      for (auto it = cache_.begin(); it != cache_.end();) {
        it = it->second.expires <= now ? cache_.erase(it) : std::next(it);
      }
      if (cache_.size() >= settings_.cache_size) cache_.clear();
    }
    cache_[key] = Entry{outcome, user, now + settings_.cache_ttl};
  }
  return answer(outcome, user);
}

HttpHandler require_authorized(std::shared_ptr<MetricsAuthorizer> auth, HttpHandler inner) {
  return [auth = std::move(auth), inner = std::move(inner)](const HttpRequest& request) {
    if (auto refused = auth->check(request)) return *refused;
    return inner(request);
  };
}

}  // namespace nca::metrics

#include "daemon/readiness.h"

namespace nca::daemon {

void Readiness::add_check(std::string name, std::function<std::string()> check) {
  std::lock_guard lock(mu_);
  checks_.emplace_back(std::move(name), std::move(check));
}

std::pair<int, std::string> Readiness::render() const {
  if (ready_) return {200, "ok\n"};
  std::string body = "not ready:";
  bool any = false;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, check] : checks_) {
      std::string why = check ? check() : std::string();
      if (why.empty()) continue;
      body += (any ? "; " : " ") + name + ": " + why;
      any = true;
    }
  }
  if (!any) body += " informer caches not synced";
  return {503, body + "\n"};
}

}  // namespace nca::daemon

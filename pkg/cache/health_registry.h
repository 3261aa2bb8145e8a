// HealthRegistry: the caches that readiness depends on. Each cache registers a probe that
// returns its CacheHealth (Reflector::health(), Informer::health()); stale() names the
// caches that are not being refreshed, so /readyz can say "not ready: csrs". clear() drops
// every probe (call it before the caches are destroyed); once it returns no probe runs.
//
// Thread-safety: all methods may be called from any thread; probes run under the
// registry's lock, one at a time, and must not call back into the registry.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cache/reflector.h"

namespace nca::cache {

class HealthRegistry {
 public:
  void add(std::string name, std::function<CacheHealth()> probe) {
    std::lock_guard lock(mu_);
    probes_.emplace_back(std::move(name), std::move(probe));
  }

  // Names of registered caches whose health() is not healthy, in registration order.
  std::vector<std::string> stale() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& [name, probe] : probes_) {
      if (!probe().healthy) out.push_back(name);
    }
    return out;
  }

  void clear() {
    std::lock_guard lock(mu_);
    probes_.clear();
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, std::function<CacheHealth()>>> probes_;
};

}  // namespace nca::cache

// CachingResolver: the policy's Resolver (policy/resolver.h) over an asynchronous
// DnsBackend. Lookups never block: a cached answer is returned at once, anything else is
// asked for once (however many CSRs wait for it) and reported kPending; the waiting CSRs
// are handed to `on_answer` when it arrives. Answers are believed for their TTL clamped to
// [minTTL, maxTTL], "no such name" for negativeTTL; transient failures are retried with
// backoff (1 s doubling to 1 min) while a CSR waits for them. Counts lookups by result,
// their latency and cache hits. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/async_cache.h"
#include "base/clock.h"
#include "dns/backend.h"
#include "policy/config.h"
#include "policy/resolver.h"

namespace nca::dns {

// What the resolver reports for metrics (metrics::Metrics in the daemon).
class DnsObserver {
 public:
  virtual ~DnsObserver() = default;
  // result: "found" | "not_found" | "transient"; type: "A/AAAA" | "PTR"
  virtual void lookup_done(std::string_view type, std::string_view result, double seconds) = 0;
  virtual void cache_hit() = 0;
};

class CachingResolver final : public policy::Resolver {
 public:
  CachingResolver(std::shared_ptr<DnsBackend> backend, std::shared_ptr<Clock> clock,
                  const policy::DnsConfig& config,
                  std::function<void(std::vector<std::string>)> on_answer,
                  std::shared_ptr<DnsObserver> observer = nullptr);

  policy::LookupResult lookup(std::string_view hostname, std::string_view waiter) const override;
  policy::LookupResult reverse(const x509::IpAddress& ip, std::string_view waiter) const override;

 private:
  policy::LookupResult get(const std::string& key, std::string_view type, std::string_view waiter,
                           std::function<void(DnsBackend::Callback)> ask) const;

  std::shared_ptr<Clock> clock_;
  policy::DnsConfig config_;
  std::shared_ptr<DnsObserver> observer_;
  mutable AsyncCache<DnsAnswer> cache_;
  // Last, so destroyed first: the backend's thread is joined before the cache goes.
  std::shared_ptr<DnsBackend> backend_;
};

}  // namespace nca::dns

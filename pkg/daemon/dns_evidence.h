// DnsEvidence: the daemon's Resolver for serving.resolveDNS. It follows the config: with
// resolveDNS off there is no resolver thread at all; when serving.dns changes (a ConfigMap
// reload) a new c-ares backend and cache replace the old ones. Answers that arrive re-queue
// the CSRs that waited for them (`requeue`). When c-ares refuses the settings, lookups fail
// transiently with that error (the CSR stays pending, the log says why). Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "dns/caching_resolver.h"
#include "metrics/metrics.h"
#include "policy/config.h"
#include "policy/resolver.h"

namespace nca::daemon {

class DnsEvidence final : public policy::Resolver {
 public:
  // `make_backend` builds the wire side (dns::AresBackend::create in production).
  using BackendFactory =
      std::function<Result<std::shared_ptr<dns::DnsBackend>>(const policy::DnsConfig&)>;
  DnsEvidence(std::shared_ptr<Clock> clock, std::shared_ptr<metrics::Metrics> metrics,
              std::function<void(std::vector<std::string>)> requeue,
              BackendFactory make_backend = {});

  // Follows `serving` (resolveDNS and dns): builds, replaces or drops the resolver.
  void configure(const policy::ServingConfig& serving);
  // Drops the resolver (joins its thread). Lookups fail transiently afterwards.
  void stop();

  policy::LookupResult lookup(std::string_view hostname, std::string_view waiter) const override;
  policy::LookupResult reverse(const x509::IpAddress& ip, std::string_view waiter) const override;

 private:
  std::shared_ptr<const dns::CachingResolver> current(std::string* error) const;

  std::shared_ptr<Clock> clock_;
  std::shared_ptr<dns::DnsObserver> observer_;
  std::function<void(std::vector<std::string>)> requeue_;
  BackendFactory make_backend_;
  mutable std::mutex mu_;
  std::optional<policy::DnsConfig> built_for_;  // settings of resolver_ (or of error_)
  std::shared_ptr<const dns::CachingResolver> resolver_;
  std::string error_;
};

}  // namespace nca::daemon

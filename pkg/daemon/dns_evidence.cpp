#include "daemon/dns_evidence.h"

#include "base/log.h"
#include "dns/ares_backend.h"

namespace nca::daemon {
namespace {

class MetricsObserver final : public dns::DnsObserver {
 public:
  explicit MetricsObserver(std::shared_ptr<metrics::Metrics> m) : m_(std::move(m)) {}
  void lookup_done(std::string_view type, std::string_view result, double seconds) override {
    if (m_) m_->dns_lookup(type, result, seconds);
  }
  void cache_hit() override {
    if (m_) m_->dns_cache_hit();
  }

 private:
  std::shared_ptr<metrics::Metrics> m_;
};

Result<std::shared_ptr<dns::DnsBackend>> ares(const policy::DnsConfig& c) {
  auto b = dns::AresBackend::create(c);
  if (!b) return b.status();
  return std::shared_ptr<dns::DnsBackend>(std::move(b).value());
}

}  // namespace

DnsEvidence::DnsEvidence(std::shared_ptr<Clock> clock, std::shared_ptr<metrics::Metrics> metrics,
                         std::function<void(std::vector<std::string>)> requeue,
                         BackendFactory make_backend)
    : clock_(std::move(clock)),
      observer_(std::make_shared<MetricsObserver>(std::move(metrics))),
      requeue_(std::move(requeue)),
      make_backend_(make_backend ? std::move(make_backend) : BackendFactory(ares)) {}

void DnsEvidence::configure(const policy::ServingConfig& serving) {
  std::shared_ptr<const dns::CachingResolver> old;
  {
    std::lock_guard lock(mu_);
    if (!serving.resolve_dns) {
      old = std::move(resolver_);
      built_for_.reset();
      error_.clear();
    } else if (!built_for_ || !(*built_for_ == serving.dns)) {
      built_for_ = serving.dns;
      old = std::move(resolver_);
      auto backend = make_backend_(serving.dns);
      if (backend) {
        resolver_ = std::make_shared<dns::CachingResolver>(std::move(backend).value(), clock_,
                                                           serving.dns, requeue_, observer_);
        error_.clear();
        log::info("DNS resolver ready",
                  {{"servers", serving.dns.servers.empty()
                                   ? std::string("resolv.conf")
                                   : std::to_string(serving.dns.servers.size())}});
      } else {
        error_ = backend.status().message();
        log::error("DNS resolver unavailable", {{"error", error_}});
      }
    }
  }
  // Outside the lock: destroying a resolver joins its thread, whose callbacks may re-queue.
  old.reset();
}

void DnsEvidence::stop() {
  std::shared_ptr<const dns::CachingResolver> old;
  {
    std::lock_guard lock(mu_);
    old = std::move(resolver_);
    built_for_.reset();
    error_ = "the approver is stopping";
  }
}

std::shared_ptr<const dns::CachingResolver> DnsEvidence::current(std::string* error) const {
  std::lock_guard lock(mu_);
  if (!resolver_) *error = error_.empty() ? "no DNS resolver is configured" : error_;
  return resolver_;
}

policy::LookupResult DnsEvidence::lookup(std::string_view hostname, std::string_view waiter) const {
  std::string error;
  if (auto r = current(&error)) return r->lookup(hostname, waiter);
  return {policy::LookupResult::Status::kTransient, {}, {}, {}, error};
}

policy::LookupResult DnsEvidence::reverse(const x509::IpAddress& ip,
                                          std::string_view waiter) const {
  std::string error;
  if (auto r = current(&error)) return r->reverse(ip, waiter);
  return {policy::LookupResult::Status::kTransient, {}, {}, {}, error};
}

}  // namespace nca::daemon

#include "dns/caching_resolver.h"

#include <algorithm>

namespace nca::dns {
namespace {

using St = policy::LookupResult::Status;

std::string_view result_name(DnsAnswer::Kind k) {
  switch (k) {
    case DnsAnswer::Kind::kFound:
      return "found";
    case DnsAnswer::Kind::kNotFound:
      return "not_found";
    case DnsAnswer::Kind::kTransient:
      break;
  }
  return "transient";
}

}  // namespace

CachingResolver::CachingResolver(std::shared_ptr<DnsBackend> backend, std::shared_ptr<Clock> clock,
                                 const policy::DnsConfig& config,
                                 std::function<void(std::vector<std::string>)> on_answer,
                                 std::shared_ptr<DnsObserver> observer)
    : clock_(clock),
      config_(config),
      observer_(std::move(observer)),
      cache_({.clock = std::move(clock), .notify = std::move(on_answer)}),
      backend_(std::move(backend)) {}

policy::LookupResult CachingResolver::get(const std::string& key, std::string_view type,
                                          std::string_view waiter,
                                          std::function<void(DnsBackend::Callback)> ask) const {
  // Copies, not `this`: an answer may land after the resolver is gone (then it is dropped
  // by the cache, which it reaches only through a weak reference).
  auto start = [clock = clock_, observer = observer_, config = config_, type,
                ask = std::move(ask)](AsyncCache<DnsAnswer>::Done done) {
    const MonoTime asked = clock->now();
    ask([clock, observer, config, type, asked, done = std::move(done)](DnsAnswer a) {
      if (observer) {
        observer->lookup_done(type, result_name(a.kind),
                              std::chrono::duration<double>(clock->now() - asked).count());
      }
      Duration fresh{0};
      if (a.kind == DnsAnswer::Kind::kFound) {
        fresh = std::clamp<Duration>(a.ttl, config.min_ttl, config.max_ttl);
      } else if (a.kind == DnsAnswer::Kind::kNotFound) {
        fresh = config.negative_ttl;
      }
      const bool transient = a.kind == DnsAnswer::Kind::kTransient;
      done({std::move(a), fresh, transient});
    });
  };
  auto got = cache_.get(key, waiter, std::move(start));
  policy::LookupResult r;
  if (!got.value) {
    r.status = St::kPending;
    return r;
  }
  if (got.hit && observer_) observer_->cache_hit();
  const DnsAnswer& a = *got.value;
  r.status = a.kind == DnsAnswer::Kind::kFound      ? St::kFound
             : a.kind == DnsAnswer::Kind::kNotFound ? St::kNotFound
                                                    : St::kTransient;
  r.addresses = a.addresses;
  r.names = a.names;
  r.error = a.error;
  r.ttl = std::chrono::duration_cast<std::chrono::seconds>(got.remaining);
  return r;
}

policy::LookupResult CachingResolver::lookup(std::string_view hostname,
                                             std::string_view waiter) const {
  std::string name(hostname);
  return get("A " + name, "A/AAAA", waiter,
             [this, name](DnsBackend::Callback cb) { backend_->resolve(name, std::move(cb)); });
}

policy::LookupResult CachingResolver::reverse(const x509::IpAddress& ip,
                                              std::string_view waiter) const {
  return get("PTR " + ip.text, "PTR", waiter,
             [this, ip](DnsBackend::Callback cb) { backend_->reverse(ip, std::move(cb)); });
}

}  // namespace nca::dns

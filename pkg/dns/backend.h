// DnsBackend: the seam between the caching resolver and the wire. Asynchronous: a query
// returns at once and its callback runs later, on the backend's own thread (or, for fakes,
// inline). Implementations: AresBackend (c-ares), fakes in tests.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "x509/ip_address.h"

namespace nca::dns {

struct DnsAnswer {
  enum class Kind {
    kFound,      // addresses (A/AAAA) or names (PTR)
    kNotFound,   // NXDOMAIN, or the name has no such records
    kTransient,  // timeout, SERVFAIL, refused, network error
  };
  Kind kind = Kind::kTransient;
  std::vector<x509::IpAddress> addresses;  // canonical
  std::vector<std::string> names;          // lower-cased, trailing dot removed
  std::chrono::seconds ttl{0};             // smallest TTL of the answer (0 when unknown)
  std::string error;
};

class DnsBackend {
 public:
  virtual ~DnsBackend() = default;
  using Callback = std::function<void(DnsAnswer)>;
  // A and AAAA of `name`, as a fully qualified name (no search domains).
  virtual void resolve(const std::string& name, Callback done) = 0;
  // PTR of `ip`.
  virtual void reverse(const x509::IpAddress& ip, Callback done) = 0;
};

}  // namespace nca::dns

// Resolver: the seam through which the policy resolves DNS SAN names and reverse-maps IP
// SANs (only with serving.resolveDNS). Implementations do the I/O, retries, timeouts and
// caching, asynchronously: a lookup never blocks. When the answer is not known yet it
// returns kPending and remembers `waiter` (the CSR's name); the implementation's owner is
// told the waiter's name once an answer arrives, so that the CSR is evaluated again.
// A transient failure or timeout is reported as kTransient (the policy then leaves the
// CSR pending, never denies it) and is retried by the implementation while someone waits.
// Implementations must be safe to call from the reconciler's worker threads.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "x509/parsed_csr.h"

namespace nca::policy {

struct LookupResult {
  enum class Status {
    kFound,      // `addresses` (lookup) or `names` (reverse) holds the whole answer
    kNotFound,   // authoritative: the name does not exist / has no such records
    kTransient,  // timeout, SERVFAIL, network error: retried, try again later
    kPending,    // asked, no answer yet: the waiter is told when it arrives
  };
  Status status = Status::kTransient;
  std::vector<x509::IpAddress> addresses;  // canonical
  std::vector<std::string> names;          // PTR names, lower-cased, trailing dot removed
  std::chrono::seconds ttl{0};             // how much longer the answer is believed
  std::string error;                       // for messages when not kFound
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  // The A and AAAA records of `hostname` (fully qualified: no search domains).
  virtual LookupResult lookup(std::string_view hostname, std::string_view waiter) const = 0;
  // The PTR records of `ip`.
  virtual LookupResult reverse(const x509::IpAddress& ip, std::string_view waiter) const = 0;
};

}  // namespace nca::policy

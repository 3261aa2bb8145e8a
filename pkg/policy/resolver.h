// Resolver: the seam through which the policy may resolve DNS SAN names (only when
// ServingConfig::resolve_dns is on). Implementations do the I/O, retries and timeouts;
// the policy only reads the answer. A transient failure or timeout must be reported as
// kTransient: the policy then leaves the CSR pending, never denies it.
// Implementations must be safe to call from the reconciler's worker threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "x509/parsed_csr.h"

namespace nca::policy {

struct LookupResult {
  enum class Status {
    kFound,      // `addresses` holds every address the name resolves to (canonical)
    kNotFound,   // authoritative: the name does not exist / has no addresses
    kTransient,  // timeout, SERVFAIL, network error: try again later
  };
  Status status = Status::kTransient;
  std::vector<x509::IpAddress> addresses;
  std::string error;  // for messages when not kFound
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual LookupResult lookup(std::string_view hostname) const = 0;
};

}  // namespace nca::policy

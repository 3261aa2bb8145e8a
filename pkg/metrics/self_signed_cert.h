// A self-signed serving certificate for the secure /metrics endpoint when no certificate
// is mounted (what controller-runtime's metrics server does without a cert dir): an ECDSA
// P-256 key and a certificate for `dns_names` and `ips`, valid from an hour ago for
// `validity`. Scrapers cannot verify it (there is no CA to trust), so they skip
// verification and rely on the bearer-token check instead; mount a certificate (cert-manager,
// --metrics-cert-dir) to let them verify. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/status.h"

namespace nca::metrics {

struct PemPair {
  std::string cert_pem;
  std::string key_pem;
};

Result<PemPair> generate_self_signed(const std::vector<std::string>& dns_names,
                                     const std::vector<std::string>& ips,
                                     std::chrono::hours validity = std::chrono::hours(24 * 365));

}  // namespace nca::metrics

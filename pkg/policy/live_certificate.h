// LiveCertificateSource: the seam through which the policy reads the certificate a Node's
// kubelet serves now (serving.renewalFromLiveCertificate). Implementations dial the kubelet
// off the worker threads, verify the chain against the kubelet-serving CA bundle and cache
// the result per node; a fetch never blocks. When nothing is known yet it returns kPending
// and remembers `waiter` (the CSR's name), whose owner is told once the probe ends.
// Anything short of a verified certificate is kUnavailable: no evidence, never approval.
// Implementations must be safe to call from the reconciler's worker threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "inventory/machine.h"
#include "x509/parsed_csr.h"

namespace nca::policy {

struct LiveCertificate {
  enum class Status {
    kPresented,    // the kubelet presented a chain that verifies against the CA bundle
    kUnavailable,  // no verified certificate: `error` says why
    kPending,      // the probe is under way: the waiter is told when it ends
  };
  Status status = Status::kUnavailable;
  std::string endpoint;  // "198.51.100.20:10250", for messages
  std::string error;
  // The leaf certificate, when presented.
  std::vector<std::string> common_names;
  std::vector<std::string> dns_names;  // as written in the certificate
  std::vector<x509::IpAddress> ips;
  std::optional<WallTime> not_before;
  std::optional<WallTime> not_after;
};

class LiveCertificateSource {
 public:
  virtual ~LiveCertificateSource() = default;
  // `node` is the Node (source kNode) whose kubelet to ask.
  virtual LiveCertificate fetch(const inventory::Machine& node, std::string_view waiter) const = 0;
};

}  // namespace nca::policy

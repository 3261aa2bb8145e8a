// ParseMemo: each CSR's request parsed (and its signature verified) once, kept by uid. A
// CSR's spec is immutable in the API (updates keep the stored spec), and uids are assigned
// by the API server and never reused, so a uid's parse result never goes stale. CSRs
// without a uid (offline `explain` input) are parsed every time, and one without a request
// (the daemon's cache keeps a request only parsed) is answered its parse error, unkept. Entries
// live until forget() (the cache calls it when a CSR is deleted). Thread-safe; parsing runs outside
// the lock (two threads meeting one new CSR may both parse it; one result is kept).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/status.h"
#include "kube/objects.h"
#include "x509/parsed_csr.h"

namespace nca::approver {

using ParsedPtr = std::shared_ptr<const Result<x509::ParsedCsr>>;

// parse_csr_pem of the CSR's request, as a shared result.
ParsedPtr parse_request(const kube::CertificateSigningRequest& csr);

class ParseMemo {
 public:
  ParsedPtr get(const kube::CertificateSigningRequest& csr);
  void forget(const std::string& uid);
  std::size_t size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, ParsedPtr> by_uid_;
};

}  // namespace nca::approver

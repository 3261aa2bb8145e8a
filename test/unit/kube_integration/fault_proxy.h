// FaultProxy: runs test/tools/fault_proxy.py between a test's client and the API server
// (loopback only) and switches its mode: pass, pause, delay MS, reset, http CODE FILE.
// It answers injected HTTP errors over TLS with a self-signed certificate for 127.0.0.1,
// which config() adds to the trusted roots next to the cluster CA (TLS to the real API
// server passes through end to end). The process is stopped by its pid in the destructor.
// Not thread-safe; one test at a time.
#pragma once

#include <sys/types.h>

#include <string>

#include "kube/client_config.h"

namespace nca::kube::testing {

class FaultProxy {
 public:
  // Fronts `upstream` (an admin config); REQUIREs that the proxy starts.
  explicit FaultProxy(const ClientConfig& upstream);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // `upstream` pointed at the proxy, trusting the proxy's own certificate too.
  ClientConfig config() const { return config_; }
  // "pass", "pause", "delay 200", "reset", "http 410", or answer(code, body).
  void set_mode(const std::string& mode);
  // New connections get HTTP `code` with `body` (then the connection closes).
  void answer(int code, const std::string& body);
  // Connections accepted so far.
  int accepted() const;

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int answers_ = 0;
  ClientConfig config_;
};

}  // namespace nca::kube::testing

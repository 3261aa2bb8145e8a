// AresBackend: DnsBackend on c-ares, with one event-loop thread of its own (the c-ares
// channel is not thread-safe, so every c-ares call happens there). Queries are queued from
// any thread and answered on the loop thread. Servers from the config, or the system's
// resolv.conf; DNS only (no hosts file: the evidence is what DNS says).
#pragma once

#include <memory>

#include "base/status.h"
#include "dns/backend.h"
#include "policy/config.h"

namespace nca::dns {

class AresBackend final : public DnsBackend {
 public:
  // Invalid when c-ares refuses the settings (e.g. a server it cannot parse).
  static Result<std::shared_ptr<AresBackend>> create(const policy::DnsConfig& config);
  ~AresBackend() override;  // stops the loop; queries still open are never answered
  AresBackend(const AresBackend&) = delete;
  AresBackend& operator=(const AresBackend&) = delete;

  void resolve(const std::string& name, Callback done) override;
  void reverse(const x509::IpAddress& ip, Callback done) override;

 private:
  struct Impl;
  explicit AresBackend(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nca::dns

// EventSink: where AsyncRecorder sends Events (the seam a test fakes). ApiEventSink is the
// Kubernetes API implementation. Implementations are called from one thread at a time.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "kube/client.h"

namespace nca::events {

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual Status create(const std::string& ns, const nlohmann::json& event) = 0;
  // Merge patch of an existing Event; NotFound when it is gone.
  virtual Status patch(const std::string& ns, const std::string& name,
                       const nlohmann::json& patch) = 0;
};

// core/v1 Events through the API client.
class ApiEventSink final : public EventSink {
 public:
  explicit ApiEventSink(std::shared_ptr<kube::ApiClient> client) : client_(std::move(client)) {}
  Status create(const std::string& ns, const nlohmann::json& event) override;
  Status patch(const std::string& ns, const std::string& name,
               const nlohmann::json& patch) override;

 private:
  std::shared_ptr<kube::ApiClient> client_;
};

}  // namespace nca::events

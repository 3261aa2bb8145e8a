#include "events/event_sink.h"

namespace nca::events {

Status ApiEventSink::create(const std::string& ns, const nlohmann::json& event) {
  return client_->create(kube::resources::events(), ns, event).status();
}

Status ApiEventSink::patch(const std::string& ns, const std::string& name,
                           const nlohmann::json& patch) {
  return client_->patch(kube::resources::events(), ns, name, kube::PatchType::kMerge, patch)
      .status();
}

}  // namespace nca::events

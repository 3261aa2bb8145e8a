// An in-memory EventSink: Events by namespace/name, every call recorded, NotFound for a
// PATCH of an Event it does not hold (as the API server answers).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "events/event_sink.h"

namespace nca::events::testing {

class FakeSink : public EventSink {
 public:
  Status create(const std::string& ns, const nlohmann::json& event) override {
    std::lock_guard lock(mu);
    calls.push_back("create");
    const std::string key = ns + "/" + event["metadata"]["name"].get<std::string>();
    if (events.count(key)) return Status(Code::kConflict, "AlreadyExists");
    events[key] = event;
    return Status::ok();
  }
  Status patch(const std::string& ns, const std::string& name,
               const nlohmann::json& patch) override {
    std::lock_guard lock(mu);
    calls.push_back("patch");
    auto it = events.find(ns + "/" + name);
    if (it == events.end()) return Status(Code::kNotFound, "not found");
    it->second.merge_patch(patch);
    return Status::ok();
  }
  std::mutex mu;
  std::vector<std::string> calls;
  std::map<std::string, nlohmann::json> events;
};

}  // namespace nca::events::testing

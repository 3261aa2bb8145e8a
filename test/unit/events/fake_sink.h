// An in-memory EventSink: Events by namespace/name, every call recorded, NotFound for a
// PATCH of an Event it does not hold (as the API server answers).
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "events/event_sink.h"

namespace nca::events::testing {

class FakeSink : public EventSink {
 public:
  Status create(const std::string& ns, const nlohmann::json& event) override {
    std::unique_lock lock(mu);
    cv.wait(lock, [this] { return !blocked; });  // a stalled API server, until released
    calls.push_back("create");
    cv.notify_all();
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
  void release() {
    std::lock_guard lock(mu);
    blocked = false;
    cv.notify_all();
  }
  // Waits (deadline, not a sleep) until `n` calls were made.
  bool wait_for_calls(std::size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(30), [&] { return calls.size() >= n; });
  }
  std::mutex mu;
  std::condition_variable cv;
  bool blocked = false;
  std::vector<std::string> calls;
  std::map<std::string, nlohmann::json> events;
};

}  // namespace nca::events::testing

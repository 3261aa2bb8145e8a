// FakeApi: an in-memory ApiClient for daemon tests — objects by path, creates and
// updates recorded (Events are kept in `events`). Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "kube/client.h"

namespace nca::testing {

class FakeApi final : public kube::ApiClient {
 public:
  std::map<std::string, nlohmann::json> objects;  // object path → object
  std::vector<nlohmann::json> events;
  int writes = 0;

  nlohmann::json object_at(const std::string& path) {
    std::lock_guard lock(mu_);
    auto it = objects.find(path);
    return it == objects.end() ? nlohmann::json() : it->second;
  }
  std::vector<std::string> event_reasons() {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.value("reason", ""));
    return out;
  }

  Result<nlohmann::json> get(const kube::Resource& r, const std::string& ns,
                             const std::string& name) override {
    std::lock_guard lock(mu_);
    auto it = objects.find(r.object_path(ns, name));
    if (it == objects.end()) return not_found(name + " not found");
    return it->second;
  }
  Result<kube::ListPage> list(const kube::Resource&, const std::string&,
                              const kube::ListOptions&) override {
    return internal_error("not used");
  }
  Result<nlohmann::json> create(const kube::Resource& r, const std::string& ns,
                                const nlohmann::json& body) override {
    std::lock_guard lock(mu_);
    ++writes;
    if (r.resource == "events") {
      events.push_back(body);
      return body;
    }
    const std::string path = r.object_path(ns, body["metadata"].value("name", ""));
    if (objects.count(path)) return Status(Code::kAlreadyExists, "exists");
    nlohmann::json stored = body;
    stored["metadata"]["resourceVersion"] = std::to_string(++rv_);
    objects[path] = stored;
    return stored;
  }
  Result<nlohmann::json> update(const kube::Resource& r, const std::string& ns,
                                const std::string& name, const nlohmann::json& body,
                                const std::string&) override {
    std::lock_guard lock(mu_);
    ++writes;
    const std::string path = r.object_path(ns, name);
    auto it = objects.find(path);
    if (it == objects.end()) return not_found(name);
    if (body["metadata"].value("resourceVersion", "") !=
        it->second["metadata"].value("resourceVersion", "")) {
      return Status(Code::kConflict, "conflict");
    }
    nlohmann::json stored = body;
    stored["metadata"]["resourceVersion"] = std::to_string(++rv_);
    it->second = stored;
    return stored;
  }
  // Only what the approver patches: a merge patch of a CSR's /approval, conditional on
  // the metadata.resourceVersion (and uid) it carries, replacing status.conditions.
  Result<nlohmann::json> patch(const kube::Resource& r, const std::string& ns,
                               const std::string& name, kube::PatchType type,
                               const nlohmann::json& patch,
                               const std::string& subresource) override {
    if (type != kube::PatchType::kMerge || subresource != "approval") {
      return internal_error("not used");
    }
    std::lock_guard lock(mu_);
    ++writes;
    auto it = objects.find(r.object_path(ns, name));
    if (it == objects.end()) return not_found(name);
    const auto& meta = patch.at("metadata");
    if (meta.value("resourceVersion", "") != it->second["metadata"].value("resourceVersion", "") ||
        meta.value("uid", "") != it->second["metadata"].value("uid", "")) {
      return Status(Code::kConflict, "conflict");
    }
    it->second["status"]["conditions"] = patch.at("status").at("conditions");
    it->second["metadata"]["resourceVersion"] = std::to_string(++rv_);
    return it->second;
  }
  Status remove(const kube::Resource&, const std::string&, const std::string&) override {
    return internal_error("not used");
  }
  Result<bool> has_resource(const std::string&, const std::string&, const std::string&) override {
    return false;
  }

  // Bounded calls: the timeout each was given is recorded (in `timeouts`, with the verb in
  // `bounded`); `on_bounded(verb)` runs first, outside the lock (e.g. to advance a fake
  // clock, or to let another writer change an object before this update lands).
  std::vector<std::chrono::milliseconds> timeouts;
  std::vector<std::string> bounded;
  std::function<void(const std::string& verb)> on_bounded;
  Result<nlohmann::json> get_within(const kube::Resource& r, const std::string& ns,
                                    const std::string& name,
                                    std::chrono::milliseconds timeout) override {
    note_bounded("GET", timeout);
    return get(r, ns, name);
  }
  Result<nlohmann::json> patch_within(const kube::Resource& r, const std::string& ns,
                                      const std::string& name, kube::PatchType type,
                                      const nlohmann::json& body, const std::string& subresource,
                                      std::chrono::milliseconds timeout) override {
    note_bounded("PATCH", timeout);
    return patch(r, ns, name, type, body, subresource);
  }
  // Replaces a stored object as another writer would (new resourceVersion).
  void overwrite(const std::string& path, nlohmann::json object) {
    std::lock_guard lock(mu_);
    object["metadata"]["resourceVersion"] = std::to_string(++rv_);
    objects[path] = std::move(object);
  }

 private:
  void note_bounded(const std::string& verb, std::chrono::milliseconds timeout) {
    if (on_bounded) on_bounded(verb);
    std::lock_guard lock(mu_);
    bounded.push_back(verb);
    timeouts.push_back(timeout);
  }
  std::mutex mu_;
  int rv_ = 100;
};

}  // namespace nca::testing

// Thing: a tiny object type for informer tests, and an event recorder for its handlers.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "cache/informer.h"

namespace nca::testing {

struct Thing {
  struct {
    std::string name;
    std::string resource_version;
  } metadata;
  std::string value;
};

// value "bad" does not decode: stands for a malformed object.
inline Result<Thing> decode_thing(const nlohmann::json& j) {
  Thing t;
  t.metadata.name = j.at("metadata").value("name", "");
  t.metadata.resource_version = j.at("metadata").value("resourceVersion", "");
  t.value = j.value("value", "");
  if (t.value == "bad") return invalid("bad thing");
  return t;
}

// Records handler calls as strings: "add a@1", "update a@1->a@2", "delete a@1 tombstone".
class Recorder {
 public:
  cache::EventHandlers<Thing> handlers() {
    cache::EventHandlers<Thing> h;
    h.on_add = [this](const auto& t) { push("add " + id(*t)); };
    h.on_update = [this](const auto& o, const auto& n) {
      push("update " + id(*o) + "->" + id(*n));
    };
    h.on_delete = [this](const auto& t, bool tombstone) {
      push("delete " + id(*t) + (tombstone ? " tombstone" : ""));
    };
    return h;
  }
  std::vector<std::string> take() {
    std::lock_guard lock(mu_);
    return std::exchange(events_, {});
  }

 private:
  static std::string id(const Thing& t) {
    return t.metadata.name + "@" + t.metadata.resource_version;
  }
  void push(std::string e) {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(e));
  }
  std::mutex mu_;
  std::vector<std::string> events_;
};

}  // namespace nca::testing

// FakeListWatcher: a scripted stand-in for the API server's list and watch.
//
// list() serves the current `objects` (sorted by key) in pages of ListOptions::limit,
// with continue tokens, all at `list_rv`; the next N lists can be made to fail. Each
// watch() takes the next scripted WatchScript (events, then the status it ends with); with
// no script queued it holds the watch open until one is pushed or the caller stops, like
// a quiet server. Calls are recorded. Thread-safe; the wait_* helpers block in real time,
// bounded, for a test to meet the reflector thread (never a fixed sleep).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

#include "kube/list_watch.h"

namespace nca::testing {

struct WatchScript {
  std::vector<kube::WatchEvent> events;
  Status end;           // OK: normal end; Gone: 410; other: error
  bool opened = false;  // the server accepted the watch (implied by events)
};

inline nlohmann::json object(const std::string& name, const std::string& rv,
                             const std::string& value = "", const std::string& ns = "") {
  nlohmann::json o = {{"metadata", {{"name", name}, {"resourceVersion", rv}}}, {"value", value}};
  if (!ns.empty()) o["metadata"]["namespace"] = ns;
  return o;
}

inline kube::WatchEvent event(kube::WatchEvent::Type type, nlohmann::json obj) {
  return kube::WatchEvent{type, std::move(obj)};
}

inline kube::WatchEvent bookmark(const std::string& rv) {
  return event(kube::WatchEvent::Type::kBookmark, {{"metadata", {{"resourceVersion", rv}}}});
}

class FakeListWatcher final : public kube::ListWatcher {
 public:
  // The server's collection, by key.
  void set_objects(std::vector<nlohmann::json> objects, std::string list_rv) {
    std::lock_guard lock(mu_);
    objects_.clear();
    for (auto& o : objects) {
      std::string key = o["metadata"].value("name", "");
      objects_[key] = std::move(o);
    }
    list_rv_ = std::move(list_rv);
  }
  void fail_lists(int n, Status status) {
    std::lock_guard lock(mu_);
    list_failures_ = n;
    list_failure_ = std::move(status);
  }
  void push_watch(WatchScript script) {
    std::lock_guard lock(mu_);
    scripts_.push_back(std::move(script));
    cv_.notify_all();
  }

  std::vector<kube::ListOptions> list_calls() const {
    std::lock_guard lock(mu_);
    return list_calls_;
  }
  std::vector<kube::WatchOptions> watch_calls() const {
    std::lock_guard lock(mu_);
    return watch_calls_;
  }
  bool wait_for_watch_calls(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return watch_calls_.size() >= n; });
  }
  bool wait_for_list_calls(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return list_calls_.size() >= n; });
  }
  // True once the reflector is inside watch() number n with no script left to play:
  // every earlier event has been handed to the sink.
  bool wait_for_idle_watch(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return idle_watches_ >= n; });
  }

  Result<kube::ListPage> list(const kube::ListOptions& options) override {
    std::lock_guard lock(mu_);
    list_calls_.push_back(options);
    cv_.notify_all();
    if (list_failures_ > 0) {
      --list_failures_;
      return list_failure_;
    }
    std::size_t start = options.continue_token.empty() ? 0 : std::stoul(options.continue_token);
    std::size_t limit = options.limit > 0 ? static_cast<std::size_t>(options.limit) : SIZE_MAX;
    kube::ListPage page;
    page.resource_version = list_rv_;
    std::size_t i = 0;
    for (const auto& [key, obj] : objects_) {
      if (i >= start && page.items.size() < limit) page.items.push_back(obj);
      ++i;
    }
    if (start + page.items.size() < objects_.size()) {
      page.continue_token = std::to_string(start + page.items.size());
    }
    return page;
  }

  Status watch(const kube::WatchOptions& options,
               const std::function<void(kube::WatchEvent&&)>& on_event,
               std::stop_token stop) override {
    WatchScript script;
    bool held_open = false;  // a quiet watch: the server accepted it
    {
      std::unique_lock lock(mu_);
      watch_calls_.push_back(options);
      const std::size_t number = watch_calls_.size();
      cv_.notify_all();
      if (scripts_.empty()) {
        held_open = true;  // accepted before the test sees it idle
        if (options.on_established) options.on_established();
        idle_watches_ = number;
        cv_.notify_all();
      }
      std::condition_variable_any& cv = cv_;
      cv.wait(lock, stop, [&] { return !scripts_.empty(); });
      if (scripts_.empty()) return Status::ok();  // stopped
      script = std::move(scripts_.front());
      scripts_.pop_front();
    }
    if (options.on_established && !held_open && (script.opened || !script.events.empty())) {
      options.on_established();
    }
    for (auto ev : script.events) on_event(std::move(ev));  // the caller may move from it
    return script.end;
  }

 private:
  static constexpr std::chrono::seconds kWait{10};
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  std::map<std::string, nlohmann::json> objects_;
  std::string list_rv_ = "1";
  int list_failures_ = 0;
  Status list_failure_;
  std::deque<WatchScript> scripts_;
  std::vector<kube::ListOptions> list_calls_;
  std::vector<kube::WatchOptions> watch_calls_;
  std::size_t idle_watches_ = 0;
};

}  // namespace nca::testing

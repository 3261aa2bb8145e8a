// Pagination and watch against a real API server (issue 3, test 6 and the watch contract).
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "fault_proxy.h"
#include "kube/rest_list_watcher.h"
#include "test_cluster.h"

using namespace nca::kube;
using namespace nca::kube::testing;
using namespace std::chrono_literals;
using nca::Code;
using nlohmann::json;

namespace {

json configmap(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}}},
          {"data", {{"k", "v"}}}};
}

// Events seen by a watch running on another thread.
struct Recorder {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<WatchEvent> events;
  void add(const WatchEvent& ev) {
    std::lock_guard lock(mu);
    events.push_back(ev);
    cv.notify_all();
  }
  bool wait_for(const std::function<bool(const std::vector<WatchEvent>&)>& pred,
                std::chrono::seconds limit) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, limit, [&] { return pred(events); });
  }
};

bool has(const std::vector<WatchEvent>& events, WatchEvent::Type type, const std::string& name) {
  for (const auto& ev : events) {
    if (ev.type == type && ev.object["metadata"].value("name", "") == name) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("listing 1,200 ConfigMaps with limit=500 returns each exactly once") {
  auto client = admin_client();
  ScopedNamespace ns(client);
  auto cms = resources::configmaps();
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = t; i < 1200; i += 4) {
        if (!client->create(cms, ns.name, configmap("cm-" + std::to_string(i)))) ++failures;
      }
    });
  }
  for (auto& w : writers) w.join();
  REQUIRE(failures == 0);

  ListOptions options;
  options.limit = 500;
  int pages = 0;
  std::multiset<std::string> names;
  std::string first_rv;
  while (true) {
    auto page = client->list(cms, ns.name, options);
    INFO(page.status().to_string());
    REQUIRE(page);
    ++pages;
    CHECK(page->items.size() <= 500);
    if (pages == 1) first_rv = page->resource_version;
    for (const auto& item : page->items) names.insert(item["metadata"]["name"].get<std::string>());
    if (page->continue_token.empty()) break;
    options.continue_token = page->continue_token;
  }
  CHECK(pages == 3);
  CHECK(names.size() == 1200);
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == 1200);

  auto all = list_all(*client, cms, ns.name, ListOptions{});
  REQUIRE(all);
  CHECK(all->items.size() == 1200);
  CHECK_FALSE(all->resource_version.empty());
}

TEST_CASE("a watch sees ADDED, MODIFIED, DELETED, then ends normally at timeoutSeconds") {
  auto client = admin_client();
  ScopedNamespace ns(client);
  RestListWatcher lw(client, resources::configmaps(), ns.name);
  auto listed = lw.list(ListOptions{});
  REQUIRE(listed);
  CHECK(lw.watch_path(WatchOptions{}).find("watch=1&allowWatchBookmarks=true") !=
        std::string::npos);

  Recorder rec;
  WatchOptions options;
  options.resource_version = listed->resource_version;
  options.timeout_seconds = 6;
  nca::Status result(Code::kInternal, "not finished");
  auto started = std::chrono::steady_clock::now();
  std::jthread watcher([&](std::stop_token stop) {
    result = lw.watch(
        options, [&](const WatchEvent& ev) { rec.add(ev); }, stop);
  });

  auto cms = resources::configmaps();
  auto created = client->create(cms, ns.name, configmap("w1"));
  REQUIRE(created);
  json changed = *created;
  changed["data"]["k"] = "v2";
  REQUIRE(client->update(cms, ns.name, "w1", changed));
  REQUIRE(client->remove(cms, ns.name, "w1").is_ok());

  CHECK(rec.wait_for([](const auto& evs) { return has(evs, WatchEvent::Type::kDeleted, "w1"); },
                     20s));
  watcher.join();  // the server ends the watch after timeoutSeconds
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(result.is_ok());
  INFO(result.to_string());
  CHECK(took < 20s);
  std::lock_guard lock(rec.mu);
  CHECK(has(rec.events, WatchEvent::Type::kAdded, "w1"));
  CHECK(has(rec.events, WatchEvent::Type::kModified, "w1"));
}

TEST_CASE("a watch from no resourceVersion sends the current state, then a bookmark") {
  auto client = admin_client();
  ScopedNamespace ns(client);
  REQUIRE(client->create(resources::configmaps(), ns.name, configmap("existing")));
  RestListWatcher lw(client, resources::configmaps(), ns.name);
  Recorder rec;
  WatchOptions options;  // resource_version "": start from the current state
  options.timeout_seconds = 60;
  nca::Status result(Code::kInternal, "not finished");
  std::jthread watcher([&](std::stop_token stop) {
    result = lw.watch(
        options, [&](const WatchEvent& ev) { rec.add(ev); }, stop);
  });
  auto bookmarked = [](const std::vector<WatchEvent>& evs) {
    for (const auto& ev : evs) {
      if (ev.type == WatchEvent::Type::kBookmark) return true;
    }
    return false;
  };
  CHECK(rec.wait_for(bookmarked, 20s));
  watcher.request_stop();
  watcher.join();
  CHECK(result.is_ok());
  std::lock_guard lock(rec.mu);
  REQUIRE_FALSE(rec.events.empty());
  CHECK(has(rec.events, WatchEvent::Type::kAdded, "existing"));
  const WatchEvent& last = rec.events.back();
  CHECK(last.type == WatchEvent::Type::kBookmark);
  CHECK_FALSE(last.object["metadata"].value("resourceVersion", "").empty());
}

TEST_CASE("stopping a quiet watch returns promptly with OK") {
  auto client = admin_client();
  ScopedNamespace ns(client);
  RestListWatcher lw(client, resources::configmaps(), ns.name);
  auto listed = lw.list(ListOptions{});
  REQUIRE(listed);
  Recorder rec;
  WatchOptions options;
  options.resource_version = listed->resource_version;
  options.timeout_seconds = 300;
  nca::Status result(Code::kInternal, "not finished");
  std::jthread watcher([&](std::stop_token stop) {
    result = lw.watch(
        options, [&](const WatchEvent& ev) { rec.add(ev); }, stop);
  });
  REQUIRE(client->create(resources::configmaps(), ns.name, configmap("q1")));
  REQUIRE(
      rec.wait_for([](const auto& evs) { return has(evs, WatchEvent::Type::kAdded, "q1"); }, 20s));
  auto asked = std::chrono::steady_clock::now();
  watcher.request_stop();
  watcher.join();
  CHECK(std::chrono::steady_clock::now() - asked < 5s);
  CHECK(result.is_ok());
}

TEST_CASE("a watch on a missing resource is a typed error, not a hang") {
  auto client = admin_client();
  RestListWatcher lw(client, Resource{"example.com", "v1", "nothings", false});
  std::stop_source stop;
  nca::Status s = lw.watch(
      WatchOptions{}, [](const WatchEvent&) {}, stop.get_token());
  CHECK(s.code() == Code::kNotFound);
  CHECK(lw.list(ListOptions{}).status().code() == Code::kNotFound);
}

// kube-apiserver 1.36 does not reliably answer a watch from resourceVersion "1" with a 410
// (it may serve it from its watch cache), so the answer is made deterministic: the fault
// proxy gives the watch exactly what the API server sends for a version older than its
// watch cache (200, then an ERROR event with a 410 Status), and then a bare HTTP 410.
TEST_CASE("a watch from a resourceVersion older than the watch cache ends with Gone",
          "[watch-cache]") {
  FaultProxy proxy(admin_config());
  auto client = client_for(proxy.config());
  RestListWatcher lw(client, resources::configmaps());
  REQUIRE(lw.list(ListOptions{}).is_ok());  // through the proxy, to the real API server

  proxy.answer(200,
               R"x({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},)x"
               R"x("status":"Failure","message":"too old resource version: 1 (5804)",)x"
               R"x("reason":"Expired","code":410}})x"
               "\n");
  WatchOptions options;
  options.resource_version = "1";  // long before the API server started caching
  options.timeout_seconds = 10;
  std::stop_source stop;
  int events = 0;
  nca::Status s = lw.watch(
      options, [&](const WatchEvent&) { ++events; }, stop.get_token());
  INFO(s.to_string());
  CHECK(s.code() == Code::kGone);
  CHECK_THAT(s.message(), Catch::Contains("too old resource version"));
  CHECK(events == 0);

  proxy.answer(410, R"x({"kind":"Status","apiVersion":"v1","status":"Failure",)x"
                    R"x("message":"too old resource version: 1 (5804)","reason":"Expired",)x"
                    R"x("code":410})x");
  s = lw.watch(
      options, [&](const WatchEvent&) { ++events; }, stop.get_token());
  CHECK(s.code() == Code::kGone);
  CHECK(events == 0);

  proxy.set_mode("pass");  // and the real server again
  auto again = lw.list(ListOptions{});
  if (!again) again = lw.list(ListOptions{});  // the pooled connection was reset once
  INFO(again.status().to_string());
  CHECK(again.is_ok());
}

TEST_CASE("a watch answered 'Too large resource version' is a typed error, not a hang",
          "[watch-cache]") {
  // What kube-apiserver answers when the client's version is ahead of its own (etcd
  // restored from a backup); the reflector relists on it.
  FaultProxy proxy(admin_config());
  auto client = client_for(proxy.config());
  RestListWatcher lw(client, resources::configmaps());
  proxy.answer(504,
               R"x({"kind":"Status","apiVersion":"v1","status":"Failure",)x"
               R"x("message":"Timeout: Too large resource version: 99999999, current: 512",)x"
               R"x("reason":"Timeout","details":{"causes":[{"reason":"ResourceVersionTooLarge",)x"
               R"x("message":"Too large resource version"}],"retryAfterSeconds":1},"code":504})x");
  WatchOptions options;
  options.resource_version = "99999999";
  std::stop_source stop;
  nca::Status s = lw.watch(
      options, [](const WatchEvent&) {}, stop.get_token());
  INFO(s.to_string());
  CHECK(s.code() == Code::kTimeout);
  CHECK_THAT(s.message(), Catch::Contains("Too large resource version"));
}

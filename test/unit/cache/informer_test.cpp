#include "cache/informer.h"

#include <catch2/catch.hpp>

#include "base/fake_clock.h"
#include "fake_list_watcher.h"
#include "thing.h"

using namespace std::chrono_literals;
using namespace nca::testing;
using nca::cache::Informer;
using Type = nca::kube::WatchEvent::Type;
using Strings = std::vector<std::string>;

namespace {

struct Fixture {
  std::shared_ptr<nca::FakeClock> clock = std::make_shared<nca::FakeClock>();
  std::shared_ptr<FakeListWatcher> lw = std::make_shared<FakeListWatcher>();
  Recorder rec;

  nca::cache::ReflectorOptions options() {
    nca::cache::ReflectorOptions o;
    o.name = "things";
    o.page_size = 2;
    o.clock = clock;
    o.random = [] { return 0.0; };
    o.initial_backoff = 1s;
    o.max_backoff = 4s;
    return o;
  }
  std::unique_ptr<Informer<Thing>> informer() {
    auto inf = std::make_unique<Informer<Thing>>(lw, decode_thing, options());
    REQUIRE(inf->add_event_handlers(rec.handlers()).is_ok());
    REQUIRE(inf->add_index("value", [](const Thing& t) { return Strings{t.value}; }).is_ok());
    return inf;
  }
};

Strings keys_of(const nca::cache::Lister<Thing>& lister) {
  Strings out;
  for (const auto& t : lister.list())
    out.push_back(t->metadata.name + "@" + t->metadata.resource_version);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("Informer lists page by page, delivers adds, then watches from the list version") {
  Fixture f;
  f.lw->set_objects({object("a", "1", "x"), object("b", "2", "y"), object("c", "3", "x"),
                     object("d", "4"), object("e", "5")},
                    "10");
  auto inf = f.informer();
  CHECK_FALSE(inf->has_synced());
  inf->start();
  std::stop_source never;
  REQUIRE(inf->wait_for_sync(never.get_token()));
  REQUIRE(f.lw->wait_for_idle_watch(1));

  auto lists = f.lw->list_calls();
  REQUIRE(lists.size() == 3);
  CHECK(lists[0].limit == 2);
  CHECK(lists[0].continue_token.empty());
  CHECK(lists[1].continue_token == "2");
  CHECK(lists[2].continue_token == "4");
  CHECK(f.rec.take() == Strings{"add a@1", "add b@2", "add c@3", "add d@4", "add e@5"});
  CHECK(inf->lister().size() == 5);
  CHECK(inf->lister().by_index("value", "x")->size() == 2);

  auto watches = f.lw->watch_calls();
  CHECK(watches[0].resource_version == "10");
  CHECK(watches[0].allow_bookmarks);
  CHECK(watches[0].timeout_seconds == 300);
  CHECK(inf->stats().lists == 1);
}

TEST_CASE("Informer applies watch events and resumes from the last version, bookmarks too") {
  Fixture f;
  f.lw->set_objects({object("a", "1"), object("b", "2")}, "10");
  f.lw->push_watch(
      {{event(Type::kAdded, object("c", "11")), event(Type::kModified, object("a", "12", "new")),
        event(Type::kModified, object("a", "12", "new")),  // same version: no event
        event(Type::kDeleted, object("b", "13")), bookmark("20")},
       nca::Status::ok()});
  f.lw->push_watch({{event(Type::kAdded, object("d", "21"))}, nca::Status::ok()});
  auto inf = f.informer();
  inf->start();
  REQUIRE(f.lw->wait_for_idle_watch(3));

  CHECK(f.rec.take() ==
        Strings{"add a@1", "add b@2", "add c@11", "update a@1->a@12", "delete b@13", "add d@21"});
  auto watches = f.lw->watch_calls();
  REQUIRE(watches.size() == 3);
  CHECK(watches[0].resource_version == "10");
  CHECK(watches[1].resource_version == "20");  // the bookmark's
  CHECK(watches[2].resource_version == "21");
  CHECK(keys_of(inf->lister()) == Strings{"a@12", "c@11", "d@21"});
  CHECK(inf->lister().get("a")->value == "new");
  auto st = inf->stats();
  CHECK(st.watch_restarts == 2);
  CHECK(st.watch_errors == 0);
  CHECK(st.lists == 1);
  CHECK(st.events == 6);
  CHECK(f.clock->pending_timers() == 0);  // normal ends re-watch without backoff
}

TEST_CASE("Informer relists on 410 and delivers deletes it missed as tombstones") {
  Fixture f;
  f.lw->set_objects({object("a", "1"), object("b", "2"), object("c", "3")}, "10");
  auto inf = f.informer();
  inf->start();
  REQUIRE(f.lw->wait_for_idle_watch(1));
  CHECK(f.rec.take().size() == 3);

  // While the watch was down: c deleted, b changed, d created; history compacted.
  f.lw->set_objects({object("a", "1"), object("b", "25"), object("d", "26")}, "30");
  f.lw->push_watch({{}, nca::Status(nca::Code::kGone, "too old resource version")});
  REQUIRE(f.lw->wait_for_idle_watch(2));

  CHECK(f.rec.take() == Strings{"delete c@3 tombstone", "update b@2->b@25", "add d@26"});
  CHECK(keys_of(inf->lister()) == Strings{"a@1", "b@25", "d@26"});
  CHECK(f.lw->list_calls().size() == 4);  // 2 pages, twice
  CHECK(f.lw->watch_calls()[1].resource_version == "30");
  auto st = inf->stats();
  CHECK(st.relists_gone == 1);
  CHECK(st.lists == 2);
  CHECK(st.watch_errors == 0);
  CHECK(f.clock->pending_timers() == 0);  // a relist needs no backoff
}

TEST_CASE("Informer skips objects that do not decode and keeps going") {
  Fixture f;
  f.lw->set_objects({object("a", "1"), object("b", "2", "bad"),
                     nlohmann::json{{"metadata", {{"resourceVersion", "3"}}}}},
                    "10");
  f.lw->push_watch({{event(Type::kAdded, object("c", "11", "bad")),
                     event(Type::kAdded, nlohmann::json{{"metadata", {{"resourceVersion", "12"}}}}),
                     event(Type::kAdded, object("d", "13"))},
                    nca::Status::ok()});
  auto inf = f.informer();
  inf->start();
  REQUIRE(f.lw->wait_for_idle_watch(2));
  CHECK(f.rec.take() == Strings{"add a@1", "add d@13"});
  CHECK(inf->stats().decode_errors == 4);
  CHECK(f.lw->watch_calls()[1].resource_version == "13");
}

TEST_CASE("A relist keeps the cached version of an object that no longer decodes") {
  // Fails on the old informer, which dropped it (a tombstone delete): a Node that vanished
  // from the cache that way made "no such Node" checks pass for its name.
  Fixture f;
  f.lw->set_objects({object("a", "1"), object("b", "2")}, "10");
  auto inf = f.informer();
  inf->start();
  REQUIRE(f.lw->wait_for_idle_watch(1));
  CHECK(f.rec.take().size() == 2);

  f.lw->set_objects({object("a", "5", "bad"), object("b", "6", "bad")}, "30");
  f.lw->push_watch({{}, nca::Status(nca::Code::kGone, "too old resource version")});
  REQUIRE(f.lw->wait_for_idle_watch(2));
  CHECK(f.rec.take().empty());
  CHECK(keys_of(inf->lister()) == Strings{"a@1", "b@2"});
  CHECK(inf->stats().decode_errors == 2);

  // Deleted for real (no longer listed): now it goes.
  f.lw->set_objects({object("b", "7")}, "40");
  f.lw->push_watch({{}, nca::Status(nca::Code::kGone, "too old resource version")});
  REQUIRE(f.lw->wait_for_idle_watch(3));
  CHECK(f.rec.take() == Strings{"delete a@1 tombstone", "update b@2->b@7"});
}

TEST_CASE("A watch that moves past an unreadable object resumes after it") {
  Fixture f;
  f.lw->set_objects({}, "10");
  f.lw->push_watch({{event(Type::kAdded, object("c", "11", "bad"))}, nca::Status::ok()});
  auto inf = f.informer();
  inf->start();
  REQUIRE(f.lw->wait_for_idle_watch(2));
  CHECK(f.lw->watch_calls()[1].resource_version == "11");
  CHECK(inf->lister().size() == 0);
}

TEST_CASE("Informer refuses handlers and indexes after start, and survives a throwing handler") {
  Fixture f;
  f.lw->set_objects({object("a", "1"), object("b", "2")}, "10");
  auto inf = std::make_unique<Informer<Thing>>(f.lw, decode_thing, f.options());
  nca::cache::EventHandlers<Thing> thrower;
  thrower.on_add = [](const auto&) { throw std::runtime_error("boom"); };
  REQUIRE(inf->add_event_handlers(thrower).is_ok());
  REQUIRE(inf->add_event_handlers(f.rec.handlers()).is_ok());
  inf->start();
  CHECK(inf->add_event_handlers(f.rec.handlers()).code() == nca::Code::kInvalid);
  CHECK(inf->add_index("x", [](const Thing&) { return Strings{}; }).code() == nca::Code::kInvalid);
  REQUIRE(f.lw->wait_for_idle_watch(1));
  CHECK(f.rec.take() == Strings{"add a@1", "add b@2"});
}

TEST_CASE("Informer stops promptly while its watch is open and lister outlives it") {
  Fixture f;
  f.lw->set_objects({object("a", "1")}, "10");
  auto inf = f.informer();
  inf->start();
  REQUIRE(f.lw->wait_for_idle_watch(1));
  auto lister = inf->lister();
  inf->stop();
  inf.reset();
  CHECK(lister.get("a")->metadata.resource_version == "1");
}

namespace {

// Serves the fake's pages, and before each page after the first records how many objects
// the informer had decoded and how many the earlier pages held; its list call number
// `fail_call` (1-based) fails once.
class PageWatcher final : public nca::kube::ListWatcher {
 public:
  PageWatcher(std::shared_ptr<FakeListWatcher> inner, std::atomic<int>& decoded)
      : inner_(std::move(inner)), decoded_(decoded) {}
  int fail_call = 0;
  std::vector<std::pair<int, int>> checks;  // (decoded, served before), per later page

  nca::Result<nca::kube::ListPage> list(const nca::kube::ListOptions& o) override {
    ++calls_;
    if (o.continue_token.empty()) {
      served_ = 0;
    } else {
      checks.emplace_back(decoded_.load() - decoded_at_start_, served_);
    }
    if (o.continue_token.empty()) decoded_at_start_ = decoded_.load();
    if (calls_ == fail_call) return nca::Status(nca::Code::kUnavailable, "connection reset");
    auto page = inner_->list(o);
    if (page) served_ += static_cast<int>(page->items.size());
    return page;
  }
  nca::Status watch(const nca::kube::WatchOptions& o,
                    const std::function<void(nca::kube::WatchEvent&&)>& on_event,
                    std::stop_token stop) override {
    return inner_->watch(o, on_event, stop);
  }

 private:
  std::shared_ptr<FakeListWatcher> inner_;
  std::atomic<int>& decoded_;
  int calls_ = 0, served_ = 0, decoded_at_start_ = 0;
};

}  // namespace

TEST_CASE("Informer decodes each list page before it fetches the next") {
  Fixture f;
  f.lw->set_objects(
      {object("a", "1"), object("b", "2"), object("c", "3"), object("d", "4"), object("e", "5")},
      "10");
  std::atomic<int> decoded{0};
  auto pages = std::make_shared<PageWatcher>(f.lw, decoded);
  Informer<Thing> inf(
      pages,
      [&](const nlohmann::json& j) {
        ++decoded;
        return decode_thing(j);
      },
      f.options());
  REQUIRE(inf.add_event_handlers(f.rec.handlers()).is_ok());
  inf.start();
  std::stop_source never;
  REQUIRE(inf.wait_for_sync(never.get_token()));
  REQUIRE(f.lw->wait_for_idle_watch(1));
  // Pages of 2: before page 2, the 2 of page 1 were decoded; before page 3, all 4.
  CHECK(pages->checks == std::vector<std::pair<int, int>>{{2, 2}, {4, 4}});
  CHECK(f.rec.take() == Strings{"add a@1", "add b@2", "add c@3", "add d@4", "add e@5"});
}

TEST_CASE("A list that fails part way changes nothing; the next one starts over") {
  Fixture f;
  f.lw->set_objects({object("a", "1"), object("b", "2"), object("c", "3")}, "10");
  std::atomic<int> decoded{0};
  auto pages = std::make_shared<PageWatcher>(f.lw, decoded);
  pages->fail_call = 2;  // the first list's second page
  Informer<Thing> inf(pages, decode_thing, f.options());
  REQUIRE(inf.add_event_handlers(f.rec.handlers()).is_ok());
  inf.start();
  REQUIRE(f.clock->wait_for_timers(1, 10s));  // in backoff after the failed page
  CHECK_FALSE(inf.has_synced());
  CHECK(inf.lister().size() == 0);
  CHECK(f.rec.take().empty());
  f.clock->advance(2s);
  std::stop_source never;
  REQUIRE(inf.wait_for_sync(never.get_token()));
  REQUIRE(f.lw->wait_for_idle_watch(1));
  // Page 1 of the failed list is not delivered twice.
  CHECK(f.rec.take() == Strings{"add a@1", "add b@2", "add c@3"});
  CHECK(keys_of(inf.lister()) == Strings{"a@1", "b@2", "c@3"});
}

TEST_CASE("A relist that fails part way keeps the old list; readers never see a mix") {
  Fixture f;
  f.lw->set_objects({object("a", "1"), object("b", "2"), object("c", "3")}, "10");
  std::atomic<int> decoded{0};
  auto pages = std::make_shared<PageWatcher>(f.lw, decoded);
  pages->fail_call = 4;  // the relist's second page
  Informer<Thing> inf(pages, decode_thing, f.options());
  REQUIRE(inf.add_event_handlers(f.rec.handlers()).is_ok());
  inf.start();
  REQUIRE(f.lw->wait_for_idle_watch(1));
  f.rec.take();
  f.lw->set_objects({object("a", "11"), object("d", "12"), object("e", "13")}, "20");
  f.lw->push_watch({{}, nca::Status(nca::Code::kGone, "too old")});
  REQUIRE(f.clock->wait_for_timers(1, 10s));  // relist page 2 failed: backing off
  CHECK(keys_of(inf.lister()) == Strings{"a@1", "b@2", "c@3"});
  CHECK(f.rec.take().empty());
  f.clock->advance(2s);
  REQUIRE(f.lw->wait_for_idle_watch(2));
  CHECK(f.rec.take() == Strings{"delete b@2 tombstone", "delete c@3 tombstone", "update a@1->a@11",
                                "add d@12", "add e@13"});
  CHECK(keys_of(inf.lister()) == Strings{"a@11", "d@12", "e@13"});
}

TEST_CASE("Informer: by the time the first list is delivered, health counts it as a success") {
  // After a failed first list, the successful one was handed to the sink (and the
  // informer said synced) before the reflector recorded the success: for that moment a
  // synced cache reported itself unhealthy (readiness flapped; an integration test saw it).
  Fixture f;
  f.lw->set_objects({object("a", "1")}, "10");
  f.lw->fail_lists(1, nca::Status(nca::Code::kUnavailable, "down"));
  auto inf = std::make_unique<Informer<Thing>>(f.lw, decode_thing, f.options());
  std::optional<bool> healthy_at_add;
  nca::cache::EventHandlers<Thing> handlers;
  handlers.on_add = [&](const auto&) { healthy_at_add = inf->health().healthy; };
  REQUIRE(inf->add_event_handlers(handlers).is_ok());
  inf->start();
  REQUIRE(f.lw->wait_for_list_calls(1));
  std::stop_source never;
  while (!inf->has_synced() && f.lw->list_calls().size() < 2) f.clock->advance(1s);  // backoff
  REQUIRE(inf->wait_for_sync(never.get_token()));
  REQUIRE(healthy_at_add.has_value());
  CHECK(*healthy_at_add);
  CHECK(inf->health().healthy);
  CHECK(inf->stats().list_errors == 1);
}

// AsyncCache: answers that take I/O to get (DNS records, a kubelet's certificate), cached
// per key without ever blocking the caller. get() returns a fresh cached value at once, or
// starts the fetch (once per key, however many callers ask) and returns nothing: the
// caller's `waiter` name is remembered and handed to `notify` when the fetch completes, so
// that the caller can ask again then. A value marked transient (a timeout) is retried with
// exponential backoff by a timer while anyone waits for it; a fresh one is kept for the
// time the fetch gave it. Thread-safe; callbacks may complete on any thread, even after the
// cache is gone (they then do nothing).
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace nca {

template <typename Value>
class AsyncCache {
 public:
  struct Fetched {
    Value value;
    Duration fresh_for{0};   // how long to believe it (ignored when transient)
    bool transient = false;  // a temporary failure: retried with backoff while awaited
  };
  using Done = std::function<void(Fetched)>;
  // Starts the I/O for one key; must call `done` exactly once, on any thread, and must not
  // call it from inside start() itself while holding locks of its own.
  using Start = std::function<void(Done)>;

  struct Options {
    std::shared_ptr<Clock> clock;
    std::function<void(std::vector<std::string>)> notify;  // waiters whose answer arrived
    Duration retry_initial = std::chrono::seconds(1);
    Duration retry_max = std::chrono::seconds(60);
    std::size_t max_entries = 10000;  // expired, unawaited entries are dropped beyond this
  };

  struct Got {
    std::optional<Value> value;  // absent: fetching, the waiter is told when it ends
    Duration remaining{0};       // how much longer the value is believed
    bool hit = false;            // answered from the cache without a fetch
  };

  explicit AsyncCache(Options options) : state_(std::make_shared<State>(std::move(options))) {}
  ~AsyncCache() {
    std::lock_guard lock(state_->mu);
    state_->closed = true;
    for (auto& [key, e] : state_->entries) {
      if (e.retry) state_->options.clock->cancel(*e.retry);
    }
  }
  AsyncCache(const AsyncCache&) = delete;
  AsyncCache& operator=(const AsyncCache&) = delete;

  Got get(const std::string& key, std::string_view waiter, Start start) {
    const std::shared_ptr<State>& s = state_;
    {
      std::lock_guard lock(s->mu);
      Entry& e = s->entries[key];
      const MonoTime now = s->options.clock->now();
      if (e.value && now < e.expires) {
        if (e.transient && !waiter.empty()) e.waiters.insert(std::string(waiter));
        return Got{e.value, e.expires - now, true};
      }
      if (!waiter.empty()) e.waiters.insert(std::string(waiter));
      e.start = std::move(start);
      if (e.in_flight) return Got{};
      e.in_flight = true;
      prune_locked(*s, now);
    }
    begin(s, key);
    return Got{};
  }

  std::size_t size() const {
    std::lock_guard lock(state_->mu);
    return state_->entries.size();
  }

 private:
  struct Entry {
    std::optional<Value> value;
    MonoTime expires{};
    bool transient = false;
    bool in_flight = false;
    int failures = 0;
    std::set<std::string> waiters;
    Start start;
    std::optional<TimerId> retry;
  };
  struct State {
    explicit State(Options o) : options(std::move(o)) {}
    Options options;
    std::mutex mu;
    std::map<std::string, Entry> entries;
    bool closed = false;
  };

  // Runs the entry's fetch outside the lock; its completion lands in finish().
  static void begin(const std::shared_ptr<State>& s, const std::string& key) {
    Start start;
    {
      std::lock_guard lock(s->mu);
      auto it = s->entries.find(key);
      if (it == s->entries.end() || !it->second.start) return;
      start = it->second.start;
    }
    std::weak_ptr<State> weak = s;
    start([weak, key](Fetched f) {
      if (auto state = weak.lock()) finish(state, key, std::move(f));
    });
  }

  static void finish(const std::shared_ptr<State>& s, const std::string& key, Fetched f) {
    std::vector<std::string> waiters;
    {
      std::lock_guard lock(s->mu);
      if (s->closed) return;
      Entry& e = s->entries[key];
      const MonoTime now = s->options.clock->now();
      e.in_flight = false;
      e.transient = f.transient;
      e.value = std::move(f.value);
      if (f.transient) {
        ++e.failures;
        Duration backoff = s->options.retry_initial;
        for (int i = 1; i < e.failures && backoff < s->options.retry_max; ++i) backoff *= 2;
        backoff = std::min(backoff, s->options.retry_max);
        e.expires = now + backoff;
        std::weak_ptr<State> weak = s;
        if (e.retry) s->options.clock->cancel(*e.retry);
        e.retry = s->options.clock->schedule(e.expires, [weak, key] {
          if (auto state = weak.lock()) retry(state, key);
        });
      } else {
        e.failures = 0;
        e.expires = now + f.fresh_for;
      }
      waiters.assign(e.waiters.begin(), e.waiters.end());
      e.waiters.clear();
    }
    if (!waiters.empty() && s->options.notify) s->options.notify(std::move(waiters));
  }

  // The backoff of a transient value ended: fetch again if anyone waits for it.
  static void retry(const std::shared_ptr<State>& s, const std::string& key) {
    {
      std::lock_guard lock(s->mu);
      if (s->closed) return;
      auto it = s->entries.find(key);
      if (it == s->entries.end()) return;
      Entry& e = it->second;
      e.retry.reset();
      if (e.in_flight || e.waiters.empty()) return;
      e.in_flight = true;
    }
    begin(s, key);
  }

  static void prune_locked(State& s, MonoTime now) {
    if (s.entries.size() <= s.options.max_entries) return;
    for (auto it = s.entries.begin(); it != s.entries.end();) {
      const Entry& e = it->second;
      const bool idle = !e.in_flight && e.waiters.empty() && now >= e.expires;
      if (idle && e.retry) s.options.clock->cancel(*e.retry);
      it = idle ? s.entries.erase(it) : std::next(it);
    }
  }

  std::shared_ptr<State> state_;
};

}  // namespace nca

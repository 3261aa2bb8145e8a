// Reflector: keeps a sink in step with one collection on the API server, on its own
// thread. It lists (page by page, limit/continue), handing each page to the sink as it
// arrives (list_page(), so the sink decodes it and its JSON is freed before the next page
// is fetched) and ending the list with list_done() (or list_aborted() when a page
// fails), then watches from the list's resourceVersion and forwards each event
// (add/update/remove). It always resumes from the last resourceVersion it saw, including
// those carried by BOOKMARK events.
//
// Recovery, in the spirit of client-go's reflector:
//  * watch ends normally (server timeout, HTTP inactivity) -> watch again from the last
//    resourceVersion; a watch that ends within 1s without any event counts as an error,
//    so a server that closes at once is not hammered;
//  * Gone (410, "too old resource version", e.g. after etcd compaction) -> relist; the
//    sink's replace() then yields deletes for objects that vanished meanwhile;
//  * any other list or watch error -> exponential backoff with jitter (Clock::sleep_for,
//    so a FakeClock drives it), then retry; the backoff resets once a list succeeds or a
//    watch delivers an event.
//  * a watch that fails `watch_errors_before_relist` times in a row (5xx, ERROR events,
//    resets), or at once with "Too large resource version" (the server's history is behind
//    ours, e.g. after an etcd restore), relists instead of resuming from a version the
//    server cannot serve (client-go relists after every such watch error).
//
// Freshness (for readiness): health() says whether the cache is being refreshed: synced,
// and either the last list/watch attempt succeeded (a list, an open watch, an event, a
// normal end) or the last success is less than `stale_after` ago.
//  * An object that cannot be read (no metadata, or the sink cannot decode it) is logged
//    and counted in stats().decode_errors; it never stops the reflector.
//
// Thread-safety: the sink is called only from the reflector thread, one call at a time,
// in server order. start()/stop()/stats()/has_synced() are safe from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "cache/raw_object.h"
#include "kube/list_watch.h"

namespace nca::cache {

// Receives the collection from a reflector (on its thread). Non-OK results are the
// sink's objections to single objects (for example a decode error); they are counted
// and logged, never fatal.
class ReflectorSink {
 public:
  virtual ~ReflectorSink() = default;
  // A (re)list, one page at a time: list_page() for every page as it arrives, then
  // list_done() once the last page is in: the pages together are the whole collection.
  // A list that fails part way ends with list_aborted() instead (the sink drops what
  // the pages gave it; a later list starts over with its first page).
  virtual std::vector<Status> list_page(std::vector<RawObject> objects) = 0;
  virtual std::vector<Status> list_done(const std::string& resource_version) = 0;
  virtual void list_aborted() = 0;
  // Watch events; the sink may move from `object`.
  virtual Status add(RawObject& object) = 0;
  virtual Status update(RawObject& object) = 0;
  // `object` is the last state the server had (from the DELETED event).
  virtual Status remove(RawObject& object) = 0;
};

struct ReflectorOptions {
  std::string name;  // for logs: "csrs"
  std::string label_selector;
  std::string field_selector;
  std::int64_t page_size = 500;         // 0: one unpaginated list
  int min_watch_timeout_seconds = 300;  // each watch asks for [min, 2*min) seconds
  Duration initial_backoff = std::chrono::milliseconds(800);
  Duration max_backoff = std::chrono::seconds(30);
  int watch_errors_before_relist = 3;  // consecutive watch errors (not 410) that force a list
  Duration stale_after = std::chrono::seconds(60);  // failing this long: not healthy
  double jitter = 1.0;             // a backoff of d sleeps d * (1 + jitter * random()), capped
  std::shared_ptr<Clock> clock;    // default: real_clock()
  std::function<double()> random;  // in [0, 1); default: a seeded PRNG
};

struct ReflectorStats {
  std::uint64_t lists = 0;  // completed lists (all pages)
  std::uint64_t list_errors = 0;
  std::uint64_t relists_gone = 0;    // watches answered with 410
  std::uint64_t watches = 0;         // watch calls made
  std::uint64_t watch_restarts = 0;  // watches that ended normally and were resumed
  std::uint64_t watch_errors = 0;    // watches that ended with an error (not 410)
  std::uint64_t events = 0;          // ADDED/MODIFIED/DELETED/BOOKMARK seen
  std::uint64_t decode_errors = 0;
  std::uint64_t relists_after_errors = 0;  // relists forced by watch errors other than 410
  std::uint64_t consecutive_failures = 0;  // list/watch errors since the last success
  std::optional<MonoTime> last_success;    // last list, watch opened, event or normal end
  Duration backoff_slept{0};               // total time asked of Clock::sleep_for
  std::string resource_version;            // last seen
};

// Whether a reflector's cache is being refreshed (see Reflector::health()).
struct CacheHealth {
  bool synced = false;
  bool healthy = false;  // synced and not failing for `stale_after` or longer
  std::uint64_t consecutive_failures = 0;
  std::optional<Duration> since_success;  // now - last_success
};

class Reflector {
 public:
  Reflector(std::shared_ptr<kube::ListWatcher> list_watcher, ReflectorSink& sink,
            ReflectorOptions options);
  ~Reflector();
  Reflector(const Reflector&) = delete;
  Reflector& operator=(const Reflector&) = delete;

  // Starts the thread (once). stop() asks it to end and joins; the destructor stops.
  void start();
  void stop();

  // Runs the list/watch loop on the calling thread until `stop` is requested.
  void run(std::stop_token stop);

  // True once the first list succeeded (its content is then handed to the sink).
  bool has_synced() const { return synced_.load(); }
  ReflectorStats stats() const;
  // Freshness at options.clock's now().
  CacheHealth health() const;

 private:
  Status list(std::stop_token stop);
  Status watch(std::stop_token stop, bool& saw_event);
  void backoff(std::stop_token stop);
  void count_decode_error(const Status& status, const std::string& where);
  void mark_success();
  void mark_failure();
  template <typename F>
  void bump(F&& f) {
    std::lock_guard lock(mu_);
    f(stats_);
  }

  std::shared_ptr<kube::ListWatcher> lw_;
  ReflectorSink& sink_;
  ReflectorOptions options_;
  std::shared_ptr<Clock> clock_;
  std::function<double()> random_;

  std::atomic<bool> synced_{false};
  Duration next_backoff_;
  std::string last_rv_;            // reflector thread only; mirrored into stats_
  int watch_errors_in_a_row_ = 0;  // reflector thread only

  mutable std::mutex mu_;
  ReflectorStats stats_;
  std::jthread thread_;
};

}  // namespace nca::cache

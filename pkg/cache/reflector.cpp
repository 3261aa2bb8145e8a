#include "cache/reflector.h"

#include <algorithm>
#include <cctype>
#include <random>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "base/log.h"

namespace nca::cache {

namespace {

std::function<double()> default_random() {
  auto gen = std::make_shared<std::mt19937_64>(std::random_device{}());
  auto mu = std::make_shared<std::mutex>();
  return [gen, mu] {
    std::lock_guard lock(*mu);
    return std::uniform_real_distribution<double>(0.0, 1.0)(*gen);
  };
}

// A watch that ends this soon without any event is treated as a failure.
constexpr Duration kShortWatch = std::chrono::seconds(1);

// kube-apiserver's answer to a resourceVersion newer than its own (504 Timeout, message
// "Too large resource version: N, current: M", cause ResourceVersionTooLarge), as
// client-go's isTooLargeResourceVersionError recognises it by message.
bool too_large_resource_version(const Status& s) {
  std::string m = s.message();
  std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::tolower(c); });
  return m.find("too large resource version") != std::string::npos ||
         m.find("resourceversiontoolarge") != std::string::npos;
}

}  // namespace

Reflector::Reflector(std::shared_ptr<kube::ListWatcher> list_watcher, ReflectorSink& sink,
                     ReflectorOptions options)
    : lw_(std::move(list_watcher)),
      sink_(sink),
      options_(std::move(options)),
      clock_(options_.clock ? options_.clock : real_clock()),
      random_(options_.random ? options_.random : default_random()),
      next_backoff_(options_.initial_backoff) {}

Reflector::~Reflector() { stop(); }

void Reflector::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void Reflector::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

ReflectorStats Reflector::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

CacheHealth Reflector::health() const {
  const MonoTime now = clock_->now();
  std::lock_guard lock(mu_);
  CacheHealth h;
  h.synced = synced_.load();
  h.consecutive_failures = stats_.consecutive_failures;
  if (stats_.last_success) h.since_success = now - *stats_.last_success;
  h.healthy = h.synced && (stats_.consecutive_failures == 0 ||
                           (h.since_success && *h.since_success < options_.stale_after));
  return h;
}

void Reflector::mark_success() {
  const MonoTime now = clock_->now();
  bump([&](ReflectorStats& st) {
    st.consecutive_failures = 0;
    st.last_success = now;
  });
}

void Reflector::mark_failure() {
  bump([](ReflectorStats& st) { ++st.consecutive_failures; });
}

void Reflector::run(std::stop_token stop) {
  bool need_list = true;
  while (!stop.stop_requested()) {
    if (need_list) {
      Status s = list(stop);
      if (stop.stop_requested()) break;
      if (!s.is_ok()) {
        bump([](ReflectorStats& st) { ++st.list_errors; });
        mark_failure();
        log::warn("list failed", {{"reflector", options_.name}, {"error", s.to_string()}});
        backoff(stop);
        continue;
      }
      need_list = false;
      watch_errors_in_a_row_ = 0;
      next_backoff_ = options_.initial_backoff;
      mark_success();
    }

    const MonoTime started = clock_->now();
    bool saw_event = false;
    Status s = watch(stop, saw_event);
    if (stop.stop_requested()) break;
    if (saw_event) next_backoff_ = options_.initial_backoff;

    if (s.code() == Code::kGone) {
      bump([](ReflectorStats& st) { ++st.relists_gone; });
      log::info("watch expired (410), relisting",
                {{"reflector", options_.name}, {"resource_version", last_rv_}});
      need_list = true;
      continue;
    }
    if (saw_event) watch_errors_in_a_row_ = 0;
    if (s.is_ok() && (saw_event || clock_->now() - started >= kShortWatch)) {
      bump([](ReflectorStats& st) { ++st.watch_restarts; });
      watch_errors_in_a_row_ = 0;
      mark_success();
      continue;  // a normal end: resume from last_rv_
    }
    if (s.is_ok()) s = Status(Code::kUnavailable, "watch closed at once without events");
    bump([](ReflectorStats& st) { ++st.watch_errors; });
    mark_failure();
    ++watch_errors_in_a_row_;
    const bool too_large = too_large_resource_version(s);
    if (too_large || watch_errors_in_a_row_ >= std::max(1, options_.watch_errors_before_relist)) {
      // Resuming from last_rv_ keeps failing, or cannot work: start over from a list.
      bump([](ReflectorStats& st) { ++st.relists_after_errors; });
      log::warn("watch keeps failing, relisting", {{"reflector", options_.name},
                                                   {"resource_version", last_rv_},
                                                   {"errors_in_a_row", watch_errors_in_a_row_},
                                                   {"error", s.to_string()}});
      need_list = true;
    } else {
      log::warn(
          "watch failed",
          {{"reflector", options_.name}, {"resource_version", last_rv_}, {"error", s.to_string()}});
    }
    backoff(stop);
  }
}

Status Reflector::list(std::stop_token stop) {
  kube::ListOptions opts;
  opts.label_selector = options_.label_selector;
  opts.field_selector = options_.field_selector;
  opts.limit = options_.page_size;
  std::string list_rv;
  std::size_t count = 0;
  do {
    if (stop.stop_requested()) {
      sink_.list_aborted();
      return Status(Code::kCancelled, "stopped");
    }
    Result<kube::ListPage> page = lw_->list(opts);
    if (!page) {
      sink_.list_aborted();
      return page.status();
    }
    std::vector<RawObject> objects;
    objects.reserve(page->items.size());
    for (auto& item : page->items) {
      auto raw = to_raw_object(std::move(item));
      if (!raw) {
        count_decode_error(raw.status(), "list");
        continue;
      }
      objects.push_back(std::move(raw).value());
    }
    // Every page of one list is the same snapshot; its version is the list's.
    if (list_rv.empty()) list_rv = page->resource_version;
    opts.continue_token = std::move(page->continue_token);
    page->items.clear();
    count += objects.size();
    // Decoded (and its JSON freed) before the next page is fetched.
    for (const Status& err : sink_.list_page(std::move(objects))) count_decode_error(err, "list");
  } while (!opts.continue_token.empty());

  // The list succeeded: say so before the sink publishes it, so that a consumer told
  // "synced" by the sink never reads this cache's health as failing (after a failed list).
  last_rv_ = list_rv;
  bump([&](ReflectorStats& st) {
    ++st.lists;
    st.resource_version = list_rv;
  });
  mark_success();
  synced_ = true;
  for (const Status& err : sink_.list_done(list_rv)) count_decode_error(err, "list");
#if defined(__GLIBC__)
  // The pages' JSON is gone, and so is the previous content on a relist: hand the free
  // memory back to the OS (glibc keeps it in its arenas otherwise; a list is rare).
  malloc_trim(0);
#endif
  log::debug("listed",
             {{"reflector", options_.name}, {"objects", count}, {"resource_version", list_rv}});
  return Status::ok();
}

Status Reflector::watch(std::stop_token stop, bool& saw_event) {
  kube::WatchOptions opts;
  opts.label_selector = options_.label_selector;
  opts.field_selector = options_.field_selector;
  opts.resource_version = last_rv_;
  opts.allow_bookmarks = true;
  opts.on_established = [this] { mark_success(); };
  // Spread watch ends so that many clients do not reconnect in step.
  const int min_timeout = std::max(1, options_.min_watch_timeout_seconds);
  opts.timeout_seconds = min_timeout + static_cast<int>(random_() * min_timeout);
  bump([](ReflectorStats& st) { ++st.watches; });

  auto on_event = [&](kube::WatchEvent&& ev) {
    using Type = kube::WatchEvent::Type;
    if (ev.type == Type::kError) return;  // the watcher ends the watch with its status
    saw_event = true;
    bump([&](ReflectorStats& st) {
      ++st.events;
      st.consecutive_failures = 0;
      st.last_success = clock_->now();
    });
    if (ev.type == Type::kBookmark) {
      std::string rv = resource_version_of(ev.object);
      if (!rv.empty()) last_rv_ = std::move(rv);
    } else {
      auto raw = to_raw_object(std::move(ev.object));
      if (!raw) {
        // Still move past it: the server will not send it again from a later version.
        // (to_raw_object fails before it moves from the object.)
        std::string rv = resource_version_of(ev.object);
        if (!rv.empty()) last_rv_ = std::move(rv);
        count_decode_error(raw.status(), "watch");
        return;
      }
      Status s = ev.type == Type::kAdded      ? sink_.add(*raw)
                 : ev.type == Type::kModified ? sink_.update(*raw)
                                              : sink_.remove(*raw);
      if (!s.is_ok()) count_decode_error(s.annotate(raw->key), "watch");
      if (!raw->resource_version.empty()) last_rv_ = std::move(raw->resource_version);
    }
    bump([&](ReflectorStats& st) { st.resource_version = last_rv_; });
  };
  return lw_->watch(opts, on_event, stop);
}

void Reflector::backoff(std::stop_token stop) {
  const double factor = 1.0 + options_.jitter * std::clamp(random_(), 0.0, 1.0);
  Duration d = std::chrono::duration_cast<Duration>(next_backoff_ * factor);
  d = std::min(d, options_.max_backoff);
  next_backoff_ = std::min(next_backoff_ * 2, options_.max_backoff);
  bump([&](ReflectorStats& st) { st.backoff_slept += d; });
  clock_->sleep_for(d, stop);
}

void Reflector::count_decode_error(const Status& status, const std::string& where) {
  bump([](ReflectorStats& st) { ++st.decode_errors; });
  log::warn("skipping unreadable object",
            {{"reflector", options_.name}, {"from", where}, {"error", status.to_string()}});
}

}  // namespace nca::cache

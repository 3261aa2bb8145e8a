// Informer<T>: a Reflector feeding a ThreadSafeStore<T>, with event handlers. The shape
// of client-go's shared informer, for one consumer.
//
//  * Objects arrive as JSON and are decoded by the injected Decoder (list pages one at a
//    time, as they arrive: a list never holds more than one page of JSON; the store
//    keeps only the decoded T, so a decoder that keeps a few fields keeps memory small);
//    an object that does
//    not decode is skipped (counted in stats().decode_errors), never fatal: a watch event
//    leaves the cached version as it was, and so does a relist — an object the server
//    still lists is never forgotten because its new version does not decode (consumers
//    rely on "absent from the cache" meaning "absent from the cluster"). One that was
//    never decoded stays out of the store.
//  * The store is updated first, then handlers run: a handler reading the Lister sees
//    the change it is told about.
//  * Handlers run on the informer's (reflector's) thread, one at a time, in the order of
//    the server's events. They must not block and should only enqueue keys. A handler
//    that throws is logged and ignored.
//  * on_update is not called when the resourceVersion did not change (a relist hands us
//    every object again; resync is a separate concern).
//  * After a relist (start, or a watch answered 410), objects that vanished while the
//    watch was down are delivered as on_delete(last_known, tombstone = true): their final
//    state was never seen. Relist deliveries are: deletes (by key), then adds and updates
//    in list order.
//  * has_synced() turns true once the first list is in the store and its adds delivered.
//
// Thread-safety: add_index/add_event_handlers before start(); everything else from any
// thread. stop() (and the destructor) join the thread; no handler runs after it returns.
// Never call stop() from a handler (it would join its own thread).
#pragma once

#include <algorithm>
#include <atomic>
#include <concepts>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "cache/lister.h"
#include "cache/reflector.h"
#include "cache/thread_safe_store.h"

namespace nca::cache {

// Kubernetes objects: anything with metadata.resource_version.
template <typename T>
concept HasResourceVersion = requires(const T& t) {
  { t.metadata.resource_version } -> std::convertible_to<std::string>;
};

template <typename T>
struct EventHandlers {
  using Ptr = std::shared_ptr<const T>;
  std::function<void(const Ptr& obj)> on_add;
  std::function<void(const Ptr& old_obj, const Ptr& new_obj)> on_update;
  // `tombstone`: the delete was inferred from a relist, `obj` is the last state we had.
  std::function<void(const Ptr& obj, bool tombstone)> on_delete;
};

template <HasResourceVersion T>
class Informer final : private ReflectorSink {
 public:
  using Ptr = std::shared_ptr<const T>;
  using Decoder = std::function<Result<T>(const nlohmann::json&)>;

  Informer(std::shared_ptr<kube::ListWatcher> list_watcher, Decoder decoder,
           ReflectorOptions options)
      : decoder_(std::move(decoder)),
        store_(std::make_shared<ThreadSafeStore<T>>()),
        reflector_(std::move(list_watcher), *this, std::move(options)) {}
  ~Informer() override { stop(); }

  Status add_index(const std::string& name, typename ThreadSafeStore<T>::IndexFunc fn) {
    if (started_) return invalid("add_index after the informer started");
    return store_->add_index(name, std::move(fn));
  }
  Status add_event_handlers(EventHandlers<T> handlers) {
    if (started_) return invalid("add_event_handlers after the informer started");
    handlers_.push_back(std::move(handlers));
    return Status::ok();
  }

  void start() {
    started_ = true;
    reflector_.start();
  }
  void stop() {
    reflector_.stop();
    std::lock_guard lock(sync_mu_);
    sync_cv_.notify_all();
  }

  bool has_synced() const { return synced_.load(); }
  // Blocks until synced or `stop` is requested; returns has_synced().
  bool wait_for_sync(std::stop_token stop) {
    std::unique_lock lock(sync_mu_);
    sync_cv_.wait(lock, stop, [&] { return has_synced(); });
    return has_synced();
  }

  Lister<T> lister() const { return Lister<T>(store_); }
  ReflectorStats stats() const { return reflector_.stats(); }
  // Whether the cache is being refreshed (for readiness); see Reflector::health().
  CacheHealth health() const { return reflector_.health(); }

 private:
  // A list: each page is decoded as it arrives (its JSON freed before the next page is
  // fetched) into listing_, which list_done() swaps into the store at once. The store is
  // not written while a list runs (the reflector is not watching then), so an object that
  // does not decode keeps the version the store had.
  std::vector<Status> list_page(std::vector<RawObject> objects) override {
    std::vector<Status> errors;
    for (auto& raw : objects) {
      Result<T> obj = decode(raw);
      raw.object = nlohmann::json();  // freed now, not at the end of the page
      if (!obj) {
        errors.push_back(obj.status().annotate(raw.key));
        // Still listed: keep what we had, as a watch event would.
        if (Ptr kept = store_->get(raw.key)) listing_.fresh[raw.key] = std::move(kept);
        continue;
      }
      auto ptr = std::make_shared<const T>(std::move(obj).value());
      listing_.fresh[raw.key] = ptr;
      listing_.in_order.emplace_back(std::move(raw.key), std::move(ptr));
    }
    return errors;
  }
  void list_aborted() override { listing_ = {}; }

  std::vector<Status> list_done(const std::string& /*resource_version*/) override {
    Listing listing = std::exchange(listing_, {});
    auto& fresh = listing.fresh;
    auto& in_order = listing.in_order;
    auto old = store_->replace(fresh);

    std::vector<std::pair<std::string, Ptr>> gone;
    for (auto& [key, obj] : old) {
      if (fresh.count(key) == 0) gone.emplace_back(key, obj);
    }
    std::sort(gone.begin(), gone.end(), [](auto& a, auto& b) { return a.first < b.first; });
    for (auto& [key, obj] : gone) notify_delete(obj, /*tombstone=*/true);
    for (auto& [key, obj] : in_order) {
      auto it = old.find(key);
      if (it == old.end()) {
        notify_add(obj);
      } else if (it->second->metadata.resource_version != obj->metadata.resource_version) {
        notify_update(it->second, obj);
      }
    }
    {
      std::lock_guard lock(sync_mu_);
      synced_ = true;
      sync_cv_.notify_all();
    }
    return {};
  }

  Status add(RawObject& raw) override { return upsert(raw); }
  Status update(RawObject& raw) override { return upsert(raw); }

  Status remove(RawObject& raw) override {
    Ptr old = store_->remove(raw.key);
    Result<T> last = decode(raw);
    if (old) notify_delete(last ? std::make_shared<const T>(std::move(last).value()) : old, false);
    return last.status();
  }

  // Decoders return errors as values; a throwing one is contained here all the same.
  Result<T> decode(const RawObject& raw) {
    try {
      return decoder_(raw.object);
    } catch (const std::exception& e) {
      return invalid(std::string("decoder threw: ") + e.what());
    } catch (...) {
      return invalid("decoder threw");
    }
  }

  Status upsert(const RawObject& raw) {
    Result<T> obj = decode(raw);
    if (!obj) return obj.status();
    auto ptr = std::make_shared<const T>(std::move(obj).value());
    Ptr old = store_->upsert(raw.key, ptr);
    if (!old) {
      notify_add(ptr);
    } else if (old->metadata.resource_version != ptr->metadata.resource_version) {
      notify_update(old, ptr);
    }
    return Status::ok();
  }

  template <typename F>
  void each_handler(const char* what, F&& call) {
    for (auto& h : handlers_) {
      try {
        call(h);
      } catch (const std::exception& e) {
        log::error("event handler threw", {{"handler", what}, {"error", e.what()}});
      } catch (...) {
        log::error("event handler threw", {{"handler", what}});
      }
    }
  }
  void notify_add(const Ptr& obj) {
    each_handler("add", [&](EventHandlers<T>& h) {
      if (h.on_add) h.on_add(obj);
    });
  }
  void notify_update(const Ptr& old_obj, const Ptr& new_obj) {
    each_handler("update", [&](EventHandlers<T>& h) {
      if (h.on_update) h.on_update(old_obj, new_obj);
    });
  }
  void notify_delete(const Ptr& obj, bool tombstone) {
    each_handler("delete", [&](EventHandlers<T>& h) {
      if (h.on_delete) h.on_delete(obj, tombstone);
    });
  }

  struct Listing {
    typename ThreadSafeStore<T>::Items fresh;
    std::vector<std::pair<std::string, Ptr>> in_order;
  };

  Decoder decoder_;
  std::shared_ptr<ThreadSafeStore<T>> store_;
  Listing listing_;  // the list in progress; reflector thread only
  std::vector<EventHandlers<T>> handlers_;
  std::atomic<bool> started_{false};
  std::atomic<bool> synced_{false};
  std::mutex sync_mu_;
  std::condition_variable_any sync_cv_;
  Reflector reflector_;  // last: stopped and destroyed before what it feeds
};

}  // namespace nca::cache

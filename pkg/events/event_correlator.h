// EventCorrelator: turns "record this Event" into what to send, the way client-go's
// tools/record EventCorrelator does, so that a CSR flood is not an Event flood:
//  * dedupe: a repeat of the same (source, involved object, type, reason, message) becomes
//    a PATCH of the first Event's count, lastTimestamp and message instead of a new Event;
//  * spam filter: a token bucket per (source, involved object): `burst` Events at once,
//    then one per `refill_interval` (client-go: 25, one per 5 minutes). Events beyond it
//    are dropped; repeats are still counted, so the next PATCH that passes carries the
//    true count;
//  * a global token bucket on top (`global_burst`, then `global_per_second`), because a
//    per-object limit alone lets N new CSRs make N Events: a flood of CSRs is one of
//    bounded Events per second whatever its size.
// Both caches are LRU-bounded (`cache_size` keys each). client-go's third stage, which
// folds >10 different messages of one (object, reason) into "(combined from similar
// events)", is not done: our messages per (CSR, reason) are few and fixed.
//
// Pure apart from the times passed in. Not thread-safe: AsyncRecorder calls it from its
// one sender thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "base/clock.h"
#include "events/lru_map.h"
#include "kube/encode.h"

namespace nca::events {

struct CorrelatorSettings {
  std::size_t cache_size = 4096;
  double burst = 25;
  std::chrono::seconds refill_interval{300};
  double global_burst = 100;
  double global_per_second = 5;
};

struct EventAction {
  enum class Kind { kDrop, kCreate, kPatch };
  Kind kind = Kind::kDrop;
  std::string key;        // dedupe key (for created()/not_found())
  std::string ns, name;   // the Event object
  nlohmann::json create;  // the full Event (kCreate; also kPatch, for re-creating it)
  nlohmann::json patch;   // merge patch: count, lastTimestamp, message (kPatch)
};

class EventCorrelator {
 public:
  explicit EventCorrelator(CorrelatorSettings settings = {});

  // What to send for `spec`, observed at `wall` (timestamps) / `mono` (rate limit).
  EventAction correlate(const kube::EventSpec& spec, WallTime wall, MonoTime mono);

  // The PATCH of `action` found no Event (expired or deleted): the next one is created
  // from `action.create`, which the caller now sends (its count is kept).
  void patch_target_gone(const EventAction& action);

  std::size_t tracked_events() const { return seen_.size(); }
  std::size_t tracked_objects() const { return buckets_.size(); }

 private:
  struct Seen {
    std::string ns, name;
    std::int64_t count = 0;
    std::string first_timestamp;
  };
  struct Bucket {
    double tokens = 0;
    MonoTime last{};
    void refill(MonoTime mono, double burst, double per_second);
  };
  bool allow(const std::string& object_key, MonoTime mono);
  // "<object>.<hex nanoseconds>" like client-go, strictly increasing so that two Events
  // in the same nanosecond (or clock step back) do not collide.
  std::string unique_name(const std::string& object, WallTime wall);

  CorrelatorSettings settings_;
  LruMap<Seen> seen_;
  LruMap<Bucket> buckets_;
  Bucket global_;
  bool global_started_ = false;
  unsigned long long last_nanos_ = 0;
};

}  // namespace nca::events

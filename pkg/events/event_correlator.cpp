#include "events/event_correlator.h"

#include <algorithm>
#include <cstdio>

#include "base/time_format.h"

namespace nca::events {
namespace {

// Fields joined with a separator that cannot appear in names, reasons or types.
std::string join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) {
    out.append(p);
    out.push_back('\x1f');
  }
  return out;
}

}  // namespace

EventCorrelator::EventCorrelator(CorrelatorSettings settings)
    : settings_(settings), seen_(settings.cache_size), buckets_(settings.cache_size) {}

void EventCorrelator::Bucket::refill(MonoTime mono, double burst, double per_second) {
  if (mono <= last) return;
  tokens =
      std::min(burst, tokens + std::chrono::duration<double>(mono - last).count() * per_second);
  last = mono;
}

bool EventCorrelator::allow(const std::string& object_key, MonoTime mono) {
  if (!global_started_) {
    global_ = Bucket{settings_.global_burst, mono};
    global_started_ = true;
  }
  global_.refill(mono, settings_.global_burst, settings_.global_per_second);
  Bucket* b = buckets_.get(object_key);
  if (b == nullptr) b = &buckets_.put(object_key, Bucket{settings_.burst, mono});
  b->refill(mono, settings_.burst,
            1.0 / std::chrono::duration<double>(settings_.refill_interval).count());
  if (b->tokens < 1 || global_.tokens < 1) return false;
  b->tokens -= 1;
  global_.tokens -= 1;
  return true;
}

EventAction EventCorrelator::correlate(const kube::EventSpec& spec, WallTime wall, MonoTime mono) {
  const kube::ObjectReference& io = spec.involved_object;
  const std::string object_key =
      join({spec.source_component, io.api_version, io.kind, io.namespace_, io.name, io.uid});
  EventAction a;
  a.key = object_key + join({spec.type, spec.reason, spec.message});
  a.create = kube::build_event(spec, wall);
  a.create["metadata"]["name"] = unique_name(io.name, wall);
  const std::string now = format_rfc3339(wall);
  if (Seen* s = seen_.get(a.key)) {
    ++s->count;
    a.kind = EventAction::Kind::kPatch;
    a.ns = s->ns;
    a.name = s->name;
    a.patch = {{"count", s->count}, {"lastTimestamp", now}, {"message", spec.message}};
    a.create["count"] = s->count;
    a.create["firstTimestamp"] = s->first_timestamp;
  } else {
    a.kind = EventAction::Kind::kCreate;
    a.ns = a.create["metadata"]["namespace"].get<std::string>();
    a.name = a.create["metadata"]["name"].get<std::string>();
    seen_.put(a.key, Seen{a.ns, a.name, 1, now});
  }
  if (!allow(object_key, mono)) a.kind = EventAction::Kind::kDrop;
  return a;
}

std::string EventCorrelator::unique_name(const std::string& object, WallTime wall) {
  const auto nanos = static_cast<unsigned long long>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(wall.time_since_epoch()).count());
  last_nanos_ = std::max(last_nanos_ + 1, nanos);
  char hex[32];
  std::snprintf(hex, sizeof hex, "%llx", last_nanos_);
  return object + "." + hex;
}

void EventCorrelator::patch_target_gone(const EventAction& action) {
  if (Seen* s = seen_.get(action.key)) {
    s->name = action.create["metadata"]["name"].get<std::string>();
  }
}

}  // namespace nca::events

#include "events/async_recorder.h"

#include "base/log.h"

namespace nca::events {

AsyncRecorder::AsyncRecorder(AsyncRecorderSettings settings, std::shared_ptr<EventSink> sink,
                             std::shared_ptr<Clock> clock, ResultFn on_result)
    : settings_(settings),
      sink_(std::move(sink)),
      clock_(std::move(clock)),
      on_result_(std::move(on_result)),
      correlator_(settings.correlator) {}

AsyncRecorder::~AsyncRecorder() { stop(); }

void AsyncRecorder::report(std::string_view result) const {
  if (on_result_) on_result_(result);
}

void AsyncRecorder::record(kube::EventSpec spec) {
  const char* dropped = "queue_full";
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      dropped = "dropped_at_shutdown";
    } else if (queue_.size() < settings_.queue_capacity) {
      queue_.push_back(Item{std::move(spec), clock_->wall_now(), clock_->now()});
      cv_.notify_one();
      return;
    }
  }
  report(dropped);
}

std::size_t AsyncRecorder::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void AsyncRecorder::send(const Item& item) {
  EventAction a = correlator_.correlate(item.spec, item.wall, item.mono);
  Status st;
  const char* done = "created";
  switch (a.kind) {
    case EventAction::Kind::kDrop:
      report("rate_limited");
      return;
    case EventAction::Kind::kCreate:
      st = sink_->create(a.ns, a.create);
      break;
    case EventAction::Kind::kPatch:
      st = sink_->patch(a.ns, a.name, a.patch);
      done = "patched";
      if (st.code() == Code::kNotFound) {  // expired (events have a TTL) or deleted
        correlator_.patch_target_gone(a);
        st = sink_->create(a.ns, a.create);
        done = "created";
      }
      break;
  }
  if (st.is_ok()) {
    report(done);
    return;
  }
  report("failed");
  log::warn("recording an Event failed", {{"object", item.spec.involved_object.name},
                                          {"reason", item.spec.reason},
                                          {"error", st.to_string()}});
}

std::size_t AsyncRecorder::flush() {
  std::lock_guard send_lock(send_mu_);
  std::size_t sent = 0;
  for (;;) {
    Item item;
    {
      std::lock_guard lock(mu_);
      if (queue_.empty() || stopping_) return sent;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    send(item);
    ++sent;
  }
}

void AsyncRecorder::start() {
  std::lock_guard lock(mu_);
  if (sender_.joinable() || stopping_) return;
  sender_ = std::thread([this] {
    for (;;) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
      }
      flush();
    }
  });
}

void AsyncRecorder::stop() {
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    dropped = queue_.size();
    queue_.clear();
    cv_.notify_all();
  }
  if (sender_.joinable()) sender_.join();
  for (std::size_t i = 0; i < dropped; ++i) report("dropped_at_shutdown");
}

}  // namespace nca::events

// AsyncRecorder: records Events without ever blocking the caller on the API. record()
// puts the Event in a bounded queue and returns; one sender thread correlates it
// (EventCorrelator: dedupe into count + lastTimestamp PATCHes, per-object rate limit) and
// sends it to the EventSink. When the queue is full the Event is dropped and counted: an
// Event is evidence, never worth stalling a reconcile worker for. Every outcome is
// reported through `on_result` ("created", "patched", "rate_limited", "queue_full",
// "failed", "dropped_at_shutdown") for a metric.
//
// Thread-safe: record() from any thread. start()/stop() from the owner; the destructor
// stops. flush() runs the sender loop's body on the calling thread (tests, no thread).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

#include "base/clock.h"
#include "events/event_correlator.h"
#include "events/event_sink.h"
#include "kube/encode.h"

namespace nca::events {

struct AsyncRecorderSettings {
  std::size_t queue_capacity = 1024;
  CorrelatorSettings correlator;
};

class AsyncRecorder {
 public:
  using ResultFn = std::function<void(std::string_view result)>;
  AsyncRecorder(AsyncRecorderSettings settings, std::shared_ptr<EventSink> sink,
                std::shared_ptr<Clock> clock, ResultFn on_result = {});
  ~AsyncRecorder();
  AsyncRecorder(const AsyncRecorder&) = delete;
  AsyncRecorder& operator=(const AsyncRecorder&) = delete;

  // Never blocks on I/O. The Event's time is now (not when it is sent).
  void record(kube::EventSpec spec);

  void start();  // the sender thread
  // Stops the sender after the Event it is sending; what is still queued is dropped
  // ("dropped_at_shutdown"). Idempotent.
  void stop();

  // Sends what is queued, one Event at a time, on the calling thread, until the queue is
  // empty or stop() is called; returns how many were sent.
  std::size_t flush();
  std::size_t queued() const;

 private:
  struct Item {
    kube::EventSpec spec;
    WallTime wall;
    MonoTime mono;
  };
  void send(const Item& item);
  void report(std::string_view result) const;

  AsyncRecorderSettings settings_;
  std::shared_ptr<EventSink> sink_;
  std::shared_ptr<Clock> clock_;
  ResultFn on_result_;
  EventCorrelator correlator_;  // only the sending thread (flush) touches it
  std::mutex send_mu_;          // one flush at a time
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::thread sender_;
};

}  // namespace nca::events

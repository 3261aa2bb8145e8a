// LeaderElector: client-go's leader election on a Lease, so that of several replicas only
// one writes decisions. Timing follows client-go's defaults (15 s lease, 10 s renew
// deadline, 2 s retry). Expiry is judged only by the local monotonic time at which this
// replica last saw the record change, never by the timestamps in it, so clock skew
// between replicas cannot cause two leaders.
//
// Exactly one writer: is_leader() is bounded in time. It is true only while less than
// renew_deadline has passed (by the injected clock) since the start of the last successful
// acquire/renew, even when run() is stuck in a call to the API: a leader that cannot renew
// stops writing before the lease can expire for the others (they wait lease_duration from
// when they saw the record change, which is after that start). Each acquire/renew attempt
// is bounded by the time left to that deadline: every LeaseLock call gets the remainder.
//
// Writes are bounded too: leadership_deadline() says until when this replica is sure to
// hold the lease — the start of its last successful acquire/renew plus lease_duration,
// less write_margin (for the others' clocks running faster than ours) — so a caller can
// give every write a timeout that ends before anyone else may take over, and send none
// once it is gone. It is offered only while is_leader() holds: a write may start only
// while leading and must be done by the deadline.
//
// run() blocks on its caller's thread until `stop`; callbacks run on that thread and must
// not block. is_leader() may be read from any thread. On stop, a leader releases the lease
// (holder emptied) so a successor takes over at once instead of after expiry.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "base/clock.h"
#include "leaderelection/lease_lock.h"

namespace nca::leaderelection {

struct ElectorSettings {
  std::string identity;  // unique per replica, e.g. the pod name
  Duration lease_duration = std::chrono::seconds(15);
  Duration renew_deadline = std::chrono::seconds(10);
  Duration retry_period = std::chrono::seconds(2);
  // How much earlier than the lease could expire for the others a write must be done.
  Duration write_margin = std::chrono::seconds(2);
  bool release_on_stop = true;
};

struct ElectorCallbacks {
  std::function<void()> on_started_leading = {};
  std::function<void()> on_stopped_leading = {};
  std::function<void(const std::string& leader)> on_new_leader = {};  // any holder change seen
};

class LeaderElector {
 public:
  LeaderElector(ElectorSettings settings, std::shared_ptr<LeaseLock> lock,
                std::shared_ptr<Clock> clock, ElectorCallbacks callbacks);

  // Validates settings: lease - write margin > renew deadline > retry period > 0,
  // write margin >= 0, identity set.
  static Status validate(const ElectorSettings& settings);

  void run(std::stop_token stop);
  // True while leading and the last successful renew started less than renew_deadline ago.
  bool is_leader() const;
  // While is_leader(): the start of the last successful acquire/renew + lease_duration -
  // write_margin, the time until which no other replica can hold the lease. Otherwise none.
  std::optional<MonoTime> leadership_deadline() const;

  // One attempt to acquire or renew, given up at `deadline` (default: now + renew
  // deadline); true when this replica holds the lease afterwards. Public so tests can step
  // the protocol deterministically.
  bool try_acquire_or_renew();
  bool try_acquire_or_renew(MonoTime deadline);
  // Gives the lease up if held (holder emptied, 1 s duration).
  void release();

 private:
  void set_leader(bool leader);

  ElectorSettings settings_;
  std::shared_ptr<LeaseLock> lock_;
  std::shared_ptr<Clock> clock_;
  ElectorCallbacks callbacks_;
  std::atomic<bool> leader_{false};
  // Start of the last successful acquire/renew, as MonoTime's count (any thread reads it).
  std::atomic<Duration::rep> renewed_at_{0};
  // What we last saw and when (local monotonic time).
  std::optional<VersionedRecord> observed_;
  MonoTime observed_at_{};
  std::string last_holder_;
};

}  // namespace nca::leaderelection

#include "leaderelection/leader_elector.h"

#include <random>

#include "base/log.h"

namespace nca::leaderelection {
namespace {

Duration jittered(Duration d) {
  // client-go's wait.Jitter with factor 1.2: uniformly in [d, 2.2 d).
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> dist(0.0, 1.2);
  return d + std::chrono::duration_cast<Duration>(d * dist(rng));
}

}  // namespace

LeaderElector::LeaderElector(ElectorSettings settings, std::shared_ptr<LeaseLock> lock,
                             std::shared_ptr<Clock> clock, ElectorCallbacks callbacks)
    : settings_(std::move(settings)),
      lock_(std::move(lock)),
      clock_(std::move(clock)),
      callbacks_(std::move(callbacks)) {}

Status LeaderElector::validate(const ElectorSettings& s) {
  if (s.identity.empty()) return invalid("leader election identity is empty");
  if (s.retry_period <= Duration::zero())
    return invalid("leader election retry period must be > 0");
  if (s.renew_deadline <= s.retry_period) {
    return invalid("leader election renew deadline must be longer than the retry period");
  }
  if (s.lease_duration <= s.renew_deadline) {
    return invalid("leader election lease duration must be longer than the renew deadline");
  }
  return Status::ok();
}

void LeaderElector::set_leader(bool leader) {
  const bool was = leader_.exchange(leader);
  if (was == leader) return;
  log::info(leader ? "became leader" : "stopped leading",
            {{"lease", lock_->describe()}, {"identity", settings_.identity}});
  if (leader && callbacks_.on_started_leading) callbacks_.on_started_leading();
  if (!leader && callbacks_.on_stopped_leading) callbacks_.on_stopped_leading();
}

bool LeaderElector::try_acquire_or_renew() {
  const WallTime now = clock_->wall_now();
  const auto lease_secs = static_cast<std::int32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(settings_.lease_duration).count());
  auto current = lock_->get();
  if (!current.is_ok()) {
    if (current.status().code() != Code::kNotFound) {
      log::warn("cannot read leader lease",
                {{"lease", lock_->describe()}, {"error", current.status().to_string()}});
      return false;
    }
    LeaderRecord mine{settings_.identity, lease_secs, now, now, 0};
    Status st = lock_->create(mine);
    if (!st.is_ok()) {
      log::info("lost the race to create the leader lease", {{"error", st.to_string()}});
      return false;
    }
    observed_ = VersionedRecord{mine, ""};
    observed_at_ = clock_->now();
    return true;
  }

  const VersionedRecord& seen = current.value();
  if (!observed_ || !(observed_->record == seen.record)) {
    observed_ = seen;
    observed_at_ = clock_->now();
  }
  observed_->resource_version = seen.resource_version;
  const std::string& holder = seen.record.holder_identity;
  if (holder != last_holder_) {
    last_holder_ = holder;
    if (callbacks_.on_new_leader) callbacks_.on_new_leader(holder);
  }
  const bool held_by_other = !holder.empty() && holder != settings_.identity;
  const Duration their_duration = std::chrono::seconds(seen.record.lease_duration_seconds);
  if (held_by_other && clock_->now() < observed_at_ + their_duration) return false;

  LeaderRecord next = seen.record;
  next.holder_identity = settings_.identity;
  next.lease_duration_seconds = lease_secs;
  next.renew_time = now;
  if (holder != settings_.identity) {
    next.acquire_time = now;
    next.lease_transitions = seen.record.lease_transitions + 1;
  }
  Status st = lock_->update(next, seen.resource_version);
  if (!st.is_ok()) {
    log::info("leader lease update failed", {{"error", st.to_string()}});
    return false;
  }
  observed_ = VersionedRecord{next, ""};
  observed_at_ = clock_->now();
  return true;
}

void LeaderElector::release() {
  if (!leader_.load()) return;
  auto current = lock_->get();
  if (current.is_ok() && current->record.holder_identity == settings_.identity) {
    LeaderRecord released = current->record;
    released.holder_identity.clear();
    released.lease_duration_seconds = 1;
    released.renew_time = clock_->wall_now();
    Status st = lock_->update(released, current->resource_version);
    if (!st.is_ok()) log::warn("could not release the leader lease", {{"error", st.to_string()}});
  }
  set_leader(false);
}

void LeaderElector::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    // Acquire: retry until we hold the lease.
    while (!stop.stop_requested() && !try_acquire_or_renew()) {
      clock_->sleep_for(jittered(settings_.retry_period), stop);
    }
    if (stop.stop_requested()) break;
    set_leader(true);
    // Renew: every retry period; give up after renew_deadline without a success.
    MonoTime last_renew = clock_->now();
    while (!stop.stop_requested()) {
      if (!clock_->sleep_for(settings_.retry_period, stop)) break;
      if (try_acquire_or_renew()) {
        last_renew = clock_->now();
      } else if (clock_->now() - last_renew >= settings_.renew_deadline) {
        log::warn("failed to renew the leader lease within the deadline",
                  {{"lease", lock_->describe()}});
        set_leader(false);
        break;
      }
    }
  }
  if (settings_.release_on_stop) release();
  set_leader(false);
}

}  // namespace nca::leaderelection

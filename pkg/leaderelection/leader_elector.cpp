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
  if (s.write_margin < Duration::zero()) {
    return invalid("leader election write margin must be >= 0");
  }
  if (s.lease_duration - s.write_margin <= s.renew_deadline) {
    return invalid(
        "leader election lease duration minus the write margin must be longer than the renew "
        "deadline");
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

bool LeaderElector::is_leader() const {
  if (!leader_.load()) return false;
  const MonoTime renewed{Duration(renewed_at_.load())};
  return clock_->now() - renewed < settings_.renew_deadline;
}

std::optional<MonoTime> LeaderElector::leadership_deadline() const {
  if (!leader_.load()) return std::nullopt;
  const MonoTime renewed{Duration(renewed_at_.load())};
  if (clock_->now() - renewed >= settings_.renew_deadline) return std::nullopt;
  return renewed + settings_.lease_duration - settings_.write_margin;
}

bool LeaderElector::try_acquire_or_renew() {
  return try_acquire_or_renew(clock_->now() + settings_.renew_deadline);
}

bool LeaderElector::try_acquire_or_renew(MonoTime deadline) {
  const MonoTime started = clock_->now();
  const WallTime now = clock_->wall_now();
  const auto lease_secs = static_cast<std::int32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(settings_.lease_duration).count());
  // The time left for the next call; nothing is sent once it is gone.
  auto left = [&]() -> std::optional<Duration> {
    const Duration d = deadline - clock_->now();
    if (d > Duration::zero()) return d;
    log::warn("leader lease attempt ran out of time", {{"lease", lock_->describe()}});
    return std::nullopt;
  };
  auto succeeded = [&] {
    renewed_at_.store(started.time_since_epoch().count());
    return true;
  };
  auto budget = left();
  if (!budget) return false;
  auto current = lock_->get(*budget);
  if (!current.is_ok()) {
    if (current.status().code() != Code::kNotFound) {
      log::warn("cannot read leader lease",
                {{"lease", lock_->describe()}, {"error", current.status().to_string()}});
      return false;
    }
    LeaderRecord mine{settings_.identity, lease_secs, now, now, 0};
    if (!(budget = left())) return false;
    Status st = lock_->create(mine, *budget);
    if (!st.is_ok()) {
      log::info("lost the race to create the leader lease", {{"error", st.to_string()}});
      return false;
    }
    observed_ = VersionedRecord{mine, ""};
    observed_at_ = clock_->now();
    return succeeded();
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
  if (!(budget = left())) return false;
  Status st = lock_->update(next, seen.resource_version, *budget);
  if (!st.is_ok()) {
    log::info("leader lease update failed", {{"error", st.to_string()}});
    return false;
  }
  observed_ = VersionedRecord{next, ""};
  observed_at_ = clock_->now();
  return succeeded();
}

void LeaderElector::release() {
  if (!leader_.load()) return;
  // Bounded like a renew: a release that cannot finish in time is left to expiry.
  auto current = lock_->get(settings_.retry_period);
  if (current.is_ok() && current->record.holder_identity == settings_.identity) {
    LeaderRecord released = current->record;
    released.holder_identity.clear();
    released.lease_duration_seconds = 1;
    released.renew_time = clock_->wall_now();
    Status st = lock_->update(released, current->resource_version, settings_.retry_period);
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
    // Renew: every retry period, each attempt bounded by what is left of renew_deadline
    // since the last success started; give up once that is gone (is_leader() already
    // says false by then, even if an attempt was stuck).
    while (!stop.stop_requested()) {
      if (!clock_->sleep_for(settings_.retry_period, stop)) break;
      const MonoTime deadline = MonoTime(Duration(renewed_at_.load())) + settings_.renew_deadline;
      if (!try_acquire_or_renew(deadline) && clock_->now() >= deadline) {
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

// LeaseLock: where the leader record lives — the seam between the elector and the API.
// Production wraps a coordination.k8s.io/v1 Lease (see the app wiring); tests use an
// in-memory fake that can conflict or fail. Implementations must be thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status.h"

namespace nca::leaderelection {

struct LeaderRecord {
  std::string holder_identity;  // empty = released
  std::int32_t lease_duration_seconds = 15;
  std::optional<WallTime> acquire_time;
  std::optional<WallTime> renew_time;
  std::int32_t lease_transitions = 0;

  bool operator==(const LeaderRecord&) const = default;
};

struct VersionedRecord {
  LeaderRecord record;
  std::string resource_version;
};

// Every call is bounded by `timeout` (> 0): past it the call gives up (Timeout) and the
// request is abandoned, so an elector never waits on the API longer than its deadline.
class LeaseLock {
 public:
  virtual ~LeaseLock() = default;
  // NotFound when the lease does not exist yet.
  virtual Result<VersionedRecord> get(Duration timeout) = 0;
  // AlreadyExists when someone created it first.
  virtual Status create(const LeaderRecord& record, Duration timeout) = 0;
  // Conflict when `resource_version` is stale.
  virtual Status update(const LeaderRecord& record, const std::string& resource_version,
                        Duration timeout) = 0;
  // "namespace/name", for logs.
  virtual std::string describe() const = 0;
};

}  // namespace nca::leaderelection

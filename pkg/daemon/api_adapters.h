// Adapters from the approver's and the elector's seams to the Kubernetes API client:
// decisions through /approval, Events, and the leader Lease. Thread-safe (the client is).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "approver/seams.h"
#include "base/clock.h"
#include "events/async_recorder.h"
#include "kube/client.h"
#include "leaderelection/lease_lock.h"
#include "metrics/metrics.h"

namespace nca::daemon {

// One conditional PATCH of /approval per decision, built from the cached CSR (see
// kube::approval_patch): no re-read on the hot path. A Conflict (the cache was behind, or
// someone else wrote) is returned as such; reread() then GETs the CSR for the caller to
// decide again.
//
// Bounded by leadership: before each request it asks `deadline` until when this replica
// may write (the elector's leadership_deadline(); none = not leading) and gives the
// request only the time left, so no request is sent, and none is waited for, past the
// moment another replica could hold the Lease. Out of time: Cancelled, nothing sent. A
// PATCH already sent can still reach the server later (a stalled connection delivers
// late): it carries the resourceVersion the decision was made on, so it is applied only
// if nobody has changed the CSR since — it can never add a second decision (409 instead).
//
// Attributable: the condition's message ends with "[by replica IDENTITY]", the identity
// that holds the Lease. Thread-safe.
class ApiDecisionWriter final : public approver::DecisionWriter {
 public:
  using Deadline = std::function<std::optional<MonoTime>()>;
  ApiDecisionWriter(std::shared_ptr<kube::ApiClient> client, std::shared_ptr<Clock> clock,
                    std::string identity, Deadline deadline);
  Status write(const kube::CertificateSigningRequest& csr, bool approve, const std::string& reason,
               const std::string& message) override;
  Result<std::shared_ptr<const kube::CertificateSigningRequest>> reread(
      const std::string& name) override;

  // "MESSAGE [by replica IDENTITY]".
  static std::string attributed(const std::string& message, const std::string& identity);

 private:
  // The time left until the deadline, when there is some.
  std::optional<std::chrono::milliseconds> time_left() const;

  std::shared_ptr<kube::ApiClient> client_;
  std::shared_ptr<Clock> clock_;
  std::string identity_;
  Deadline deadline_;
};

// Records core/v1 Events about CSRs (in the namespace client-go uses for cluster-scoped
// objects) through an events::AsyncRecorder it owns: record() only enqueues (never blocks
// a worker on the API); its sender thread aggregates repeats into count + lastTimestamp
// PATCHes and rate-limits per CSR. The thread starts here and stops in the destructor
// (queued Events are then dropped and counted). Failures are logged and counted
// (metric node_csr_approver_events_total), never returned: an Event is evidence.
class ApiEventRecorder final : public approver::EventRecorder {
 public:
  ApiEventRecorder(std::shared_ptr<kube::ApiClient> client, std::shared_ptr<Clock> clock,
                   std::string instance, std::shared_ptr<metrics::Metrics> metrics = nullptr);
  void record(const kube::CertificateSigningRequest& csr, std::string_view type,
              std::string_view reason, std::string_view message) override;

 private:
  std::string instance_;
  events::AsyncRecorder recorder_;
};

// The leader record in a coordination.k8s.io/v1 Lease, through a client of its own (its
// own connection, rate limit and timeouts, not the one the caches and writers share);
// every call is cancelled at the timeout the elector gives it.
class ApiLeaseLock final : public leaderelection::LeaseLock {
 public:
  ApiLeaseLock(std::shared_ptr<kube::RestClient> client, std::string ns, std::string name);
  Result<leaderelection::VersionedRecord> get(Duration timeout) override;
  Status create(const leaderelection::LeaderRecord& record, Duration timeout) override;
  Status update(const leaderelection::LeaderRecord& record, const std::string& resource_version,
                Duration timeout) override;
  std::string describe() const override { return ns_ + "/" + name_; }

 private:
  kube::Lease to_lease(const leaderelection::LeaderRecord& record,
                       const std::string& resource_version) const;
  std::shared_ptr<kube::RestClient> client_;
  std::string ns_, name_;
};

}  // namespace nca::daemon

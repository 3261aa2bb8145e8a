#include "daemon/api_adapters.h"

#include <algorithm>

#include "base/log.h"
#include "kube/decode.h"
#include "kube/encode.h"

namespace nca::daemon {
ApiDecisionWriter::ApiDecisionWriter(std::shared_ptr<kube::ApiClient> client,
                                     std::shared_ptr<Clock> clock, std::string identity,
                                     Deadline deadline)
    : client_(std::move(client)),
      clock_(std::move(clock)),
      identity_(std::move(identity)),
      deadline_(std::move(deadline)) {}

std::string ApiDecisionWriter::attributed(const std::string& message, const std::string& identity) {
  return message + " [by replica " + identity + "]";
}

std::optional<std::chrono::milliseconds> ApiDecisionWriter::time_left() const {
  const std::optional<MonoTime> until = deadline_ ? deadline_() : std::nullopt;
  if (!until) return std::nullopt;
  // Whole milliseconds, rounded down: never a moment past the deadline.
  const auto left = std::chrono::floor<std::chrono::milliseconds>(*until - clock_->now());
  if (left <= std::chrono::milliseconds::zero()) return std::nullopt;
  return left;
}

namespace {
Status out_of_time(std::string_view step, const std::string& name) {
  return Status(Code::kCancelled, "not sent (" + std::string(step) + " of CSR " + name +
                                      "): this replica is not sure to hold the leader lease " +
                                      "for long enough");
}
}  // namespace

Status ApiDecisionWriter::write(const kube::CertificateSigningRequest& csr, bool approve,
                                const std::string& reason, const std::string& message) {
  const std::string& name = csr.metadata.name;
  auto body = kube::approval_patch(csr, approve ? "Approved" : "Denied", reason,
                                   attributed(message, identity_), clock_->wall_now());
  if (!body) return body.status();
  const auto left = time_left();
  if (!left) return out_of_time("approval", name);
  return client_
      ->patch_within(kube::resources::csrs(), "", name, kube::PatchType::kMerge, *body, "approval",
                     *left)
      .status();
}

Result<std::shared_ptr<const kube::CertificateSigningRequest>> ApiDecisionWriter::reread(
    const std::string& name) {
  const auto left = time_left();
  if (!left) return out_of_time("re-read", name);
  auto raw = client_->get_within(kube::resources::csrs(), "", name, *left);
  if (!raw) return raw.status();
  auto fresh = kube::decode_csr(*raw);
  if (!fresh) return fresh.status().annotate("re-reading CSR " + name);
  return std::make_shared<const kube::CertificateSigningRequest>(std::move(fresh).value());
}

ApiEventRecorder::ApiEventRecorder(std::shared_ptr<kube::ApiClient> client,
                                   std::shared_ptr<Clock> clock, std::string instance,
                                   std::shared_ptr<metrics::Metrics> metrics)
    : instance_(std::move(instance)),
      recorder_({}, std::make_shared<events::ApiEventSink>(std::move(client)), std::move(clock),
                [metrics](std::string_view result) {
                  if (metrics) metrics->event(result);
                }) {
  recorder_.start();
}

void ApiEventRecorder::record(const kube::CertificateSigningRequest& csr, std::string_view type,
                              std::string_view reason, std::string_view message) {
  kube::EventSpec spec;
  spec.involved_object = {"certificates.k8s.io/v1", "CertificateSigningRequest",
                          csr.metadata.name,        "",
                          csr.metadata.uid,         csr.metadata.resource_version};
  spec.type = std::string(type);
  spec.reason = std::string(reason);
  spec.message = std::string(message);
  spec.reporting_instance = instance_;
  recorder_.record(std::move(spec));
}

namespace {
std::chrono::milliseconds at_least_1ms(Duration d) {
  return std::max(std::chrono::milliseconds(1), std::chrono::ceil<std::chrono::milliseconds>(d));
}
}  // namespace

ApiLeaseLock::ApiLeaseLock(std::shared_ptr<kube::RestClient> client, std::string ns,
                           std::string name)
    : client_(std::move(client)), ns_(std::move(ns)), name_(std::move(name)) {}

Result<leaderelection::VersionedRecord> ApiLeaseLock::get(Duration timeout) {
  auto raw = client_->request("GET", kube::resources::leases().object_path(ns_, name_), nullptr,
                              "application/json", at_least_1ms(timeout));
  if (!raw) return raw.status();
  auto lease = kube::decode_lease(*raw);
  if (!lease) return lease.status().annotate("lease " + describe());
  leaderelection::LeaderRecord r;
  r.holder_identity = lease->holder_identity;
  r.lease_duration_seconds = lease->lease_duration_seconds.value_or(15);
  r.acquire_time = lease->acquire_time;
  r.renew_time = lease->renew_time;
  r.lease_transitions = lease->lease_transitions;
  return leaderelection::VersionedRecord{r, lease->metadata.resource_version};
}

kube::Lease ApiLeaseLock::to_lease(const leaderelection::LeaderRecord& r,
                                   const std::string& resource_version) const {
  kube::Lease lease;
  lease.metadata.name = name_;
  lease.metadata.namespace_ = ns_;
  lease.metadata.resource_version = resource_version;
  lease.holder_identity = r.holder_identity;
  lease.lease_duration_seconds = r.lease_duration_seconds;
  lease.acquire_time = r.acquire_time;
  lease.renew_time = r.renew_time;
  lease.lease_transitions = r.lease_transitions;
  return lease;
}

Status ApiLeaseLock::create(const leaderelection::LeaderRecord& record, Duration timeout) {
  const auto body = kube::encode_lease(to_lease(record, ""));
  return client_
      ->request("POST", kube::resources::leases().collection_path(ns_), &body, "application/json",
                at_least_1ms(timeout))
      .status();
}

Status ApiLeaseLock::update(const leaderelection::LeaderRecord& record,
                            const std::string& resource_version, Duration timeout) {
  const auto body = kube::encode_lease(to_lease(record, resource_version));
  return client_
      ->request("PUT", kube::resources::leases().object_path(ns_, name_), &body, "application/json",
                at_least_1ms(timeout))
      .status();
}

}  // namespace nca::daemon

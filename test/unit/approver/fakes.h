// In-memory fakes of the reconciler's seams, recording what was written.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "approver/csr_index.h"
#include "approver/seams.h"

namespace nca::approver::testing {

class FakeCsrs : public CsrSource {
 public:
  void put(kube::CertificateSigningRequest csr) {
    std::lock_guard lock(mu_);
    auto name = csr.metadata.name;
    csrs_[name] = std::make_shared<const kube::CertificateSigningRequest>(std::move(csr));
  }
  void remove(const std::string& name) {
    std::lock_guard lock(mu_);
    csrs_.erase(name);
  }
  CsrPtr get(const std::string& name) const override {
    std::lock_guard lock(mu_);
    auto it = csrs_.find(name);
    return it == csrs_.end() ? nullptr : it->second;
  }
  std::vector<CsrPtr> by_requester_node(const std::string& node) const override {
    std::vector<CsrPtr> out;
    for (const CsrPtr& c : list()) {
      if (requester_node(*c) == node) out.push_back(c);
    }
    return out;
  }
  std::vector<CsrPtr> list() const override {
    std::lock_guard lock(mu_);
    std::vector<CsrPtr> out;
    for (const auto& [_, c] : csrs_) out.push_back(c);
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, CsrPtr> csrs_;
};

struct Written {
  std::string csr;
  bool approve;
  std::string reason, message;
};

class FakeWriter : public DecisionWriter {
 public:
  Status write(const kube::CertificateSigningRequest& csr, bool approve, const std::string& reason,
               const std::string& message) override {
    std::lock_guard lock(mu);
    if (!fail_next.empty()) {
      Status st = fail_next.front();
      fail_next.erase(fail_next.begin());
      return st;
    }
    written.push_back({csr.metadata.name, approve, reason, message});
    return Status::ok();
  }
  Result<CsrPtr> reread(const std::string& name) override {
    std::lock_guard lock(mu);
    ++rereads;
    auto it = server.find(name);
    if (it == server.end()) return not_found(name);
    return it->second;
  }
  std::mutex mu;
  std::vector<Status> fail_next;
  std::vector<Written> written;
  std::map<std::string, CsrPtr> server;  // what reread() finds
  int rereads = 0;
};

struct Recorded {
  std::string csr, type, reason, message;
};

class FakeEvents : public EventRecorder {
 public:
  void record(const kube::CertificateSigningRequest& csr, std::string_view type,
              std::string_view reason, std::string_view message) override {
    std::lock_guard lock(mu);
    events.push_back(
        {csr.metadata.name, std::string(type), std::string(reason), std::string(message)});
  }
  std::mutex mu;
  std::vector<Recorded> events;
};

class FakeState : public StateSource {
 public:
  std::shared_ptr<const inventory::Snapshot> inventory() const override { return snapshot; }
  std::shared_ptr<const policy::PolicyConfig> config() const override { return cfg; }
  std::shared_ptr<const inventory::Snapshot> snapshot = std::make_shared<inventory::Snapshot>();
  std::shared_ptr<const policy::PolicyConfig> cfg = std::make_shared<policy::PolicyConfig>();
};

}  // namespace nca::approver::testing

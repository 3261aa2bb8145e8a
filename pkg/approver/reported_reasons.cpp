#include "approver/reported_reasons.h"

namespace nca::approver {

bool ReportedReasons::mark(const std::string& name, const std::string& uid,
                           const std::string& reason) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = by_name_.try_emplace(name, Entry{uid, reason});
  if (inserted) return true;
  if (it->second.uid == uid && it->second.reason == reason) return false;
  it->second = Entry{uid, reason};
  return true;
}

void ReportedReasons::forget(const std::string& name) {
  std::lock_guard lock(mu_);
  by_name_.erase(name);
}

std::size_t ReportedReasons::size() const {
  std::lock_guard lock(mu_);
  return by_name_.size();
}

}  // namespace nca::approver

// ReportedReasons: which reason the reconciler last reported (Event, log line, metric) for
// each pending CSR, so that re-evaluations of a CSR that stays pending for the same reason
// say nothing new. Keyed by CSR name; the uid tells a CSR from a later one of the same
// name. Bounded by the pending CSRs: an entry is dropped when its CSR is decided (by us or
// anyone else), issued, deleted or found to be not ours (`forget`, called by reconcile()).
//
// Thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace nca::approver {

class ReportedReasons {
 public:
  // True when `reason` is new for this CSR (first report, another reason, or another
  // object of the same name); records it.
  bool mark(const std::string& name, const std::string& uid, const std::string& reason);
  void forget(const std::string& name);
  std::size_t size() const;

 private:
  struct Entry {
    std::string uid, reason;
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry> by_name_;
};

}  // namespace nca::approver

// Readiness: what /readyz answers. Not ready until set_ready(true) (every cache synced
// and the first machine API discovery succeeded); while not ready, the answer names what
// each registered check is still waiting for ("inventory: machine API discovery has not
// succeeded yet: …"), so an operator sees why. Thread-safe; checks must not block.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace nca::daemon {

class Readiness {
 public:
  // `check` returns "" when satisfied, else what it waits for.
  void add_check(std::string name, std::function<std::string()> check);
  void set_ready(bool ready) { ready_ = ready; }
  bool ready() const { return ready_; }
  // {200, "ok\n"} or {503, "not ready: ...\n"}.
  std::pair<int, std::string> render() const;

 private:
  std::atomic<bool> ready_{false};
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, std::function<std::string()>>> checks_;
};

}  // namespace nca::daemon

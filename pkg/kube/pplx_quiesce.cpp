// Waiting for cpprestsdk's background work to finish before a client goes away.
//
// Why: a request that fails (connection refused, reset) wakes the caller as soon as the
// response task holds the error, but cpprestsdk's I/O thread then still closes the response
// body (http_msg_base::_complete → streambuf close → when_all → continuation), a chain of
// pplx chores posted to the shared thread pool. A process that exits in that window stops
// the pool with chores still queued; pplx hands the scheduler a raw pointer per chore, so
// every dropped chore leaks (LeakSanitizer: "1016 bytes … streambuf_state_manager::close →
// when_all"). Fix: count the chores (a scheduler that wraps the default one) and, when a
// client is destroyed, wait until its transport is gone and no chore is pending, so nothing
// is in flight when the process can exit.
//
// Thread safety: everything here may be called from any thread.
#include <pplx/pplxtasks.h>

#include <condition_variable>
#include <mutex>

#include "kube/rest_internal.h"

namespace nca::kube {
namespace {

struct Quiescence {
  std::mutex mu;
  std::condition_variable cv;
  long in_flight = 0;  // chores scheduled and not yet finished
};

// Never destroyed: chores may still finish on pool threads during static destruction.
Quiescence& quiescence() {
  static auto* q = new Quiescence();
  return *q;
}

struct Chore {
  pplx::TaskProc_t proc;
  void* param;
};

void run_chore(void* p) {
  {
    std::unique_ptr<Chore> chore(static_cast<Chore*>(p));
    chore->proc(chore->param);  // pplx chores catch their own exceptions
  }
  Quiescence& q = quiescence();
  std::lock_guard lock(q.mu);
  if (--q.in_flight == 0) q.cv.notify_all();
}

// Counts every chore pplx schedules, then hands it to the default scheduler. A chore that
// schedules its successor does so before it finishes, so the count does not touch zero in
// the middle of a chain.
class CountingScheduler : public pplx::scheduler_interface {
 public:
  explicit CountingScheduler(std::shared_ptr<pplx::scheduler_interface> inner)
      : inner_(std::move(inner)) {}

  void schedule(pplx::TaskProc_t proc, void* param) override {
    {
      Quiescence& q = quiescence();
      std::lock_guard lock(q.mu);
      ++q.in_flight;
    }
    inner_->schedule(&run_chore, new Chore{proc, param});
  }

 private:
  std::shared_ptr<pplx::scheduler_interface> inner_;
};

// Notifies waiters when the last copy of a client's config (held by its transport) is gone.
struct TransportSentinel {
  ~TransportSentinel() {
    Quiescence& q = quiescence();
    std::lock_guard lock(q.mu);
    q.cv.notify_all();
  }
};

}  // namespace

void install_counting_scheduler() {
  static std::once_flag once;
  std::call_once(once, [] {
    // pplx refuses a new ambient scheduler once its default one was created; a task
    // created before this (none in this program) would have fixed it. Then chores are
    // simply not counted, as before.
    try {
      pplx::set_ambient_scheduler(
          std::make_shared<CountingScheduler>(std::make_shared<pplx::default_scheduler_t>()));
    } catch (const std::exception&) {
    }
  });
}

std::shared_ptr<void> make_transport_sentinel() { return std::make_shared<TransportSentinel>(); }

bool wait_transport_quiet(const std::weak_ptr<void>& sentinel, std::chrono::milliseconds limit) {
  Quiescence& q = quiescence();
  std::unique_lock lock(q.mu);
  return q.cv.wait_for(lock, limit, [&] { return sentinel.expired() && q.in_flight == 0; });
}

long pending_transport_chores() {
  Quiescence& q = quiescence();
  std::lock_guard lock(q.mu);
  return q.in_flight;
}

}  // namespace nca::kube

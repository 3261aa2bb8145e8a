// Its own binary: the size of cpprestsdk's I/O pool is fixed once per process, by the
// first client request.
#include <dirent.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "base/clock.h"
#include "kube/client.h"

using namespace std::chrono_literals;

namespace {

int thread_count() {
  int n = 0;
  DIR* dir = ::opendir("/proc/self/task");
  REQUIRE(dir != nullptr);
  while (const dirent* e = ::readdir(dir)) n += e->d_name[0] != '.';
  ::closedir(dir);
  return n;
}

}  // namespace

TEST_CASE("set_transport_threads sizes the I/O pool before the first request, once") {
  auto clock = std::make_shared<nca::RealClock>();  // its timer thread before the count
  const int before = thread_count();
  nca::kube::set_transport_threads(3);
  nca::kube::ClientConfig cfg;
  cfg.server = "https://127.0.0.1:1";  // refused: the request fails fast, after the pool starts
  cfg.timeout = 5s;
  auto client = nca::kube::RestClient::create(cfg, clock);
  REQUIRE(client);
  REQUIRE_FALSE((*client)->get(nca::kube::resources::nodes(), "", "n1"));
  // The pool's 3 threads, plus at most asio's resolver thread and a spare; cpprestsdk's
  // default would add 40.
  CHECK(thread_count() - before <= 5);
  nca::kube::set_transport_threads(8);  // too late: no effect, no exception
  REQUIRE_FALSE((*client)->get(nca::kube::resources::nodes(), "", "n1"));
  CHECK(thread_count() - before <= 5);
}

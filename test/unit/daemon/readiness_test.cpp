#include "daemon/readiness.h"

#include <catch2/catch.hpp>

using nca::daemon::Readiness;

TEST_CASE("readiness names what it waits for, then answers ok") {
  Readiness r;
  std::string inventory_wait = "machine API discovery has not succeeded yet: Unavailable: x";
  r.add_check("inventory", [&] { return inventory_wait; });
  r.add_check("csrs", [] { return std::string(); });
  auto [code, body] = r.render();
  CHECK(code == 503);
  CHECK(body == "not ready: inventory: " + inventory_wait + "\n");
  inventory_wait.clear();
  CHECK(r.render().second == "not ready: informer caches not synced\n");
  r.set_ready(true);
  CHECK(r.render() == std::pair<int, std::string>{200, "ok\n"});
}

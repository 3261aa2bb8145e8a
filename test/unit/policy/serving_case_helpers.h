// Helpers shared by the serving-CSR table rows (serving_cases.cpp for the legitimate
// rows, serving_attack_cases.cpp for the attacks). Test-only; header-only.
#pragma once

#include "support/csr_builder.h"
#include "world.h"

namespace nca::policy::testing::serving {

using test::KeyType;

using test::KeyType;

inline Request w0() {  // worker-0 as its kubelet asks: DNS worker-0 and its IPv4
  Request r = Request::serving("worker-0");
  r.builder.ip("192.0.2.10");
  return r;
}

inline Case ok(std::string name, std::function<Request()> req, std::function<void(World&)> w = {}) {
  return Case{std::move(name), std::move(req), std::move(w), Outcome::kApprove, "ServingApproved"};
}

inline Case refuse(std::string name, std::string reason, std::function<Request()> req,
                   std::function<void(World&)> w = {}) {
  return Case{std::move(name), std::move(req), std::move(w), Outcome::kPending, std::move(reason)};
}

// Only Node-reported addresses: no inventory source at all.
inline void nodes_only(World& w) {
  w.inventory.machines.clear();
  w.inventory.has_inventory_source = false;
}

inline const FakeResolver& resolver() {
  static const FakeResolver r = [] {
    FakeResolver f;
    f.table = {{"worker-0", {"192.0.2.10"}},
               {"worker-0.lab.example.com", {"192.0.2.10", "2001:db8::10"}},
               {"worker-1", {"192.0.2.11"}},
               {"flaky.lab.example.com", {"TRANSIENT"}}};
    return f;
  }();
  return r;
}

inline void resolving(World& w) {
  w.config.serving.resolve_dns = true;
  w.resolver = &resolver();
}

}  // namespace nca::policy::testing::serving

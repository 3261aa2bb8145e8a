// InventoryTracker over fake list/watches and a scripted discovery: discovery fails
// closed (an error is never "no machine API"), a machine CRD installed after start is
// picked up from the CRD watch at once and Node addresses are not trusted until the new
// informer synced, and a Node that stops decoding is never forgotten.
#include "daemon/inventory_tracker.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <thread>

#include "../cache/fake_list_watcher.h"
#include "base/fake_clock.h"

using namespace std::chrono_literals;
using nca::daemon::DiscoveryOptions;
using nca::daemon::InventorySources;
using nca::daemon::InventoryTracker;
using nca::testing::FakeListWatcher;
using nlohmann::json;
using Type = nca::kube::WatchEvent::Type;

namespace {

// Spins (yielding, never sleeping) until `pred` holds or 10 s of real time passed.
template <typename Pred>
bool eventually(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

// Discovery answers per resource ("machines.machine.openshift.io"), with a gate that can
// hold passes so a test sees the state in between.
class FakeDiscovery {
 public:
  void answer(const std::string& qualified, nca::Result<bool> r) {
    std::lock_guard lock(mu_);
    answers_.insert_or_assign(qualified, std::move(r));
  }
  void hold(bool on) {
    std::lock_guard lock(mu_);
    held_ = on;
    cv_.notify_all();
  }
  int calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  nca::Result<bool> served(const nca::kube::Resource& r) {
    std::unique_lock lock(mu_);
    ++calls_;
    cv_.wait_for(lock, 10s, [&] { return !held_; });
    auto it = answers_.find(r.qualified_name());
    return it == answers_.end() ? nca::Result<bool>(false) : it->second;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, nca::Result<bool>> answers_;
  bool held_ = false;
  int calls_ = 0;
};

json node(const std::string& name, const std::string& rv, json addresses) {
  return {{"metadata", {{"name", name}, {"resourceVersion", rv}}},
          {"status", {{"addresses", std::move(addresses)}}}};
}

json crd(const std::string& name, const std::string& rv, bool established) {
  json status = json::object();
  if (established) status["conditions"] = {{{"type", "Established"}, {"status", "True"}}};
  return {{"metadata", {{"name", name}, {"resourceVersion", rv}}}, {"status", status}};
}

struct Fixture {
  std::shared_ptr<nca::FakeClock> clock = std::make_shared<nca::FakeClock>();
  std::map<std::string, std::shared_ptr<FakeListWatcher>> lws;
  FakeDiscovery discovery;
  std::shared_ptr<nca::metrics::Metrics> metrics = std::make_shared<nca::metrics::Metrics>("t");
  std::mutex changed_mu;
  std::set<std::string> changed;

  Fixture() {
    for (const char* r : {"nodes", "customresourcedefinitions.apiextensions.k8s.io",
                          "machines.machine.openshift.io", "machines.cluster.x-k8s.io",
                          "baremetalhosts.metal3.io"}) {
      lws[r] = std::make_shared<FakeListWatcher>();
      lws[r]->set_objects({}, "1");
    }
  }
  std::unique_ptr<InventoryTracker> tracker() {
    InventorySources s;
    s.list_watcher = [this](const nca::kube::Resource& r) {
      return std::shared_ptr<nca::kube::ListWatcher>(lws.at(r.qualified_name()));
    };
    s.served = [this](const nca::kube::Resource& r) { return discovery.served(r); };
    DiscoveryOptions o;
    o.initial_backoff = 1s;
    o.max_backoff = 4s;
    return std::make_unique<InventoryTracker>(
        s, clock,
        [this](const std::set<std::string>& nodes) {
          std::lock_guard lock(changed_mu);
          changed.insert(nodes.begin(), nodes.end());
        },
        metrics, o);
  }
};

}  // namespace

TEST_CASE("a discovery error is not 'no machine API': not synced, Node addresses untrusted") {
  // On the old tracker the error was logged and the group read as absent: synced, and with
  // no inventory source the Nodes' self-reported addresses were trusted.
  Fixture f;
  f.discovery.answer("machines.machine.openshift.io",
                     nca::Status(nca::Code::kUnavailable, "discovery timed out"));
  auto t = f.tracker();
  t->start();
  REQUIRE(f.lws["nodes"]->wait_for_idle_watch(1));
  REQUIRE(f.clock->wait_for_timers(1, 10000ms));  // the pass failed: backing off
  CHECK_FALSE(t->has_synced());
  CHECK_THAT(t->not_synced_reason(), Catch::Contains("discovery timed out"));
  CHECK_FALSE(t->discovery_settled());
  CHECK(t->snapshot()->has_inventory_source);  // fail closed

  // The server answers again: the retry (after the backoff) settles it.
  f.discovery.answer("machines.machine.openshift.io", false);
  f.clock->advance(1s);
  REQUIRE(eventually([&] { return t->has_synced() && t->discovery_settled(); }));
  CHECK(t->not_synced_reason().empty());
  CHECK_FALSE(t->snapshot()->has_inventory_source);  // really nothing installed
  t->stop();
}

TEST_CASE("a machine CRD installed after start is watched at once, with no trust gap") {
  Fixture f;
  f.lws["nodes"]->set_objects(
      {node("worker-0", "5", {{{"type", "InternalIP"}, {"address", "10.0.0.5"}}})}, "5");
  auto t = f.tracker();
  t->start();
  REQUIRE(eventually([&] { return t->has_synced() && t->discovery_settled(); }));
  CHECK_FALSE(t->snapshot()->has_inventory_source);  // Nodes only: addresses trusted
  const int calls_before = f.discovery.calls();

  // The CRD arrives (and its Machines exist); discovery is held to observe the gap.
  f.discovery.hold(true);
  f.discovery.answer("machines.machine.openshift.io", true);
  f.lws["machines.machine.openshift.io"]->set_objects(
      {{{"apiVersion", "machine.openshift.io/v1beta1"},
        {"kind", "Machine"},
        {"metadata",
         {{"name", "m-0"}, {"namespace", "openshift-machine-api"}, {"resourceVersion", "3"}}},
        {"status",
         {{"nodeRef", {{"kind", "Node"}, {"name", "worker-0"}}},
          {"addresses", {{{"type", "InternalIP"}, {"address", "10.0.0.5"}}}}}}}},
      "3");
  f.lws["customresourcedefinitions.apiextensions.k8s.io"]->push_watch(
      {{nca::testing::event(Type::kAdded, crd("machines.machine.openshift.io", "9", true))},
       nca::Status::ok()});
  REQUIRE(eventually([&] { return !t->discovery_settled(); }));
  // In the gap (informer not even started) self-reported addresses do not count.
  CHECK(t->snapshot()->has_inventory_source);
  CHECK(t->snapshot()->machines.empty());

  f.discovery.hold(false);  // no clock advance: no poll period is waited for
  REQUIRE(eventually([&] { return t->discovery_settled(); }));
  CHECK(f.discovery.calls() > calls_before);
  CHECK(t->watched_apis() == std::vector<std::string>{"machine.openshift.io/v1beta1 machines"});
  auto snap = t->snapshot();
  CHECK(snap->has_inventory_source);
  REQUIRE(snap->machines.size() == 1);  // settled only once its informer synced
  CHECK(snap->machines[0].node_name == "worker-0");
  t->stop();
}

TEST_CASE("a Node that stops decoding on a relist stays in the inventory") {
  // On the old decoder the mistyped address made the Node undecodable, the relist dropped
  // it, and "no Node named worker-1" checks passed for it.
  Fixture f;
  f.lws["nodes"]->set_objects(
      {node("worker-1", "5", {{{"type", "InternalIP"}, {"address", "10.0.0.6"}}})}, "5");
  auto t = f.tracker();
  t->start();
  REQUIRE(eventually([&] { return t->has_synced(); }));
  REQUIRE(t->snapshot()->node("worker-1") != nullptr);

  f.lws["nodes"]->set_objects({node("worker-1", "8",
                                    {{{"type", 7}, {"address", "10.0.0.99"}},
                                     {{"type", "InternalIP"}, {"address", "10.0.0.6"}}})},
                              "8");
  f.lws["nodes"]->push_watch({{}, nca::Status(nca::Code::kGone, "too old resource version")});
  REQUIRE(f.lws["nodes"]->wait_for_idle_watch(2));
  const auto* n = t->snapshot()->node("worker-1");
  REQUIRE(n != nullptr);
  REQUIRE(n->addresses.size() == 1);  // the readable address; the mistyped one left out
  CHECK_THAT(
      f.metrics->render(),
      Catch::Contains("node_csr_approver_inventory_fields_skipped_total{resource=\"nodes\"} 1"));
  t->stop();
}

TEST_CASE("machine API objects are cached decoded: the machine and key fields, no JSON") {
  json machine = {{"apiVersion", "machine.openshift.io/v1beta1"},
                  {"kind", "Machine"},
                  {"metadata",
                   {{"name", "m-0"},
                    {"namespace", "openshift-machine-api"},
                    {"resourceVersion", "3"},
                    {"labels", "not a map"},
                    {"managedFields", json::array({{{"manager", "x"}}})}}},
                  {"status",
                   {{"nodeRef", {{"kind", "Node"}, {"name", "worker-0"}}},
                    {"addresses", {{{"type", "InternalIP"}, {"address", "10.0.0.5"}}}}}}};
  auto e = nca::daemon::decode_inventory_entry(machine);
  REQUIRE(e.is_ok());
  CHECK(e->metadata.name == "m-0");
  CHECK(e->metadata.namespace_ == "openshift-machine-api");
  CHECK(e->metadata.resource_version == "3");
  REQUIRE(e->decoded.machine);
  CHECK(e->decoded.machine->node_name == "worker-0");
  CHECK(e->decoded.machine->addresses.size() == 1);
  // The metadata's own problems are warnings, as decode_unstructured reports them.
  REQUIRE(e->decoded.warnings.size() == 1);
  CHECK(e->decoded.warnings[0].find("labels") != std::string::npos);

  json nameless = machine;
  nameless["metadata"].erase("name");
  CHECK_FALSE(nca::daemon::decode_inventory_entry(nameless).is_ok());
}

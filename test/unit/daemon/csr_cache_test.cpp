// CsrCache: its indexes and counts, kept by the informer's handlers, answer what a scan of
// every CSR would (CsrSource's plain defaults), and each request is parsed once.
#include "daemon/csr_cache.h"

#include <catch2/catch.hpp>

#include "../cache/fake_list_watcher.h"
#include "base/fake_clock.h"
#include "base/time_format.h"
#include "support/csr_builder.h"
#include "support/csr_object.h"

using namespace nca;
using nca::test::CsrBuilder;
using Type = kube::WatchEvent::Type;

namespace {

nlohmann::json csr_object(std::string name, test::CsrObjectOptions opts, const std::string& pem,
                          std::string rv = "1") {
  opts.name = name;
  opts.uid = "uid-" + name;
  opts.resource_version = std::move(rv);
  return test::make_csr_object(opts, pem);
}

std::vector<std::string> names(const std::vector<approver::CsrPtr>& csrs) {
  std::vector<std::string> out;
  for (const auto& c : csrs) out.push_back(c->metadata.name);
  std::sort(out.begin(), out.end());
  return out;
}

// What the cache says, next to what a scan of its list() says.
void check_against_scan(const daemon::CsrCache& cache) {
  const approver::CsrSource& scan = cache;
  CHECK(cache.pending_bootstrap() == scan.approver::CsrSource::pending_bootstrap());
  for (const auto& csr : cache.list()) {
    CHECK(cache.holds_pending_bootstrap(*csr) ==
          scan.approver::CsrSource::holds_pending_bootstrap(*csr));
  }
}

// A cache over `lw`, started and synced.
std::unique_ptr<daemon::CsrCache> synced_cache(std::shared_ptr<testing::FakeListWatcher> lw) {
  cache::ReflectorOptions opts;
  opts.clock = std::make_shared<FakeClock>();
  opts.random = [] { return 0.0; };
  auto cache = std::make_unique<daemon::CsrCache>(std::move(lw), opts);
  cache->informer().start();
  std::stop_source never;
  REQUIRE(cache->informer().wait_for_sync(never.get_token()));
  return cache;
}

}  // namespace

TEST_CASE("CsrCache keeps the flood guard's count, pending gauges and client index in step") {
  auto lw = std::make_shared<testing::FakeListWatcher>();
  const std::string w5 = CsrBuilder::kubelet_client("worker-5").pem();
  lw->set_objects({csr_object("boot-a", test::bootstrap_options(), w5),
                   csr_object("boot-b", test::bootstrap_options(),
                              CsrBuilder::kubelet_client("worker-6").pem()),
                   csr_object("serve-a", test::serving_csr_options("worker-0"),
                              CsrBuilder::kubelet_serving("worker-0").pem())},
                  "10");
  auto owned = synced_cache(lw);
  daemon::CsrCache& cache = *owned;
  REQUIRE(lw->wait_for_idle_watch(1));

  CHECK(cache.pending_bootstrap() == 2);
  check_against_scan(cache);
  CHECK(names(cache.client_csrs_for_node("worker-5")) == std::vector<std::string>{"boot-a"});
  auto pending = cache.pending_by_signer();
  CHECK(pending["kubernetes.io/kube-apiserver-client-kubelet"].count == 2);
  CHECK(pending["kubernetes.io/kubelet-serving"].count == 1);
  // Pending kubelet requests are parsed on arrival, once.
  CHECK(cache.parsed_requests() == 3);
  auto csr = cache.get("serve-a");
  auto first = cache.parsed(*csr);
  CHECK(cache.parsed(*csr) == first);
  CHECK(cache.parsed_requests() == 3);

  // boot-a approved, boot-b deleted, a renewal by worker-0 that names worker-5 arrives.
  auto approved_opts = test::bootstrap_options();
  approved_opts.conditions = {"Approved"};
  auto renewal_opts = test::client_renewal_options("worker-0");
  lw->push_watch({{testing::event(Type::kModified, csr_object("boot-a", approved_opts, w5, "11")),
                   testing::event(Type::kDeleted,
                                  csr_object("boot-b", test::bootstrap_options(),
                                             CsrBuilder::kubelet_client("worker-6").pem(), "12")),
                   testing::event(Type::kAdded, csr_object("renew-x", renewal_opts, w5, "13"))},
                  Status::ok(),
                  true});
  REQUIRE(lw->wait_for_idle_watch(2));
  CHECK(cache.pending_bootstrap() == 0);
  check_against_scan(cache);
  CHECK(names(cache.client_csrs_for_node("worker-5")) ==
        (std::vector<std::string>{"boot-a", "renew-x"}));
  pending = cache.pending_by_signer();
  CHECK(pending["kubernetes.io/kube-apiserver-client-kubelet"].count == 1);  // renew-x
  CHECK(cache.parsed_requests() == 3);  // boot-b's parse forgotten, renew-x's added
  cache.informer().stop();
}

TEST_CASE("CsrCache holds requests only parsed, and never parses a decided serving CSR") {
  auto lw = std::make_shared<testing::FakeListWatcher>();
  auto approved_serving = test::serving_csr_options("worker-1");
  approved_serving.conditions = {"Approved"};
  auto approved_client = test::bootstrap_options();
  approved_client.conditions = {"Approved"};
  lw->set_objects(
      {csr_object("serve-pending", test::serving_csr_options("worker-0"),
                  CsrBuilder::kubelet_serving("worker-0").pem()),
       csr_object("serve-done", approved_serving, CsrBuilder::kubelet_serving("worker-1").pem()),
       csr_object("client-done", approved_client, CsrBuilder::kubelet_client("worker-2").pem())},
      "10");
  auto owned = synced_cache(lw);
  daemon::CsrCache& cache = *owned;

  for (const auto& csr : cache.list()) {
    INFO(csr->metadata.name);
    CHECK(csr->request_pem.empty());
  }
  // The pending one and the client one were parsed before their PEM went.
  CHECK(cache.parsed_requests() == 2);
  auto pending = cache.parsed(*cache.get("serve-pending"));
  REQUIRE(pending->is_ok());
  CHECK(pending->value().common_names == std::vector<std::string>{"system:node:worker-0"});
  // The one-client-certificate rule still reads an approved client CSR's CN.
  CHECK(names(cache.client_csrs_for_node("worker-2")) == std::vector<std::string>{"client-done"});
  auto client = cache.parsed(*cache.get("client-done"));
  REQUIRE(client->is_ok());
  CHECK(client->value().common_names == std::vector<std::string>{"system:node:worker-2"});
  // A decided serving CSR is never decided again; asked anyway, it is an error, not kept.
  CHECK_FALSE(cache.parsed(*cache.get("serve-done"))->is_ok());
  CHECK(cache.parsed_requests() == 2);
  cache.informer().stop();
}

TEST_CASE("CsrCache's pending summary per signer follows adds, updates and deletes") {
  auto lw = std::make_shared<testing::FakeListWatcher>();
  auto serving_at = [](const std::string& node, const std::string& created) {
    auto o = test::serving_csr_options(node);
    o.creation_timestamp = created;
    return o;
  };
  auto boot = test::bootstrap_options();
  boot.creation_timestamp = "2026-11-23T11:00:00Z";
  const std::string pem_a = CsrBuilder::kubelet_serving("worker-0").pem();
  const std::string pem_b = CsrBuilder::kubelet_serving("worker-1").pem();
  const std::string pem_c = CsrBuilder::kubelet_client("worker-2").pem();
  lw->set_objects({csr_object("a", serving_at("worker-0", "2026-11-23T10:00:00Z"), pem_a),
                   csr_object("b", serving_at("worker-1", "2026-11-23T09:00:00Z"), pem_b),
                   csr_object("c", boot, pem_c)},
                  "10");
  auto owned = synced_cache(lw);
  daemon::CsrCache& cache = *owned;
  REQUIRE(lw->wait_for_idle_watch(1));
  const std::string serving = "kubernetes.io/kubelet-serving";
  const std::string client = "kubernetes.io/kube-apiserver-client-kubelet";
  auto pending = cache.pending_by_signer();
  CHECK(pending[serving].count == 2);
  CHECK(pending[serving].oldest == parse_rfc3339("2026-11-23T09:00:00Z"));
  CHECK(pending[client].count == 1);

  // The oldest is approved: the next oldest counts. c is announced again: still one.
  auto approved = serving_at("worker-1", "2026-11-23T09:00:00Z");
  approved.conditions = {"Approved"};
  lw->push_watch({{testing::event(Type::kModified, csr_object("b", approved, pem_b, "11")),
                   testing::event(Type::kAdded, csr_object("c", boot, pem_c, "12"))},
                  Status::ok(),
                  true});
  REQUIRE(lw->wait_for_idle_watch(2));
  pending = cache.pending_by_signer();
  CHECK(pending[serving].count == 1);
  CHECK(pending[serving].oldest == parse_rfc3339("2026-11-23T10:00:00Z"));
  CHECK(pending[client].count == 1);

  lw->push_watch({{testing::event(Type::kDeleted,
                                  csr_object("a", serving_at("worker-0", "2026-11-23T10:00:00Z"),
                                             pem_a, "13"))},
                  Status::ok(),
                  true});
  REQUIRE(lw->wait_for_idle_watch(3));
  pending = cache.pending_by_signer();
  CHECK(pending.count(serving) == 0);
  CHECK(pending[client].count == 1);
  cache.informer().stop();
}

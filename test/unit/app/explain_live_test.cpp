// Live explain through a fake API client: what it reads from the cluster, how the
// ConfigMap and machine APIs change the inventory, and the errors for unusable clusters.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>

#include "app/explain.h"
#include "base/time_format.h"
#include "fake_api.h"
#include "support/csr_builder.h"
#include "support/csr_object.h"

using nca::Status;
using nca::app::ExplainOptions;
using nca::app::OutputFormat;
namespace kube = nca::kube;

namespace {

using nca::app::testing::FakeApi;

nlohmann::json serving_csr(const std::string& name, const std::string& node,
                           const std::string& ip) {
  auto opts = nca::test::serving_csr_options(node);
  opts.name = name;
  opts.creation_timestamp = "2026-11-23T12:00:00Z";
  return nca::test::make_csr_object(opts,
                                    nca::test::CsrBuilder::kubelet_serving(node).ip(ip).pem());
}

struct Run {
  int code;
  std::string out, err;
  nlohmann::json json() const { return nlohmann::json::parse(out); }
};

Run explain(FakeApi& api, ExplainOptions o) {
  std::ostringstream out, err;
  const auto now = *nca::parse_rfc3339("2026-11-23T12:05:00Z");
  const int code = nca::app::run_live_explain(o, api, now, out, err);
  return {code, out.str(), err.str()};
}

// Without a ConfigMap name: no ConfigMap at all (the Deployment's default has its own cases).
ExplainOptions live(const std::string& name, const std::string& config_map = "") {
  ExplainOptions o;
  o.name = name;
  o.config_map = config_map;
  o.no_config_map = config_map.empty();
  o.output = OutputFormat::kJson;
  return o;
}

const char* kInventory20 =
    "machines:\n  - name: worker-0\n    hostnames: [worker-0]\n    addresses: [192.0.2.20]\n";

}  // namespace

TEST_CASE("live explain: Nodes only, the node's own address is approved") {
  FakeApi api;
  api.add_node("worker-0", "192.0.2.20");
  api.add_csr(serving_csr("good", "worker-0", "192.0.2.20"));
  api.add_csr(serving_csr("other-ip", "worker-0", "192.0.2.99"));
  Run good = explain(api, live("good"));
  REQUIRE(good.code == 0);
  CHECK(good.json()["outcome"] == "approve");
  Run bad = explain(api, live("other-ip"));
  REQUIRE(bad.code == 0);
  CHECK(bad.json()["outcome"] == "pending");
  CHECK(bad.json()["reason"] == "SanIpNotInInventory");
  CHECK(api.writes == 0);
}

TEST_CASE("live explain shows, per SAN, what vouched for it or why nothing did") {
  FakeApi api;
  api.add_node("worker-0", "192.0.2.20");
  api.add_csr(serving_csr("other-ip", "worker-0", "192.0.2.99"));
  Run bad = explain(api, live("other-ip"));
  REQUIRE(bad.code == 0);
  const auto evidence = bad.json()["evidence"];
  REQUIRE(evidence.size() == 2);
  CHECK(evidence[0]["san"] == "worker-0");
  CHECK(evidence[0]["type"] == "DNS");
  CHECK(evidence[0]["source"] == "node");
  CHECK(evidence[1]["san"] == "192.0.2.99");
  CHECK(evidence[1]["source"] == "");
  CHECK_THAT(evidence[1]["detail"].get<std::string>(), Catch::Contains("not an address of node"));
  ExplainOptions text = live("other-ip");
  text.output = OutputFormat::kText;
  Run t = explain(api, text);
  CHECK_THAT(t.out, Catch::Contains("evidence per SAN:"));
  CHECK_THAT(t.out, Catch::Contains("DNS:worker-0"));
  CHECK_THAT(t.out, Catch::Contains("IP:192.0.2.99  vouched by nothing: not an address of node"));
}

TEST_CASE("live explain: the ConfigMap's inventory and config are used") {
  FakeApi api;
  api.add_node("worker-0", "192.0.2.20");
  api.add_csr(serving_csr("good", "worker-0", "192.0.2.20"));
  api.add_csr(serving_csr("other-ip", "worker-0", "192.0.2.99"));

  api.add_config_map({{"config.yaml", "{}"}, {"inventory.yaml", kInventory20}});
  CHECK(explain(api, live("good", "node-csr-approver/cfg")).json()["outcome"] == "approve");

  // A static inventory that does not list the Node's address: Node addresses stop counting.
  api.add_config_map({{"inventory.yaml",
                       "machines:\n  - name: worker-0\n    hostnames: [worker-0]\n"
                       "    addresses: [192.0.2.30]\n"}});
  Run r = explain(api, live("good", "node-csr-approver/cfg"));
  CHECK(r.json()["outcome"] == "pending");
  CHECK(r.json()["reason"] == "SanIpNotInInventory");

  // config.yaml applies: failures become denials.
  api.add_config_map({{"config.yaml", "failureAction: deny\n"}, {"inventory.yaml", kInventory20}});
  Run deny = explain(api, live("other-ip", "node-csr-approver/cfg"));
  CHECK(deny.json()["outcome"] == "deny");
}

TEST_CASE("live explain: a served machine API counts as inventory even when empty") {
  FakeApi api;
  api.add_node("worker-0", "192.0.2.20");
  api.add_csr(serving_csr("good", "worker-0", "192.0.2.20"));
  api.served.insert("machine.openshift.io/v1beta1/machines");
  Run r = explain(api, live("good"));
  REQUIRE(r.code == 0);
  CHECK(r.json()["outcome"] == "pending");  // no Machine for worker-0: not approved
}

TEST_CASE("live explain: a missing ConfigMap is a note, the defaults apply") {
  FakeApi api;
  api.add_node("worker-0", "192.0.2.20");
  api.add_csr(serving_csr("good", "worker-0", "192.0.2.20"));
  Run r = explain(api, live("good", "node-csr-approver/absent"));
  REQUIRE(r.code == 0);
  CHECK(r.json()["outcome"] == "approve");
  CHECK_THAT(r.err, Catch::Contains("ConfigMap node-csr-approver/absent does not exist"));
}

TEST_CASE("live explain reads the Deployment's ConfigMap by default and names its sources") {
  FakeApi api;
  api.add_node("worker-0", "192.0.2.20");
  api.add_csr(serving_csr("good", "worker-0", "192.0.2.20"));
  api.add_config_map({{"config.yaml", "failureAction: deny\n"}, {"inventory.yaml", kInventory20}},
                     "node-csr-approver-config");
  ExplainOptions o = live("good");
  o.no_config_map = false;
  Run r = explain(api, o);
  REQUIRE(r.code == 0);
  CHECK(r.json()["outcome"] == "approve");
  CHECK(r.json()["sources"]["config"] ==
        "ConfigMap node-csr-approver/node-csr-approver-config config.yaml");
  CHECK(r.json()["sources"]["inventory"].dump().find(
            "static inventory from ConfigMap node-csr-approver/node-csr-approver-config "
            "inventory.yaml") != std::string::npos);
  CHECK(r.json()["sources"]["inventory"][0] == "Nodes (1)");
  o.output = OutputFormat::kText;
  Run text = explain(api, o);
  CHECK_THAT(text.out, Catch::Contains("config:    ConfigMap node-csr-approver/"));
  CHECK_THAT(text.out, Catch::Contains("inventory: Nodes (1), static inventory from"));
}

TEST_CASE("live explain never answers approve from a config it could not read") {
  // Fails before: without --config-map explain used the built-in defaults and no static
  // inventory, and said approve for a CSR the controller held.
  FakeApi api;
  api.add_node("worker-0", "192.0.2.20");
  api.add_csr(serving_csr("good", "worker-0", "192.0.2.20"));
  ExplainOptions o = live("good");
  o.no_config_map = false;

  Run absent = explain(api, o);  // the Deployment's ConfigMap does not exist
  CHECK(absent.code == nca::app::kExitConfigUnavailable);
  CHECK(absent.json()["outcome"] == "pending");
  CHECK(absent.json()["reason"] == "ConfigUnavailable");
  CHECK_THAT(absent.json()["message"].get<std::string>(), Catch::Contains("would be approve"));
  CHECK_THAT(absent.err, Catch::Contains("node-csr-approver-config does not exist"));

  api.errors[kube::resources::configmaps().object_path("node-csr-approver",
                                                       "node-csr-approver-config")] =
      Status(nca::Code::kForbidden, "configmaps is forbidden");
  Run forbidden = explain(api, o);
  CHECK(forbidden.code == nca::app::kExitConfigUnavailable);
  CHECK(forbidden.json()["reason"] == "ConfigUnavailable");
  CHECK_THAT(forbidden.json()["sources"]["configError"].get<std::string>(),
             Catch::Contains("forbidden"));

  // --no-config-map: files or defaults on purpose, an answer again.
  o.no_config_map = true;
  Run none = explain(api, o);
  CHECK(none.code == 0);
  CHECK(none.json()["outcome"] == "approve");
  CHECK(none.json()["sources"]["config"] == "built-in defaults");
  CHECK(api.writes == 0);
}

TEST_CASE("live explain: unusable clusters exit 2 with a clear message") {
  FakeApi api;
  api.add_node("worker-0", "192.0.2.20");
  api.add_csr(serving_csr("good", "worker-0", "192.0.2.20"));

  Run missing = explain(api, live("nope"));
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("CertificateSigningRequest nope not found"));
  CHECK(missing.out.empty());

  // A ConfigMap the controller rejects (and no last good copy): its config is unknown.
  api.add_config_map({{"config.yaml", "failureAction: maybe\n"}});
  Run bad_cm = explain(api, live("good", "node-csr-approver/cfg"));
  CHECK(bad_cm.code == nca::app::kExitConfigUnavailable);
  CHECK_THAT(bad_cm.err, Catch::Contains("ConfigMap node-csr-approver/cfg config.yaml"));
  CHECK_THAT(bad_cm.err, Catch::Contains("failureAction"));

  api.add_config_map({{"inventory.yaml", "machines: [{name: w, addresses: [nope]}]\n"}});
  Run bad_inv = explain(api, live("good", "node-csr-approver/cfg"));
  CHECK(bad_inv.code == nca::app::kExitConfigUnavailable);
  CHECK_THAT(bad_inv.err, Catch::Contains("inventory.yaml"));

  api.errors[kube::resources::nodes().collection_path()] =
      Status(nca::Code::kForbidden, "nodes is forbidden");
  Run forbidden = explain(api, live("good"));
  CHECK(forbidden.code == 2);
  CHECK_THAT(forbidden.err, Catch::Contains("cannot read Nodes: nodes is forbidden"));
  CHECK_THAT(forbidden.err, Catch::Contains("read rights"));
  api.errors.clear();

  api.errors["discovery metal3.io"] = Status(nca::Code::kUnavailable, "503");
  Run discovery = explain(api, live("good"));
  CHECK(discovery.code == 2);
  CHECK_THAT(discovery.err, Catch::Contains("metal3.io/v1alpha1 baremetalhosts"));
  api.errors.clear();

  api.errors[kube::resources::csrs().object_path("", "good")] =
      Status(nca::Code::kUnavailable, "connection refused");
  Run down = explain(api, live("good"));
  CHECK(down.code == 2);
  CHECK_THAT(down.err, Catch::Contains("cannot reach the API server"));
  CHECK_THAT(down.err, Catch::Contains("connection refused"));
  CHECK(api.writes == 0);
}

TEST_CASE("live explain: a bad kubeconfig exits 2 naming it") {
  ExplainOptions o = live("good");
  o.kubeconfig = "/nonexistent/kubeconfig";
  std::ostringstream out, err;
  CHECK(nca::app::run_explain(o, std::chrono::system_clock::now(), out, err) == 2);
  CHECK_THAT(err.str(), Catch::Contains("--kubeconfig /nonexistent/kubeconfig"));
}

TEST_CASE("live explain: cluster-internal SANs a Node reports itself are refused, named") {
  FakeApi api;
  api.lists[kube::resources::nodes().collection_path()].push_back(
      {{"apiVersion", "v1"},
       {"kind", "Node"},
       {"metadata", {{"name", "worker-0"}, {"creationTimestamp", "2026-11-20T10:00:00Z"}}},
       {"status",
        {{"addresses",
          {{{"type", "InternalIP"}, {"address", "192.0.2.20"}},
           {{"type", "InternalIP"}, {"address", "10.96.0.1"}},
           {{"type", "InternalIP"}, {"address", "10.96.0.7"}},
           {{"type", "Hostname"}, {"address", "kubernetes.default.svc"}},
           {{"type", "Hostname"}, {"address", "worker-0"}}}}}}});
  const kube::Resource services{"", "v1", "services", true};
  api.objects[services.object_path("default", "kubernetes")] = {
      {"metadata", {{"name", "kubernetes"}, {"namespace", "default"}}},
      {"spec", {{"clusterIP", "10.96.0.1"}, {"clusterIPs", {"10.96.0.1"}}}}};
  const kube::Resource cidrs{"networking.k8s.io", "v1", "servicecidrs", false};
  api.served.insert("networking.k8s.io/v1/servicecidrs");
  api.lists[cidrs.collection_path()].push_back(
      {{"metadata", {{"name", "kubernetes"}}}, {"spec", {{"cidrs", {"10.96.0.0/24"}}}}});
  auto csr = [&](const std::string& name, const std::string& dns, const std::string& ip) {
    auto opts = nca::test::serving_csr_options("worker-0");
    opts.name = name;
    opts.creation_timestamp = "2026-11-23T12:00:00Z";
    auto builder = nca::test::CsrBuilder::kubelet_serving("worker-0");
    if (!dns.empty()) builder.dns(dns);
    api.add_csr(nca::test::make_csr_object(opts, builder.ip(ip).pem()));
  };
  csr("apiserver-name", "kubernetes.default.svc", "192.0.2.20");
  csr("apiserver-ip", "", "10.96.0.1");
  csr("service-range", "", "10.96.0.7");
  csr("good", "", "192.0.2.20");

  Run name = explain(api, live("apiserver-name"));
  REQUIRE(name.code == 0);
  CHECK(name.json()["outcome"] == "pending");
  CHECK(name.json()["reason"] == "ClusterInternalName");
  CHECK_THAT(name.out, Catch::Contains("kubernetes.default.svc"));
  Run ip = explain(api, live("apiserver-ip"));
  REQUIRE(ip.code == 0);
  CHECK(ip.json()["reason"] == "ClusterInternalAddress");
  CHECK_THAT(ip.out, Catch::Contains("Service default/kubernetes"));
  Run range = explain(api, live("service-range"));
  REQUIRE(range.code == 0);
  CHECK(range.json()["reason"] == "ClusterInternalAddress");
  CHECK_THAT(range.out, Catch::Contains("10.96.0.0/24 (ServiceCIDR kubernetes)"));
  Run good = explain(api, live("good"));
  REQUIRE(good.code == 0);
  CHECK(good.json()["outcome"] == "approve");

  // A discovery error is not "not served": explain refuses to answer.
  api.errors["discovery networking.k8s.io"] = Status(nca::Code::kUnavailable, "503");
  Run discovery = explain(api, live("good"));
  CHECK(discovery.code == 2);
  CHECK_THAT(discovery.err, Catch::Contains("ServiceCIDRs"));
  CHECK(api.writes == 0);
}

// The controller keeps its last good configuration when its ConfigMap is rejected, deleted
// or loses a key (daemon::ConfigTracker), and the leader stores it in NAME-last-good:
// explain reads that copy and answers as the controller would. Fails before: a rejected
// ConfigMap was an explain error (exit 2), a deleted one meant the defaults, and one that
// lost its inventory key meant Nodes only (approve for an address the inventory refuses).
TEST_CASE("live explain answers from the last good copy when the controller does") {
  FakeApi api;
  api.add_node("worker-0", "192.0.2.20");
  api.add_csr(serving_csr("good", "worker-0", "192.0.2.20"));
  const std::string copy_source = "ConfigMap node-csr-approver/cfg-last-good config.yaml";
  // The copy's inventory does not list the Node's address: the controller holds the CSR.
  const char* kInventory30 =
      "machines:\n  - name: worker-0\n    hostnames: [worker-0]\n    addresses: [192.0.2.30]\n";
  api.add_config_map({{"config.yaml", "{}\n"}, {"inventory.yaml", kInventory30}}, "cfg-last-good");

  SECTION("a rejected version") {
    api.add_config_map({{"config.yaml", "failureAction: sometimes\n"}});
    Run r = explain(api, live("good", "node-csr-approver/cfg"));
    REQUIRE(r.code == 0);
    CHECK(r.json()["outcome"] == "pending");
    CHECK(r.json()["reason"] == "SanIpNotInInventory");
    CHECK(r.json()["sources"]["config"] == copy_source);
    CHECK_THAT(r.err, Catch::Contains("ConfigMap node-csr-approver/cfg is rejected"));
    CHECK_THAT(r.err, Catch::Contains("keeps its last good configuration"));
  }
  SECTION("a deleted ConfigMap") {
    Run r = explain(api, live("good", "node-csr-approver/cfg"));
    REQUIRE(r.code == 0);
    CHECK(r.json()["reason"] == "SanIpNotInInventory");
    CHECK(r.json()["sources"]["config"] == copy_source);
    CHECK_THAT(r.err, Catch::Contains("ConfigMap node-csr-approver/cfg does not exist"));
  }
  SECTION("a version that lost the inventory key") {
    api.add_config_map({{"config.yaml", "{}\n"}});
    Run r = explain(api, live("good", "node-csr-approver/cfg"));
    REQUIRE(r.code == 0);
    CHECK(r.json()["reason"] == "SanIpNotInInventory");
    CHECK_THAT(r.err, Catch::Contains("lost its key inventory.yaml"));
    CHECK_THAT(r.err, Catch::Contains("a restarted controller would apply"));
  }
  SECTION("a valid version with every key is used, not the copy") {
    api.add_config_map({{"config.yaml", "{}\n"}, {"inventory.yaml", kInventory20}});
    Run r = explain(api, live("good", "node-csr-approver/cfg"));
    REQUIRE(r.code == 0);
    CHECK(r.json()["outcome"] == "approve");
    CHECK(r.json()["sources"]["config"] == "ConfigMap node-csr-approver/cfg config.yaml");
  }
  SECTION("a copy that cannot be read: the controller's config is unknown") {
    api.add_config_map({{"config.yaml", "{}\n"}, {"inventory.yaml", kInventory20}});
    api.errors[kube::resources::configmaps().object_path("node-csr-approver", "cfg-last-good")] =
        Status(nca::Code::kForbidden, "configmaps is forbidden");
    Run r = explain(api, live("good", "node-csr-approver/cfg"));
    CHECK(r.code == nca::app::kExitConfigUnavailable);
    CHECK(r.json()["reason"] == "ConfigUnavailable");
  }
  SECTION("a rejected version and an unusable copy: unknown") {
    api.add_config_map({{"config.yaml", "failureAction: sometimes\n"}});
    api.add_config_map({{"config.yaml", "failureAction: [\n"}}, "cfg-last-good");
    Run r = explain(api, live("good", "node-csr-approver/cfg"));
    CHECK(r.code == nca::app::kExitConfigUnavailable);
    CHECK_THAT(r.json()["sources"]["configError"].get<std::string>(),
               Catch::Contains("unusable too"));
  }
  CHECK(api.writes == 0);
}

TEST_CASE("live explain: a rejected ConfigMap without a last good copy is an unknown config") {
  FakeApi api;
  api.add_node("worker-0", "192.0.2.20");
  api.add_csr(serving_csr("good", "worker-0", "192.0.2.20"));
  api.add_config_map({{"config.yaml", "failureAction: sometimes\n"}});
  Run r = explain(api, live("good", "node-csr-approver/cfg"));
  CHECK(r.code == nca::app::kExitConfigUnavailable);
  CHECK(r.json()["reason"] == "ConfigUnavailable");
  CHECK_THAT(r.json()["sources"]["configError"].get<std::string>(),
             Catch::Contains("no last good copy"));
}

// Requests against a real API server: ConfigMap CRUD, CSR approval through /approval,
// API discovery.
#include <catch2/catch.hpp>

#include "base/clock.h"
#include "kube/base64.h"
#include "kube/decode.h"
#include "kube/encode.h"
#include "test_cluster.h"

using namespace nca::kube;
using namespace nca::kube::testing;
using nca::Code;
using nlohmann::json;

TEST_CASE("ConfigMap create, get, update, patch, conflict, delete") {
  auto client = admin_client();
  ScopedNamespace ns(client);
  auto cms = resources::configmaps();
  json cm{{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", "cm-1"}}},
          {"data", {{"a", "1"}}}};
  auto created = client->create(cms, ns.name, cm);
  INFO(created.status().to_string());
  REQUIRE(created);
  auto again = client->create(cms, ns.name, cm);
  CHECK(again.status().code() == Code::kAlreadyExists);

  auto got = client->get(cms, ns.name, "cm-1");
  REQUIRE(got);
  auto decoded = decode_configmap(*got);
  REQUIRE(decoded);
  CHECK(decoded->data.at("a") == "1");
  CHECK(object_key(decoded->metadata) == ns.name + "/cm-1");

  json changed = *got;
  changed["data"]["a"] = "2";
  auto updated = client->update(cms, ns.name, "cm-1", changed);
  REQUIRE(updated);
  CHECK((*updated)["data"]["a"] == "2");
  // The same stale resourceVersion again: optimistic concurrency says no.
  changed["data"]["a"] = "3";
  auto stale = client->update(cms, ns.name, "cm-1", changed);
  CHECK(stale.status().code() == Code::kConflict);

  auto merged =
      client->patch(cms, ns.name, "cm-1", PatchType::kMerge, json{{"data", {{"b", "x"}}}});
  REQUIRE(merged);
  CHECK((*merged)["data"] == json{{"a", "2"}, {"b", "x"}});
  auto strategic = client->patch(cms, ns.name, "cm-1", PatchType::kStrategicMerge,
                                 json{{"metadata", {{"labels", {{"l", "v"}}}}}});
  REQUIRE(strategic);
  CHECK((*strategic)["metadata"]["labels"]["l"] == "v");
  auto jsonpatch = client->patch(cms, ns.name, "cm-1", PatchType::kJsonPatch,
                                 json::array({{{"op", "remove"}, {"path", "/data/b"}}}));
  REQUIRE(jsonpatch);
  CHECK_FALSE((*jsonpatch)["data"].contains("b"));

  REQUIRE(client->remove(cms, ns.name, "cm-1").is_ok());
  CHECK(client->get(cms, ns.name, "cm-1").status().code() == Code::kNotFound);
  CHECK(client->remove(cms, ns.name, "cm-1").code() == Code::kNotFound);
}

TEST_CASE("a CSR is approved through /approval; a stale approval is a Conflict") {
  auto client = admin_client();
  auto csrs = resources::csrs();
  std::string name = unique_name("nca-it-csr");
  json csr{{"apiVersion", "certificates.k8s.io/v1"},
           {"kind", "CertificateSigningRequest"},
           {"metadata", {{"name", name}, {"labels", {{"nca-integration", "kept"}}}}},
           {"spec",
            {{"request", base64_encode(make_csr_pem("nca-integration"))},
             {"signerName", "example.com/nca-integration"},
             {"usages", {"digital signature", "client auth"}}}}};
  auto created = client->create(csrs, "", csr);
  INFO(created.status().to_string());
  REQUIRE(created);
  auto typed = decode_csr(*created);
  REQUIRE(typed);
  CHECK(typed->is_pending());
  CHECK(typed->request_pem.rfind("-----BEGIN CERTIFICATE REQUEST-----", 0) == 0);

  // The approver's one write: a merge patch of /approval from the decoded copy. It must
  // leave every other field as it was (a label here) and add exactly the condition.
  auto now = nca::real_clock()->wall_now();
  auto body = approval_patch(*typed, "Approved", "NCAIntegration", "approved by the test", now);
  REQUIRE(body);
  auto approved = client->patch(csrs, "", name, PatchType::kMerge, *body, "approval");
  INFO(approved.status().to_string());
  REQUIRE(approved);
  auto after_raw = client->get(csrs, "", name);
  REQUIRE(after_raw);
  CHECK((*after_raw)["metadata"]["labels"] == (*created)["metadata"]["labels"]);
  CHECK((*after_raw)["spec"] == (*created)["spec"]);
  auto after = decode_csr(*after_raw);
  REQUIRE(after);
  CHECK(after->is_approved());
  REQUIRE(after->conditions.size() == 1);
  CHECK(after->conditions[0].reason == "NCAIntegration");

  // Built from the copy read before the approval: its resourceVersion is stale, and the
  // server refuses it rather than adding a second decision.
  auto stale = approval_patch(*typed, "Denied", "Late", "too late", now);
  REQUIRE(stale);
  auto conflict = client->patch(csrs, "", name, PatchType::kMerge, *stale, "approval");
  CHECK(conflict.status().code() == Code::kConflict);
  auto final_csr = decode_csr(*client->get(csrs, "", name));
  REQUIRE(final_csr);
  CHECK_FALSE(final_csr->is_denied());

  CHECK(client->remove(csrs, "", name).is_ok());
}

TEST_CASE("API discovery finds served resources and not absent groups") {
  auto client = admin_client();
  CHECK(client->has_resource("certificates.k8s.io", "v1", "certificatesigningrequests").value());
  CHECK_FALSE(client->has_resource("certificates.k8s.io", "v1", "nope").value());
  CHECK(client->has_resource("", "v1", "nodes").value());
  auto machines = client->has_resource("machine.openshift.io", "v1beta1", "machines");
  INFO(machines.status().to_string());
  REQUIRE(machines);
  CHECK_FALSE(*machines);
}

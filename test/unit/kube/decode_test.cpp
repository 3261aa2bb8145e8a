#include "kube/decode.h"

#include <catch2/catch.hpp>

#include "base/time_format.h"
#include "kube/base64.h"

using nlohmann::json;
using namespace nca::kube;

namespace {

json valid_csr() {
  return json::parse(R"({
    "apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
    "metadata": {"name": "csr-abc", "uid": "u-1", "resourceVersion": "42",
                 "creationTimestamp": "2026-11-20T10:00:00Z",
                 "labels": {"a": "b"}, "managedFields": [{"manager": "x"}]},
    "spec": {"request": "LS0tLS1CRUdJTg==", "signerName": "kubernetes.io/kubelet-serving",
             "expirationSeconds": 86400, "usages": ["digital signature", "server auth"],
             "username": "system:node:n1", "uid": "x", "groups": ["system:nodes", "system:authenticated"],
             "extra": {"k": ["v1", "v2"]}, "somethingNew": {"deep": [1,2,3]}},
    "status": {"conditions": [{"type": "Approved", "status": "True", "reason": "R",
               "message": "M", "lastUpdateTime": "2026-11-20T10:00:01Z"}],
               "certificate": "Zm9v"}
  })");
}

}  // namespace

TEST_CASE("a valid CSR decodes with every field the approver reads") {
  auto csr = decode_csr(valid_csr());
  REQUIRE(csr);
  CHECK(csr->metadata.name == "csr-abc");
  CHECK(object_key(csr->metadata) == "csr-abc");
  CHECK(csr->metadata.resource_version == "42");
  CHECK(csr->metadata.creation_timestamp == nca::parse_rfc3339("2026-11-20T10:00:00Z"));
  CHECK(csr->request_pem == "-----BEGIN");
  CHECK(csr->signer_name == "kubernetes.io/kubelet-serving");
  CHECK(csr->expiration_seconds == 86400);
  CHECK(csr->usages == std::vector<std::string>{"digital signature", "server auth"});
  CHECK(csr->username == "system:node:n1");
  CHECK(csr->groups.size() == 2);
  CHECK(csr->extra.at("k") == std::vector<std::string>{"v1", "v2"});
  CHECK(csr->is_approved());
  CHECK_FALSE(csr->is_pending());
  CHECK(csr->has_certificate);
  REQUIRE(csr->conditions.size() == 1);
  CHECK(csr->conditions[0].reason == "R");
  CHECK(csr->conditions[0].last_update_time);
}

TEST_CASE("a condition with status False does not count") {
  json j = valid_csr();
  j["status"]["conditions"][0]["status"] = "False";
  auto csr = decode_csr(j);
  REQUIRE(csr);
  CHECK_FALSE(csr->is_approved());
  CHECK(csr->is_pending());
}

TEST_CASE("malformed CSRs are errors naming the field") {
  struct Case {
    const char* what;
    std::function<void(json&)> mutate;
    const char* needle;
  };
  std::vector<Case> cases = {
      {"no metadata", [](json& j) { j.erase("metadata"); }, "metadata"},
      {"no name", [](json& j) { j["metadata"].erase("name"); }, "metadata.name"},
      {"empty name", [](json& j) { j["metadata"]["name"] = ""; }, "metadata.name"},
      {"numeric name", [](json& j) { j["metadata"]["name"] = 7; }, "metadata.name"},
      {"labels array", [](json& j) { j["metadata"]["labels"] = json::array(); }, "metadata.labels"},
      {"label value int", [](json& j) { j["metadata"]["labels"]["a"] = 1; }, "metadata.labels.a"},
      {"bad timestamp", [](json& j) { j["metadata"]["creationTimestamp"] = "yesterday"; },
       "metadata.creationTimestamp"},
      {"spec string", [](json& j) { j["spec"] = "x"; }, "spec"},
      {"no request", [](json& j) { j["spec"].erase("request"); }, "spec.request"},
      {"bad base64", [](json& j) { j["spec"]["request"] = "not base64!"; }, "spec.request"},
      {"usage int", [](json& j) { j["spec"]["usages"][1] = 3; }, "spec.usages[1]"},
      {"expiration string", [](json& j) { j["spec"]["expirationSeconds"] = "1"; },
       "spec.expirationSeconds"},
      {"extra not list", [](json& j) { j["spec"]["extra"]["k"] = "v"; }, "spec.extra.k"},
      {"conditions object", [](json& j) { j["status"]["conditions"] = json::object(); },
       "status.conditions"},
      {"condition type missing", [](json& j) { j["status"]["conditions"][0].erase("type"); },
       "status.conditions[0].type"},
      {"certificate int", [](json& j) { j["status"]["certificate"] = 1; }, "status.certificate"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    json j = valid_csr();
    c.mutate(j);
    auto csr = decode_csr(j);
    REQUIRE_FALSE(csr);
    CHECK(csr.status().code() == nca::Code::kInvalid);
    CHECK_THAT(csr.status().message(), Catch::Contains(c.needle));
    CHECK_THAT(csr.status().message(), Catch::Contains("CertificateSigningRequest"));
  }
}

TEST_CASE("non-object inputs are errors, not crashes") {
  for (const json& j : {json(), json(1), json("x"), json::array({1, 2}), json::object()}) {
    CHECK_FALSE(decode_csr(j));
    CHECK_FALSE(decode_node(j));
    CHECK_FALSE(decode_lease(j));
    CHECK_FALSE(decode_configmap(j));
    CHECK_FALSE(decode_event(j));
    CHECK_FALSE(decode_unstructured(j));
    CHECK_FALSE(decode_meta(j));
  }
}

TEST_CASE("null fields read as absent") {
  json j = valid_csr();
  j["metadata"]["labels"] = nullptr;
  j["status"] = nullptr;
  j["spec"]["usages"] = nullptr;
  auto csr = decode_csr(j);
  REQUIRE(csr);
  CHECK(csr->metadata.labels.empty());
  CHECK(csr->usages.empty());
  CHECK(csr->is_pending());
}

TEST_CASE("strict base64") {
  CHECK(base64_decode("").value().empty());
  CHECK(base64_decode("Zg==").value() == "f");
  CHECK(base64_decode("Zm8=").value() == "fo");
  CHECK(base64_decode("Zm9v").value() == "foo");
  for (const char* bad : {"Zg", "Zg=", "Z===", "Zg==Zg==", "Zm9v!A==", "Zh==", "Zm9=", "=Zg="}) {
    INFO(bad);
    CHECK_FALSE(base64_decode(bad));
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n < all.size(); n += 37) {
    auto prefix = all.substr(0, n);
    CHECK(base64_decode(base64_encode(prefix)).value() == prefix);
  }
}

TEST_CASE("a namespaced object's key includes its namespace") {
  auto cm = decode_configmap(
      json{{"metadata", {{"name", "c"}, {"namespace", "kube-system"}}}, {"data", {{"k", "v"}}}});
  REQUIRE(cm);
  CHECK(object_key(cm->metadata) == "kube-system/c");
  CHECK(cm->data.at("k") == "v");
  CHECK(raw_object_key(json{{"metadata", {{"name", "n"}}}}).value() == "n");
  CHECK_FALSE(decode_configmap(json{{"metadata", {{"name", "c"}}}, {"data", {{"k", 1}}}}));
}

TEST_CASE("Node spec.podCIDRs (or spec.podCIDR) decode leniently") {
  auto n = decode_node(json::parse(R"({"metadata":{"name":"n1","resourceVersion":"1"},
      "spec":{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24",3,"fd00:244:1::/64"]}})"));
  REQUIRE(n);
  CHECK(n->pod_cidrs == std::vector<std::string>{"10.244.1.0/24", "fd00:244:1::/64"});
  auto old =
      decode_node(json::parse(R"({"metadata":{"name":"n2"},"spec":{"podCIDR":"10.0.0.0/24"}})"));
  REQUIRE(old);
  CHECK(old->pod_cidrs == std::vector<std::string>{"10.0.0.0/24"});
  auto bad = decode_node(json::parse(R"({"metadata":{"name":"n3"},"spec":{"podCIDRs":{"a":1}}})"));
  REQUIRE(bad);  // a bad podCIDRs never costs the Node its place in the cache
  CHECK(bad->pod_cidrs.empty());
}

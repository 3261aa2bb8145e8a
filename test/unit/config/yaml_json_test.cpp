#include "config/yaml_json.h"

#include <catch2/catch.hpp>

using nca::config::yaml_documents_to_json;
using nca::config::yaml_to_json;
using nlohmann::json;

TEST_CASE("yaml_to_json: scalars typed by the YAML 1.2 core schema") {
  auto r = yaml_to_json(R"(
int: 42
neg: -7
hex: 0x1F
float: 1.5
exp: 1e3
yes_bool: true
no_bool: False
nothing: null
tilde: ~
empty:
word: hello
quoted_int: "1234"
quoted_bool: 'true'
quoted_null: "null"
yes_word: yes
version: 1.36.3
time: 2026-11-20T10:00:00Z
explicit: !!str 12
)");
  REQUIRE(r.is_ok());
  const json& j = r.value();
  CHECK(j["int"] == 42);
  CHECK(j["int"].is_number_integer());
  CHECK(j["neg"] == -7);
  CHECK(j["hex"] == 31);
  CHECK(j["float"] == 1.5);
  CHECK(j["exp"] == 1000.0);
  CHECK(j["yes_bool"] == true);
  CHECK(j["no_bool"] == false);
  CHECK(j["nothing"].is_null());
  CHECK(j["tilde"].is_null());
  CHECK(j["empty"].is_null());
  CHECK(j["word"] == "hello");
  CHECK(j["quoted_int"] == "1234");
  CHECK(j["quoted_bool"] == "true");
  CHECK(j["quoted_null"] == "null");
  CHECK(j["yes_word"] == "yes");  // YAML 1.2: not a boolean
  CHECK(j["version"] == "1.36.3");
  CHECK(j["time"] == "2026-11-20T10:00:00Z");
  CHECK(j["explicit"] == "12");
}

TEST_CASE("yaml_to_json: a Kubernetes object as kubectl prints it") {
  auto r = yaml_to_json(R"(apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  creationTimestamp: "2026-11-23T12:00:00Z"
  name: csr-abc
  resourceVersion: "123"
spec:
  expirationSeconds: 86400
  groups:
  - system:nodes
  - system:authenticated
  request: LS0tLS1CRUdJTg==
  signerName: kubernetes.io/kubelet-serving
  usages:
  - digital signature
  - server auth
  username: system:node:worker-0
status: {}
)");
  REQUIRE(r.is_ok());
  const json& j = r.value();
  CHECK(j["metadata"]["resourceVersion"] == "123");
  CHECK(j["spec"]["expirationSeconds"] == 86400);
  CHECK(j["spec"]["groups"] == json::array({"system:nodes", "system:authenticated"}));
  CHECK(j["status"].is_object());
  CHECK(j["status"].empty());
}

TEST_CASE("yaml_to_json: JSON input is read as is") {
  auto r = yaml_to_json(R"({"a": [1, "2", true, null, 2.5], "b": {"c": "d"}})");
  REQUIRE(r.is_ok());
  CHECK(r.value() == json::parse(R"({"a": [1, "2", true, null, 2.5], "b": {"c": "d"}})"));
}

TEST_CASE("yaml_to_json: documents") {
  CHECK(yaml_to_json("").value().is_null());
  auto many = yaml_to_json("a: 1\n---\nb: 2\n");
  REQUIRE_FALSE(many.is_ok());
  CHECK_THAT(many.status().message(), Catch::Contains("found 2"));
  auto docs = yaml_documents_to_json("a: 1\n---\n---\nb: 2\n");
  REQUIRE(docs.is_ok());
  REQUIRE(docs->size() == 2);
  CHECK(docs.value()[1]["b"] == 2);
}

TEST_CASE("yaml_to_json: errors, not crashes") {
  auto bad = yaml_to_json("a: [1, 2\nb: 3\n");
  REQUIRE_FALSE(bad.is_ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("line"));
  auto dup = yaml_to_json("a: 1\na: 2\n");
  REQUIRE_FALSE(dup.is_ok());
  CHECK_THAT(dup.status().message(), Catch::Contains("duplicate key \"a\""));
  auto complex = yaml_to_json("? [a, b]\n: 1\n");
  REQUIRE_FALSE(complex.is_ok());
  CHECK_THAT(complex.status().message(), Catch::Contains("keys must be scalars"));
}

TEST_CASE("yaml_to_json: alias expansion is bounded") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = c;
  }
  auto r = yaml_to_json(bomb);
  REQUIRE_FALSE(r.is_ok());
  CHECK_THAT(r.status().message(), Catch::Contains("more than"));
}

TEST_CASE("yaml_to_json: deep nesting is an error") {
  std::string deep(5000, '[');
  deep += std::string(5000, ']');
  CHECK_FALSE(yaml_to_json(deep).is_ok());
}

#include "cache/raw_object.h"

#include <catch2/catch.hpp>

using nca::cache::to_raw_object;
using nlohmann::json;

TEST_CASE("to_raw_object keys cluster-scoped and namespaced objects") {
  auto a = to_raw_object(json{{"metadata", {{"name", "csr-1"}, {"resourceVersion", "42"}}}});
  REQUIRE(a);
  CHECK(a->key == "csr-1");
  CHECK(a->resource_version == "42");
  auto b = to_raw_object(json{{"metadata", {{"name", "l"}, {"namespace", "kube-system"}}}});
  REQUIRE(b);
  CHECK(b->key == "kube-system/l");
  CHECK(b->resource_version.empty());
}

TEST_CASE("to_raw_object rejects objects without readable metadata") {
  for (const json& bad :
       {json(nullptr), json::array(), json{{"kind", "X"}}, json{{"metadata", "x"}},
        json{{"metadata", json::object()}}, json{{"metadata", {{"name", ""}}}},
        json{{"metadata", {{"name", 5}}}}, json{{"metadata", {{"name", "a"}, {"namespace", 1}}}},
        json{{"metadata", {{"name", "a"}, {"resourceVersion", 7}}}}}) {
    auto r = to_raw_object(bad);
    CHECK_FALSE(r);
    CHECK(r.status().code() == nca::Code::kInvalid);
  }
  CHECK(nca::cache::resource_version_of(json(3)).empty());
}

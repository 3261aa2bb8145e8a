#include "cache/thread_safe_store.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "cache/lister.h"

using nca::cache::ThreadSafeStore;

namespace {

struct Pod {
  std::string node;
  std::vector<std::string> labels;
};

std::shared_ptr<const Pod> pod(std::string node, std::vector<std::string> labels = {}) {
  return std::make_shared<const Pod>(Pod{std::move(node), std::move(labels)});
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::string> nodes_of(const std::vector<std::shared_ptr<const Pod>>& pods) {
  std::vector<std::string> out;
  for (const auto& p : pods) out.push_back(p->node);
  return out;
}

}  // namespace

TEST_CASE("ThreadSafeStore upserts, gets, lists and removes by key") {
  ThreadSafeStore<Pod> store;
  CHECK(store.upsert("ns/a", pod("n1")) == nullptr);
  CHECK(store.upsert("ns/b", pod("n2")) == nullptr);
  auto old = store.upsert("ns/a", pod("n3"));
  REQUIRE(old != nullptr);
  CHECK(old->node == "n1");
  CHECK(store.get("ns/a")->node == "n3");
  CHECK(store.get("ns/zzz") == nullptr);
  CHECK(store.size() == 2);
  CHECK(sorted(store.keys()) == std::vector<std::string>{"ns/a", "ns/b"});
  CHECK(sorted(nodes_of(store.list())) == std::vector<std::string>{"n2", "n3"});

  auto held = store.get("ns/b");
  CHECK(store.remove("ns/b")->node == "n2");
  CHECK(store.remove("ns/b") == nullptr);
  CHECK(held->node == "n2");  // a reader's snapshot outlives removal
  CHECK(store.size() == 1);
}

TEST_CASE("ThreadSafeStore keeps named indexes in step with writes") {
  ThreadSafeStore<Pod> store;
  REQUIRE(store.add_index("node", [](const Pod& p) { return std::vector<std::string>{p.node}; })
              .is_ok());
  REQUIRE(store.add_index("label", [](const Pod& p) { return p.labels; }).is_ok());
  CHECK(store.add_index("node", [](const Pod&) { return std::vector<std::string>{}; }).code() ==
        nca::Code::kInvalid);

  store.upsert("a", pod("n1", {"x", "y"}));
  store.upsert("b", pod("n1", {"y"}));
  store.upsert("c", pod("n2", {}));
  CHECK(*store.index_keys("node", "n1") == std::vector<std::string>{"a", "b"});
  CHECK(*store.index_keys("label", "y") == std::vector<std::string>{"a", "b"});
  CHECK(store.by_index("node", "n2")->size() == 1);
  CHECK(store.by_index("node", "n9")->empty());
  CHECK(store.by_index("nope", "n1").status().code() == nca::Code::kNotFound);

  // Moving an object drops it from its old index value.
  store.upsert("a", pod("n2", {"x"}));
  CHECK(*store.index_keys("node", "n1") == std::vector<std::string>{"b"});
  CHECK(*store.index_keys("node", "n2") == std::vector<std::string>{"a", "c"});
  CHECK(*store.index_keys("label", "y") == std::vector<std::string>{"b"});

  store.remove("b");
  CHECK(store.index_keys("node", "n1")->empty());
  CHECK(store.index_keys("label", "y")->empty());
}

TEST_CASE("ThreadSafeStore indexes existing objects when an index is added late") {
  ThreadSafeStore<Pod> store;
  store.upsert("a", pod("n1"));
  REQUIRE(store.add_index("node", [](const Pod& p) { return std::vector<std::string>{p.node}; })
              .is_ok());
  CHECK(*store.index_keys("node", "n1") == std::vector<std::string>{"a"});
}

TEST_CASE("ThreadSafeStore replace swaps all content and rebuilds indexes") {
  ThreadSafeStore<Pod> store;
  REQUIRE(store.add_index("node", [](const Pod& p) { return std::vector<std::string>{p.node}; })
              .is_ok());
  store.upsert("a", pod("n1"));
  store.upsert("b", pod("n1"));
  auto old = store.replace({{"b", pod("n2")}, {"c", pod("n3")}});
  CHECK(old.size() == 2);
  CHECK(old.at("a")->node == "n1");
  CHECK(sorted(store.keys()) == std::vector<std::string>{"b", "c"});
  CHECK(store.index_keys("node", "n1")->empty());
  CHECK(*store.index_keys("node", "n2") == std::vector<std::string>{"b"});
  CHECK(*store.index_keys("node", "n3") == std::vector<std::string>{"c"});
}

TEST_CASE("Lister reads through to the store") {
  auto store = std::make_shared<ThreadSafeStore<Pod>>();
  REQUIRE(store->add_index("node", [](const Pod& p) { return std::vector<std::string>{p.node}; })
              .is_ok());
  nca::cache::Lister<Pod> lister(store);
  store->upsert("a", pod("n1"));
  CHECK(lister.get("a")->node == "n1");
  CHECK(lister.size() == 1);
  CHECK(lister.list().size() == 1);
  CHECK(lister.by_index("node", "n1")->size() == 1);
  CHECK(lister.get("b") == nullptr);
}

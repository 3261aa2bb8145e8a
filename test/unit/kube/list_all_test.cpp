// list_all against a fake ApiClient: pages are followed to the end, each item once, and
// the continue token (not a resourceVersion) pins later pages.
#include <catch2/catch.hpp>

#include "kube/client.h"

using namespace nca::kube;
using nca::Result;
using nlohmann::json;

namespace {

class PagedFake final : public ApiClient {
 public:
  std::vector<ListOptions> calls;
  int total = 1200;
  bool expire_second_page = false;

  Result<ListPage> list(const Resource&, const std::string&, const ListOptions& o) override {
    calls.push_back(o);
    int start = o.continue_token.empty() ? 0 : std::stoi(o.continue_token);
    if (start > 0 && expire_second_page) {
      return nca::Status(nca::Code::kGone, "The provided continue parameter is too old");
    }
    ListPage page;
    page.resource_version = "rv-" + std::to_string(start);
    int end = std::min(total, start + static_cast<int>(o.limit));
    for (int i = start; i < end; ++i)
      page.items.push_back(json{{"metadata", {{"name", std::to_string(i)}}}});
    if (end < total) page.continue_token = std::to_string(end);
    return page;
  }
  Result<json> get(const Resource&, const std::string&, const std::string&) override {
    return unused();
  }
  Result<json> create(const Resource&, const std::string&, const json&) override {
    return unused();
  }
  Result<json> update(const Resource&, const std::string&, const std::string&, const json&,
                      const std::string&) override {
    return unused();
  }
  Result<json> patch(const Resource&, const std::string&, const std::string&, PatchType,
                     const json&, const std::string&) override {
    return unused();
  }
  nca::Status remove(const Resource&, const std::string&, const std::string&) override {
    return unused().status();
  }
  Result<bool> has_resource(const std::string&, const std::string&, const std::string&) override {
    return false;
  }

 private:
  static Result<json> unused() { return nca::internal_error("not used in this test"); }
};

}  // namespace

TEST_CASE("list_all follows continue tokens and returns every item once") {
  PagedFake fake;
  ListOptions o;
  o.limit = 500;
  o.resource_version = "0";
  auto all = list_all(fake, resources::configmaps(), "ns", o);
  REQUIRE(all);
  REQUIRE(all->items.size() == 1200);
  for (int i = 0; i < 1200; ++i) CHECK(all->items[i]["metadata"]["name"] == std::to_string(i));
  CHECK(all->resource_version == "rv-0");
  CHECK(all->continue_token.empty());
  REQUIRE(fake.calls.size() == 3);
  CHECK(fake.calls[0].resource_version == "0");
  CHECK(fake.calls[1].continue_token == "500");
  CHECK(fake.calls[1].resource_version.empty());
  CHECK(fake.calls[2].continue_token == "1000");
}

TEST_CASE("an expired continue token is Gone for the caller to relist") {
  PagedFake fake;
  fake.expire_second_page = true;
  auto all = list_all(fake, resources::configmaps(), "", ListOptions{});
  REQUIRE_FALSE(all);
  CHECK(all.status().code() == nca::Code::kGone);
}

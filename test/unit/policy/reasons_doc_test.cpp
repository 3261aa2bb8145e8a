// The reason codes are an interface (Events, metrics, alerts): each is unique, CamelCase,
// and documented in docs/policy.md together with every check name.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "policy/reasons.h"

using namespace nca::policy;

namespace {

std::string policy_doc() {
  std::ifstream in(NCA_POLICY_DOC);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool camel_case(std::string_view s) {
  if (s.empty() || s[0] < 'A' || s[0] > 'Z') return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("reason codes are unique, CamelCase and findable") {
  std::set<std::string_view> codes;
  for (const ReasonInfo& info : all_reasons()) {
    INFO(info.code);
    CHECK(camel_case(info.code));
    CHECK(codes.insert(info.code).second);
    CHECK(find_reason(info.code) == &info);
    CHECK_FALSE(info.summary.empty());
  }
  CHECK(find_reason("NoSuchReason") == nullptr);
  CHECK(codes.size() >= 45);
}

TEST_CASE("docs/policy.md documents every reason code in its table") {
  const std::string doc = policy_doc();
  for (const ReasonInfo& info : all_reasons()) {
    INFO(info.code);
    // A row of the reason-code table starts with the code.
    CHECK(doc.find("| `" + std::string(info.code) + "` |") != std::string::npos);
  }
}

TEST_CASE("docs/policy.md documents every check") {
  const std::string doc = policy_doc();
  auto names = all_check_names();
  CHECK(names.size() >= 20);
  for (std::string_view name : names) {
    INFO(name);
    CHECK(doc.find("| `" + std::string(name) + "` |") != std::string::npos);
  }
}

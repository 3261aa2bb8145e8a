#include "base/log.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

TEST_CASE("log lines are single JSON objects with typed fields") {
  const std::string line = nca::log::render(
      nca::log::Level::kWarn, "denied \"x\"",
      {{"csr", "csr-1"}, {"count", 3}, {"ok", false}, {"ratio", 0.5}}, "2026-01-01T00:00:00Z");
  CHECK(line == R"({"ts":"2026-01-01T00:00:00Z","level":"warn","msg":"denied \"x\"","csr":"csr-1",)"
                R"("count":3,"ok":false,"ratio":0.5})");
}

TEST_CASE("invalid UTF-8 from hostile input does not throw") {
  const std::string bad = std::string("node-\xff\xfe");
  const std::string line =
      nca::log::render(nca::log::Level::kInfo, "m", {{"cn", bad}}, "2026-01-01T00:00:00Z");
  CHECK(line.find("node-") != std::string::npos);
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("levels filter and the sink receives whole lines") {
  std::vector<std::string> lines;
  nca::log::set_sink([&](std::string_view l) { lines.emplace_back(l); });
  nca::log::set_level(nca::log::Level::kInfo);
  nca::log::debug("hidden");
  nca::log::info("shown", {{"k", "v"}});
  nca::log::set_sink(nullptr);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find(R"("msg":"shown","k":"v")") != std::string::npos);
  CHECK(nca::log::parse_level("error") == nca::log::Level::kError);
  CHECK_FALSE(nca::log::parse_level("loud").has_value());
}

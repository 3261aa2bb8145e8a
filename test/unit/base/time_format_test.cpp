#include "base/time_format.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

TEST_CASE("RFC 3339 round trip, as the API server writes times") {
  auto t = nca::parse_rfc3339("2026-11-20T10:00:00Z");
  REQUIRE(t);
  CHECK(t->time_since_epoch() == 1'795'168'800s);
  CHECK(nca::format_rfc3339(*t) == "2026-11-20T10:00:00Z");

  auto micro = nca::parse_rfc3339("2026-11-20T10:00:00.123456Z");
  REQUIRE(micro);
  CHECK(*micro - *t == 123456us);
  CHECK(nca::format_rfc3339(*micro, true) == "2026-11-20T10:00:00.123456Z");
}

TEST_CASE("RFC 3339 offsets and leap days") {
  auto plus = nca::parse_rfc3339("2026-11-20T12:30:00+02:30");
  REQUIRE(plus);
  CHECK(nca::format_rfc3339(*plus) == "2026-11-20T10:00:00Z");
  CHECK(nca::parse_rfc3339("2024-02-29T00:00:00Z"));
  CHECK(nca::format_rfc3339(*nca::parse_rfc3339("1969-12-31T23:59:59Z")) == "1969-12-31T23:59:59Z");
}

TEST_CASE("malformed timestamps are rejected, not guessed") {
  for (const char* bad :
       {"", "2026-11-20", "2026-11-20T10:00:00", "2026-13-01T00:00:00Z", "2026-11-20T25:00:00Z",
        "2026-11-20T10:00:00.Z", "2026-11-20T10:00:00Zjunk", "2026-11-20 10:00:00Z",
        "２026-11-20T10:00:00Z", "2026-11-20T10:00:00+2:00"}) {
    INFO(bad);
    CHECK_FALSE(nca::parse_rfc3339(bad).has_value());
  }
}

TEST_CASE("times WallTime cannot hold are rejected, not overflowed") {
  // api_body_fuzz found "4052-11-20T10:58:20Z" (a BareMetalHost provision end) overflowing
  // the seconds-to-nanoseconds conversion: undefined behaviour on API input.
  CHECK_FALSE(nca::parse_rfc3339("4052-11-20T10:58:20Z"));
  CHECK_FALSE(nca::parse_rfc3339("9999-12-31T23:59:59Z"));
  CHECK_FALSE(nca::parse_rfc3339("0001-01-01T00:00:00Z"));
  CHECK(nca::parse_rfc3339("2262-01-01T00:00:00Z"));
  CHECK(nca::parse_rfc3339("1700-01-01T00:00:00Z"));
}

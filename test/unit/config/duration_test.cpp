#include "config/duration.h"

#include <catch2/catch.hpp>

using nca::config::parse_duration;
using std::chrono::seconds;

TEST_CASE("durations: Go-style units") {
  CHECK(parse_duration("90s") == seconds(90));
  CHECK(parse_duration("15m") == seconds(900));
  CHECK(parse_duration("2h") == seconds(7200));
  CHECK(parse_duration("1h30m") == seconds(5400));
  CHECK(parse_duration("1h0m5s") == seconds(3605));
  CHECK(parse_duration("0s") == seconds(0));
}

TEST_CASE("durations: anything else is refused") {
  for (const char* bad : {"", "2", "2x", "h", "-1h", "1.5h", "2 h", " 2h", "2h ", "1d", "2hh",
                          "99999999999999999999h", "1ms"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad).has_value());
  }
}

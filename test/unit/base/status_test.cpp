#include "base/status.h"

#include <catch2/catch.hpp>

using nca::Code;
using nca::Result;
using nca::Status;

TEST_CASE("Status carries code, message and retry-after") {
  Status ok;
  CHECK(ok.is_ok());
  CHECK(ok.to_string() == "Ok");

  Status s(Code::kTooManyRequests, "slow down");
  s.with_retry_after(7);
  CHECK_FALSE(s.is_ok());
  CHECK(s.to_string() == "TooManyRequests: slow down");
  CHECK(s.retry_after_seconds() == 7);
  CHECK(s.annotate("list nodes").message() == "list nodes: slow down");
}

TEST_CASE("transient codes are exactly the retryable ones") {
  CHECK(nca::is_transient(Code::kUnavailable));
  CHECK(nca::is_transient(Code::kTimeout));
  CHECK(nca::is_transient(Code::kConflict));
  CHECK(nca::is_transient(Code::kTooManyRequests));
  CHECK_FALSE(nca::is_transient(Code::kInvalid));
  CHECK_FALSE(nca::is_transient(Code::kForbidden));
  CHECK_FALSE(nca::is_transient(Code::kGone));
}

TEST_CASE("Result holds a value or an error") {
  Result<int> good = 42;
  REQUIRE(good.is_ok());
  CHECK(*good == 42);
  CHECK(good.status().is_ok());

  Result<int> bad = nca::not_found("no such node");
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().code() == Code::kNotFound);
  CHECK(bad.status().message() == "no such node");

  Result<std::string> moved = std::string("abc");
  std::string taken = std::move(moved).value();
  CHECK(taken == "abc");
}

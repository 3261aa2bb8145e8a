// The strict base64 decoder behind PEM framing.
#include "x509/pem_block.h"

#include <catch2/catch.hpp>

using nca::x509::decode_base64;

namespace {
std::string decoded(std::string_view text) {
  auto r = decode_base64(text);
  REQUIRE(r.is_ok());
  return std::string(r->begin(), r->end());
}
}  // namespace

TEST_CASE("base64: RFC 4648 vectors, with whitespace between characters") {
  CHECK(decoded("Zg==") == "f");
  CHECK(decoded("Zm8=") == "fo");
  CHECK(decoded("Zm9v") == "foo");
  CHECK(decoded("Zm9vYg==") == "foob");
  CHECK(decoded("Zm9v\r\nYmFy\n") == "foobar");
  CHECK(decoded(" Zm9v YmE= ") == "fooba");
}

TEST_CASE("base64: rejects missing padding, inner padding, bad characters, empty") {
  CHECK_FALSE(decode_base64("Zg").is_ok());
  CHECK_FALSE(decode_base64("Zg=").is_ok());
  CHECK_FALSE(decode_base64("Zg==Zm9v").is_ok());
  CHECK_FALSE(decode_base64("Z===").is_ok());
  CHECK_FALSE(decode_base64("Zm9v-_8=").is_ok());  // URL alphabet
  CHECK_FALSE(decode_base64("").is_ok());
  CHECK_FALSE(decode_base64("\n\n").is_ok());
  CHECK_FALSE(decode_base64(std::string_view("Zm9v\0", 5)).is_ok());
}

// IP literal parsing, canonical form (v4-mapped collapse, RFC 5952), classification and
// CIDR containment.
#include "x509/ip_address.h"

#include <catch2/catch.hpp>

using nca::x509::canonical_ip;
using nca::x509::cidr_contains;
using nca::x509::IpAddress;
using nca::x509::parse_ip;

namespace {

std::string canon_text(std::string_view text) {
  auto ip = parse_ip(text);
  return ip ? ip->text : "<invalid>";
}

IpAddress ip(std::string_view text) {
  auto parsed = parse_ip(text);
  REQUIRE(parsed);
  return *parsed;
}

}  // namespace

TEST_CASE("parse_ip: IPv4 literals") {
  auto a = parse_ip("192.0.2.10");
  REQUIRE(a);
  CHECK(a->bytes == std::vector<std::uint8_t>{192, 0, 2, 10});
  CHECK(a->text == "192.0.2.10");
  CHECK(canon_text("0.0.0.0") == "0.0.0.0");
  CHECK(canon_text("255.255.255.255") == "255.255.255.255");
}

TEST_CASE("parse_ip: rejects everything that is not a bare literal") {
  for (const char* bad : {"", " 192.0.2.1", "192.0.2.1 ", "192.0.2", "192.0.2.256", "192.0.2.01",
                          "0x7f.0.0.1", "127.1", "[::1]", "fe80::1%eth0", "10.0.0.0/8", "::1/128",
                          "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3", "gggg::", "localhost"}) {
    INFO(bad);
    CHECK_FALSE(parse_ip(bad));
  }
  CHECK_FALSE(parse_ip(std::string_view("1.2.3.4\0", 8)));
  CHECK_FALSE(parse_ip(std::string(100, '1')));
}

TEST_CASE("parse_ip: IPv6 output is RFC 5952") {
  CHECK(canon_text("2001:DB8::10") == "2001:db8::10");  // lower case
  CHECK(canon_text("2001:0db8:0000:0000:0000:0000:0000:0010") == "2001:db8::10");
  CHECK(canon_text("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");     // first of equal runs
  CHECK(canon_text("2001:db8:0:1:0:0:0:1") == "2001:db8:0:1::1");       // longest run
  CHECK(canon_text("2001:db8:0:1:1:1:1:1") == "2001:db8:0:1:1:1:1:1");  // lone 0 not "::"
  CHECK(canon_text("0:0:0:0:0:0:0:0") == "::");
  CHECK(canon_text("::1") == "::1");
  CHECK(canon_text("fe80:0:0:0:0:0:0:0") == "fe80::");
  CHECK(canon_text("1:0:0:2:0:0:0:3") == "1:0:0:2::3");
  // IPv4-compatible (deprecated) is plain IPv6, written in hex, not collapsed.
  CHECK(canon_text("::1.2.3.4") == "::102:304");
  CHECK(parse_ip("::1.2.3.4")->bytes.size() == 16);
}

TEST_CASE("canonical form: v4-mapped IPv6 collapses to IPv4") {
  for (const char* spelling : {"::ffff:192.0.2.10", "::FFFF:c000:020a", "0:0:0:0:0:ffff:192.0.2.10",
                               "0000:0000:0000:0000:0000:ffff:c000:020a"}) {
    INFO(spelling);
    auto a = parse_ip(spelling);
    REQUIRE(a);
    CHECK(a->bytes == std::vector<std::uint8_t>{192, 0, 2, 10});
    CHECK(a->text == "192.0.2.10");
  }
  // ::ffff:0:0/96 only; ::fffe:... and 64:ff9b::/96 stay IPv6.
  CHECK(canon_text("::fffe:c000:20a") == "::fffe:c000:20a");
  CHECK(canon_text("64:ff9b::192.0.2.10") == "64:ff9b::c000:20a");
}

TEST_CASE("canonical_ip: raw SAN bytes") {
  CHECK(canonical_ip({10, 1, 2, 3})->text == "10.1.2.3");
  std::vector<std::uint8_t> mapped(16, 0);
  mapped[10] = mapped[11] = 0xff;
  mapped[12] = 127;
  mapped[15] = 1;
  auto c = canonical_ip(mapped);
  REQUIRE(c);
  CHECK(c->bytes == std::vector<std::uint8_t>{127, 0, 0, 1});
  CHECK(c->text == "127.0.0.1");
  std::vector<std::uint8_t> v6(16, 0);
  v6[0] = 0x20;
  v6[1] = 0x01;
  v6[15] = 0x01;
  CHECK(canonical_ip(v6)->text == "2001::1");
  for (std::size_t len : {0u, 1u, 3u, 5u, 8u, 15u, 17u, 32u}) {
    CHECK_FALSE(canonical_ip(std::vector<std::uint8_t>(len, 1)));
  }
}

TEST_CASE("equal addresses compare equal by bytes whatever the spelling") {
  CHECK(ip("2001:db8::a").bytes == ip("2001:0DB8:0:0:0:0:0:000A").bytes);
  CHECK(ip("::ffff:10.0.0.1").bytes == ip("10.0.0.1").bytes);
  CHECK(ip("::ffff:10.0.0.1").text == ip("10.0.0.1").text);
  CHECK(ip("::10.0.0.1").bytes != ip("10.0.0.1").bytes);
}

TEST_CASE("classification: loopback, unspecified, link-local, multicast") {
  CHECK(is_loopback(ip("127.0.0.1")));
  CHECK(is_loopback(ip("127.255.0.9")));
  CHECK(is_loopback(ip("::1")));
  CHECK(is_loopback(ip("::ffff:127.0.0.1")));
  CHECK_FALSE(is_loopback(ip("128.0.0.1")));
  CHECK_FALSE(is_loopback(ip("::2")));

  CHECK(is_unspecified(ip("0.0.0.0")));
  CHECK(is_unspecified(ip("::")));
  CHECK(is_unspecified(ip("::ffff:0.0.0.0")));
  CHECK_FALSE(is_unspecified(ip("0.0.0.1")));

  CHECK(is_link_local(ip("169.254.1.1")));
  CHECK(is_link_local(ip("fe80::1")));
  CHECK(is_link_local(ip("febf:ffff::1")));
  CHECK_FALSE(is_link_local(ip("fec0::1")));
  CHECK_FALSE(is_link_local(ip("169.253.1.1")));

  CHECK(is_multicast(ip("224.0.0.1")));
  CHECK(is_multicast(ip("239.255.255.255")));
  CHECK(is_multicast(ip("ff02::1")));
  CHECK_FALSE(is_multicast(ip("240.0.0.1")));
  CHECK_FALSE(is_multicast(ip("fe02::1")));
}

TEST_CASE("classification works on a hand-built non-canonical IpAddress") {
  IpAddress mapped_loopback;
  mapped_loopback.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
  CHECK(is_loopback(mapped_loopback));
  IpAddress junk;
  junk.bytes = {1, 2, 3};
  CHECK_FALSE(is_loopback(junk));
  CHECK_FALSE(is_unspecified(junk));
  CHECK(cidr_contains("0.0.0.0/0", junk) == false);
}

TEST_CASE("cidr_contains: IPv4") {
  CHECK(cidr_contains("10.0.0.0/8", ip("10.255.1.2")) == true);
  CHECK(cidr_contains("10.0.0.0/8", ip("11.0.0.0")) == false);
  CHECK(cidr_contains("192.0.2.0/24", ip("192.0.2.255")) == true);
  CHECK(cidr_contains("192.0.2.0/25", ip("192.0.2.128")) == false);
  CHECK(cidr_contains("192.0.2.10/32", ip("192.0.2.10")) == true);
  CHECK(cidr_contains("192.0.2.10/32", ip("192.0.2.11")) == false);
  CHECK(cidr_contains("0.0.0.0/0", ip("203.0.113.9")) == true);
  CHECK(cidr_contains("10.1.2.3/8", ip("10.9.9.9")) == true);         // host bits ignored
  CHECK(cidr_contains("10.0.0.0/8", ip("::ffff:10.1.1.1")) == true);  // v4-mapped address
}

TEST_CASE("cidr_contains: IPv6 and family mismatch") {
  CHECK(cidr_contains("2001:db8::/32", ip("2001:db8:ffff::1")) == true);
  CHECK(cidr_contains("2001:db8::/32", ip("2001:db9::1")) == false);
  CHECK(cidr_contains("2001:db8::/33", ip("2001:db8:8000::1")) == false);
  CHECK(cidr_contains("::/0", ip("::1")) == true);
  CHECK(cidr_contains("::1/128", ip("::1")) == true);
  // Families never contain each other: ::/0 holds no IPv4 address, 0.0.0.0/0 no IPv6.
  CHECK(cidr_contains("::/0", ip("10.0.0.1")) == false);
  CHECK(cidr_contains("0.0.0.0/0", ip("2001:db8::1")) == false);
  // A v4-mapped network of /96 or more is the IPv4 network it spells.
  CHECK(cidr_contains("::ffff:10.0.0.0/104", ip("10.1.2.3")) == true);
  CHECK(cidr_contains("::ffff:10.0.0.0/104", ip("11.1.2.3")) == false);
  CHECK(cidr_contains("::ffff:0.0.0.0/95", ip("10.1.2.3")) == false);
}

TEST_CASE("cidr_contains: malformed CIDRs are nullopt") {
  const IpAddress a = ip("10.0.0.1");
  for (const char* bad : {"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8",
                          "10.0.0.0/08", "10.0.0.0/8 ", "10.0.0/8", "/8", "2001:db8::/129",
                          "2001:db8::/1280", "10.0.0.0/8/8", "10.0.0.0/a", "fe80::%1/64"}) {
    INFO(bad);
    CHECK_FALSE(cidr_contains(bad, a).has_value());
  }
  CHECK(cidr_contains("10.0.0.0/0", a) == true);
}

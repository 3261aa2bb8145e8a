#include "x509/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <string>

namespace nca::x509 {
namespace {

constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_v4_mapped(const std::vector<std::uint8_t>& b) {
  return b.size() == 16 && std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), b.begin());
}

std::string format_v4(const std::uint8_t* b) {
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, b, buf, sizeof buf);
  return buf;
}

// RFC 5952 §4: lower-case hex, no leading zeros, the longest run (first on a tie) of two or
// more zero groups shortened to "::". Written out rather than taken from inet_ntop because
// glibc prints "::a.b.c.d" for IPv4-compatible addresses, which RFC 5952 does not.
std::string format_v6(const std::uint8_t* b) {
  std::array<unsigned, 8> groups{};
  for (int i = 0; i < 8; ++i) groups[i] = (unsigned{b[2 * i]} << 8) | b[2 * i + 1];
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len) best_start = i, best_len = j - i;
    i = j;
  }
  if (best_len < 2) best_start = -1;
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    char buf[8];
    std::snprintf(buf, sizeof buf, "%x", groups[i]);
    out += buf;
  }
  return out;
}

// The IPv4 or IPv6 bytes of a literal, exactly as written (no v4-mapped collapse).
std::optional<std::vector<std::uint8_t>> parse_raw(std::string_view text) {
  // Longest IPv6 literal is 45 characters; refuse anything with an embedded NUL.
  if (text.empty() || text.size() > 45 || text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string s(text);
  std::uint8_t buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return std::vector<std::uint8_t>(buf, buf + 4);
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return std::vector<std::uint8_t>(buf, buf + 16);
  return std::nullopt;
}

// `ip` in canonical form whatever way the caller built it.
std::optional<IpAddress> canon(const IpAddress& ip) { return canonical_ip(ip.bytes); }

bool prefix_matches(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b,
                    int bits) {
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  auto raw = parse_raw(text);
  if (!raw) return std::nullopt;
  return canonical_ip(*raw);
}

std::optional<IpAddress> canonical_ip(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() == 4) return IpAddress{bytes, format_v4(bytes.data())};
  if (bytes.size() != 16) return std::nullopt;
  if (is_v4_mapped(bytes)) {
    std::vector<std::uint8_t> v4(bytes.begin() + 12, bytes.end());
    std::string text = format_v4(v4.data());
    return IpAddress{std::move(v4), std::move(text)};
  }
  return IpAddress{bytes, format_v6(bytes.data())};
}

bool is_loopback(const IpAddress& ip) {
  auto c = canon(ip);
  if (!c) return false;
  if (c->bytes.size() == 4) return c->bytes[0] == 127;
  return c->bytes == std::vector<std::uint8_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
}

bool is_unspecified(const IpAddress& ip) {
  auto c = canon(ip);
  if (!c) return false;
  for (auto b : c->bytes) {
    if (b != 0) return false;
  }
  return true;
}

bool is_link_local(const IpAddress& ip) {
  auto c = canon(ip);
  if (!c) return false;
  if (c->bytes.size() == 4) return c->bytes[0] == 169 && c->bytes[1] == 254;
  return c->bytes[0] == 0xfe && (c->bytes[1] & 0xc0) == 0x80;
}

bool is_multicast(const IpAddress& ip) {
  auto c = canon(ip);
  if (!c) return false;
  if (c->bytes.size() == 4) return (c->bytes[0] & 0xf0) == 0xe0;
  return c->bytes[0] == 0xff;
}

std::optional<IpPrefix> parse_prefix(std::string_view cidr) {
  const auto slash = cidr.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto network = parse_raw(cidr.substr(0, slash));
  const std::string_view len_text = cidr.substr(slash + 1);
  // Digits only, no sign, no leading zero (as Go's netip.ParsePrefix), at most "128".
  if (!network || len_text.empty() || len_text.size() > 3 ||
      (len_text.size() > 1 && len_text[0] == '0')) {
    return std::nullopt;
  }
  int bits = 0;
  const auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), bits);
  if (ec != std::errc() || end != len_text.data() + len_text.size()) return std::nullopt;
  const int max_bits = static_cast<int>(network->size()) * 8;
  if (bits < 0 || bits > max_bits) return std::nullopt;
  // A v4-mapped network of /96 or longer is the IPv4 network it spells, matching how
  // addresses are canonicalised; anything shorter stays IPv6 and holds no IPv4 address.
  if (is_v4_mapped(*network) && bits >= 96) {
    network->erase(network->begin(), network->begin() + 12);
    bits -= 96;
  }
  return IpPrefix{std::move(*network), bits};
}

bool prefix_contains(const IpPrefix& prefix, const IpAddress& ip) {
  auto addr = canon(ip);
  if (!addr) return false;
  // Different families never contain each other (as Go's net.IPNet.Contains).
  if (addr->bytes.size() != prefix.network.size()) return false;
  return prefix_matches(prefix.network, addr->bytes, prefix.bits);
}

std::optional<bool> cidr_contains(std::string_view cidr, const IpAddress& ip) {
  auto prefix = parse_prefix(cidr);
  if (!prefix) return std::nullopt;
  return prefix_contains(*prefix, ip);
}

}  // namespace nca::x509

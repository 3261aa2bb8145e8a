// IP address text ⇄ canonical bytes. Canonical means: IPv4 as 4 bytes; IPv6 as 16 bytes,
// except that a v4-mapped IPv6 address (::ffff:a.b.c.d) collapses to its IPv4 form, so
// "::ffff:192.0.2.10" and "192.0.2.10" compare equal and can never pass as a different
// address. Text output is the dotted quad or RFC 5952 form. Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "x509/parsed_csr.h"

namespace nca::x509 {

// Parses an IPv4 or IPv6 literal (no brackets, no zone, no prefix); nullopt otherwise.
std::optional<IpAddress> parse_ip(std::string_view text);

// Canonical form of raw SAN bytes (4 or 16); nullopt for any other length.
std::optional<IpAddress> canonical_ip(const std::vector<std::uint8_t>& bytes);

// Classification helpers for policy rules.
bool is_loopback(const IpAddress& ip);     // 127/8, ::1
bool is_unspecified(const IpAddress& ip);  // 0.0.0.0, ::
bool is_link_local(const IpAddress& ip);   // 169.254/16, fe80::/10
bool is_multicast(const IpAddress& ip);    // 224/4, ff00::/8

// A parsed CIDR, for ranges checked against many addresses: parse once, then contains()
// costs a few byte compares.
struct IpPrefix {
  std::vector<std::uint8_t> network;  // canonical: 4 or 16 bytes
  int bits = 0;
};

// "10.0.0.0/8", "2001:db8::/32" (digits-only length, as Go's netip.ParsePrefix); a
// v4-mapped network of /96 or longer is the IPv4 network it spells. nullopt if malformed.
std::optional<IpPrefix> parse_prefix(std::string_view cidr);

// Whether `ip` is inside `prefix`; different families never contain each other.
bool prefix_contains(const IpPrefix& prefix, const IpAddress& ip);

// Whether `ip` is inside `cidr`; nullopt if cidr is malformed.
std::optional<bool> cidr_contains(std::string_view cidr, const IpAddress& ip);

}  // namespace nca::x509

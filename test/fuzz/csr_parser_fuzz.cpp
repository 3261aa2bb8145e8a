// libFuzzer target for parse_csr_pem and the IP helpers. Two views of every input:
//  1. the bytes as PEM text (framing, base64, size limit);
//  2. the bytes as DER, wrapped in a valid CERTIFICATE REQUEST block, so mutations reach
//     the ASN.1 and extension readers instead of dying in base64.
// Besides "no crash, no sanitizer report", it checks invariants a caller relies on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "x509/csr_parser.h"
#include "x509/ip_address.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();  // an invariant broke: libFuzzer records the input
}

std::string base64(const std::uint8_t* data, std::size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < size; i += 3) {
    std::uint32_t v = std::uint32_t{data[i]} << 16;
    if (i + 1 < size) v |= std::uint32_t{data[i + 1]} << 8;
    if (i + 2 < size) v |= data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[v & 63] : '=';
    if ((i / 3 + 1) % 16 == 0) out += '\n';
  }
  return out;
}

void check_parsed(const nca::Result<nca::x509::ParsedCsr>& r) {
  if (!r.is_ok()) {
    require(r.status().code() == nca::Code::kInvalid && !r.status().message().empty());
    return;
  }
  for (const auto& ip : r->sans.ips) {
    // Canonical: 4 or 16 bytes, never v4-mapped, and the text parses back to the bytes.
    require(ip.bytes.size() == 4 || ip.bytes.size() == 16);
    auto again = nca::x509::parse_ip(ip.text);
    require(again && again->bytes == ip.bytes && again->text == ip.text);
  }
  for (const auto& dns : r->sans.dns) require(!dns.empty());
  for (const auto& cn : r->common_names) require(cn.find('\0') == std::string::npos);
}

void check_ip_text(std::string_view text) {
  auto ip = nca::x509::parse_ip(text);
  if (!ip) return;
  auto again = nca::x509::parse_ip(ip->text);
  require(again && again->bytes == ip->bytes && again->text == ip->text);
  // Classifiers agree with the canonical bytes whatever the spelling.
  const bool loopback = nca::x509::is_loopback(*ip);
  require(loopback == (ip->bytes.size() == 4 ? ip->bytes[0] == 127 : ip->text == "::1"));
  (void)nca::x509::is_unspecified(*ip);
  (void)nca::x509::is_link_local(*ip);
  (void)nca::x509::is_multicast(*ip);
  // An address is inside its own host prefix and inside /0 of its family.
  const std::string host = ip->bytes.size() == 4 ? "/32" : "/128";
  require(nca::x509::cidr_contains(ip->text + host, *ip) == true);
  require(nca::x509::cidr_contains(ip->bytes.size() == 4 ? "0.0.0.0/0" : "::/0", *ip) == true);
  const int bits = static_cast<int>(text.size() * 7 % (ip->bytes.size() * 8 + 1));
  require(nca::x509::cidr_contains(ip->text + "/" + std::to_string(bits), *ip) == true);
  (void)nca::x509::cidr_contains(text, *ip);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_parsed(nca::x509::parse_csr_pem(text));
  if (size <= 48 * 1024) {
    const std::string wrapped = "-----BEGIN CERTIFICATE REQUEST-----\n" + base64(data, size) +
                                "\n-----END CERTIFICATE REQUEST-----\n";
    check_parsed(nca::x509::parse_csr_pem(wrapped));
  }
  if (size <= 64) check_ip_text(text);
  return 0;
}

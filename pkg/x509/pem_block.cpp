#include "x509/pem_block.h"

#include <array>
#include <string>

namespace nca::x509 {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// A label quoted for an error message: printable ASCII only, bounded length.
std::string quote(std::string_view label) {
  std::string out = "\"";
  for (char c : label.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (label.size() > 40) out += "...";
  return out + "\"";
}

constexpr std::array<std::int8_t, 256> make_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 26; ++i) t['A' + i] = static_cast<std::int8_t>(i);
  for (int i = 0; i < 26; ++i) t['a' + i] = static_cast<std::int8_t>(26 + i);
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<std::int8_t>(52 + i);
  t['+'] = 62;
  t['/'] = 63;
  return t;
}
constexpr auto kBase64 = make_table();

}  // namespace

Result<std::vector<std::uint8_t>> decode_base64(std::string_view text) {
  std::string chars;
  chars.reserve(text.size());
  for (char c : text) {
    if (is_space(c)) continue;
    if (c != '=' && kBase64[static_cast<unsigned char>(c)] < 0) {
      return invalid("PEM body is not base64 (unexpected character " + quote(std::string(1, c)) +
                     ")");
    }
    chars += c;
  }
  if (chars.empty()) return invalid("PEM body is empty");
  if (chars.size() % 4 != 0)
    return invalid("PEM body is truncated (base64 length not a multiple of 4)");
  const auto first_pad = chars.find('=');
  if (first_pad != std::string::npos &&
      (first_pad < chars.size() - 2 ||
       chars.find_first_not_of('=', first_pad) != std::string::npos)) {
    return invalid("PEM body has base64 padding in the middle");
  }
  std::vector<std::uint8_t> out;
  out.reserve(chars.size() / 4 * 3);
  for (std::size_t i = 0; i < chars.size(); i += 4) {
    std::uint32_t v = 0;
    int pad = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = chars[i + j];
      v <<= 6;
      if (c == '=') {
        ++pad;
      } else {
        v |= static_cast<std::uint32_t>(kBase64[static_cast<unsigned char>(c)]);
      }
    }
    out.push_back(static_cast<std::uint8_t>(v >> 16));
    if (pad < 2) out.push_back(static_cast<std::uint8_t>(v >> 8));
    if (pad < 1) out.push_back(static_cast<std::uint8_t>(v));
  }
  return out;
}

Result<std::vector<std::uint8_t>> decode_single_pem_block(std::string_view text,
                                                          std::string_view label) {
  const std::string_view s = trim(text);
  if (s.empty()) return invalid("input is empty");
  if (s.substr(0, kBegin.size()) != kBegin) {
    if (static_cast<unsigned char>(s.front()) == 0x30) {
      return invalid("input is not PEM (it looks like DER; expected -----BEGIN " +
                     std::string(label) + "-----)");
    }
    return invalid("input is not PEM: it does not start with -----BEGIN " + std::string(label) +
                   "-----");
  }
  const auto label_end = s.find(kDashes, kBegin.size());
  const auto line_end = s.find('\n');
  if (label_end == std::string_view::npos ||
      (line_end != std::string_view::npos && line_end < label_end)) {
    return invalid("PEM BEGIN line is malformed");
  }
  const std::string_view found = s.substr(kBegin.size(), label_end - kBegin.size());
  if (found != label) {
    return invalid("PEM block is " + quote(found) + ", expected " + quote(label));
  }
  std::string_view rest = s.substr(label_end + kDashes.size());
  // The BEGIN line ends right after its dashes.
  if (rest.empty() || (rest.front() != '\n' && rest.substr(0, 2) != "\r\n")) {
    return invalid("PEM BEGIN line has extra characters or no body");
  }
  const std::string end_line = std::string(kEnd) + std::string(label) + std::string(kDashes);
  const auto end_pos = rest.find(end_line);
  const auto next_begin = rest.find(kBegin);
  if (next_begin != std::string_view::npos &&
      (end_pos == std::string_view::npos || next_begin < end_pos)) {
    return invalid("a second PEM BEGIN line appears before the END line");
  }
  if (end_pos == std::string_view::npos) {
    return invalid("PEM block has no -----END " + std::string(label) + "----- line (truncated?)");
  }
  const std::string_view body = rest.substr(0, end_pos);
  if (body.find(':') != std::string_view::npos) return invalid("PEM headers are not allowed");
  if (body.find(kDashes) != std::string_view::npos)
    return invalid("PEM body contains a stray -----");
  // The END line must start a line of its own.
  if (!body.empty() && body.back() != '\n')
    return invalid("PEM END line does not start a new line");
  const std::string_view after = rest.substr(end_pos + end_line.size());
  if (!after.empty()) {
    if (after.find(kBegin) != std::string_view::npos) {
      return invalid("input holds more than one PEM block; exactly one is allowed");
    }
    return invalid("trailing data after the PEM END line");
  }
  return decode_base64(body);
}

}  // namespace nca::x509

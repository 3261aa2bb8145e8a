// parse_csr_pem on hostile or malformed input: each is an Invalid status whose message
// names the problem, never a crash and never a partial result.
#include <openssl/err.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "support/csr_builder.h"
#include "x509/csr_parser.h"

using nca::Code;
using nca::test::concat_pem;
using nca::test::CsrBuilder;
using nca::test::der_to_pem;
using nca::test::with_trailing;
using nca::x509::parse_csr_pem;

namespace {

// Asserts that parsing fails as Invalid with `fragment` in the message.
void expect_invalid(const std::string& input, const std::string& fragment) {
  auto r = parse_csr_pem(input);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kInvalid);
  INFO(r.status().message());
  CHECK(r.status().message().find(fragment) != std::string::npos);
}

const std::string& good_pem() {
  static const std::string pem = CsrBuilder::kubelet_serving("w").ip("192.0.2.1").pem();
  return pem;
}

}  // namespace

TEST_CASE("framing: two PEM blocks are rejected") {
  expect_invalid(concat_pem(good_pem(), CsrBuilder::kubelet_client("x").pem()),
                 "more than one PEM block");
  // Same block twice, and a certificate after the CSR.
  expect_invalid(concat_pem(good_pem(), good_pem()), "more than one PEM block");
  expect_invalid(concat_pem(good_pem(), nca::test::self_signed_certificate_pem()),
                 "more than one PEM block");
}

TEST_CASE("framing: trailing data after the END line is rejected") {
  expect_invalid(with_trailing(good_pem(), "garbage"), "trailing data");
  expect_invalid(with_trailing(good_pem(), "\n# comment\n"), "trailing data");
}

TEST_CASE("framing: leading text before BEGIN is rejected") {
  expect_invalid("hello\n" + good_pem(), "not PEM");
}

TEST_CASE("framing: input over 64 KiB is rejected before parsing") {
  std::string big = good_pem() + std::string(nca::x509::kMaxCsrPemBytes, ' ');
  expect_invalid(big, "limit is 65536");
  // Exactly at the limit is fine when the rest is whitespace.
  std::string at_limit = good_pem();
  at_limit.resize(nca::x509::kMaxCsrPemBytes, '\n');
  CHECK(parse_csr_pem(at_limit).is_ok());
}

TEST_CASE("framing: empty input, garbage and raw DER are rejected") {
  expect_invalid("", "empty");
  expect_invalid(" \n\t", "empty");
  expect_invalid("not a csr at all", "not PEM");
  auto der = CsrBuilder().common_name("x").der();
  expect_invalid(std::string(der.begin(), der.end()), "looks like DER");
}

TEST_CASE("framing: a certificate or another block type instead of a CSR") {
  expect_invalid(nca::test::self_signed_certificate_pem(),
                 "PEM block is \"CERTIFICATE\", expected \"CERTIFICATE REQUEST\"");
  // The old "NEW CERTIFICATE REQUEST" label is refused, as the apiserver refuses it.
  auto der = CsrBuilder().common_name("x").der();
  expect_invalid(der_to_pem(der, "NEW CERTIFICATE REQUEST"), "\"NEW CERTIFICATE REQUEST\"");
  // A CSR's bytes labelled as a certificate are still the wrong type.
  expect_invalid(der_to_pem(der, "CERTIFICATE"), "expected \"CERTIFICATE REQUEST\"");
}

TEST_CASE("framing: a certificate's DER inside a CERTIFICATE REQUEST block") {
  const std::string cert = nca::test::self_signed_certificate_pem();
  std::string relabelled = cert;
  for (const std::string from : {"BEGIN CERTIFICATE", "END CERTIFICATE"}) {
    relabelled.replace(relabelled.find(from), from.size(), from + " REQUEST");
  }
  expect_invalid(relabelled, "not a PKCS#10 certificate request");
}

TEST_CASE("framing: truncated input") {
  const std::string& pem = good_pem();
  SECTION("no END line") {
    expect_invalid(pem.substr(0, pem.find("-----END")), "no -----END CERTIFICATE REQUEST");
  }
  SECTION("base64 cut mid-quantum") {
    // Drop two base64 characters (and the newline): the length is no longer a multiple of 4.
    const auto body_end = pem.find("-----END");
    std::string cut = pem.substr(0, body_end - 3) + "\n" + pem.substr(body_end);
    expect_invalid(cut, "truncated");
  }
  SECTION("whole base64 lines missing") {
    const auto first_line = pem.find('\n') + 1;
    std::string cut = pem.substr(0, first_line) + pem.substr(first_line + 65);
    expect_invalid(cut, "not a PKCS#10 certificate request");
  }
}

TEST_CASE("framing: bad base64 characters, padding and PEM headers") {
  std::string pem = good_pem();
  const auto body = pem.find('\n') + 1;
  std::string bad_char = pem;
  bad_char[body + 5] = '!';
  expect_invalid(bad_char, "not base64");
  std::string mid_pad = pem;
  mid_pad[body + 4] = '=';
  expect_invalid(mid_pad, "padding in the middle");
  std::string with_header = pem;
  with_header.insert(body, "Proc-Type: 4,ENCRYPTED\n\n");
  expect_invalid(with_header, "headers are not allowed");
}

TEST_CASE("DER: trailing bytes after the request inside the block") {
  auto der = CsrBuilder().common_name("x").der();
  der.push_back(0x00);
  der.push_back(0x00);
  expect_invalid(der_to_pem(der, "CERTIFICATE REQUEST"), "trailing bytes");
}

TEST_CASE("DER: a request cut short inside a valid PEM frame") {
  auto der = CsrBuilder().common_name("x").der();
  der.resize(der.size() / 2);
  expect_invalid(der_to_pem(der, "CERTIFICATE REQUEST"), "not a PKCS#10");
}

TEST_CASE("SAN: a second subjectAltName extension is rejected") {
  // DER of GeneralNames { dNSName "evil" }.
  const std::vector<std::uint8_t> evil = {0x30, 0x06, 0x82, 0x04, 'e', 'v', 'i', 'l'};
  expect_invalid(CsrBuilder::kubelet_serving("w").raw_extension("2.5.29.17", evil).pem(),
                 "2.5.29.17 is requested twice");
}

TEST_CASE("SAN: any repeated extension is rejected") {
  expect_invalid(
      CsrBuilder().common_name("x").key_usage("digitalSignature").key_usage("keyCertSign").pem(),
      "2.5.29.15 is requested twice");
}

TEST_CASE("SAN: undecodable, over-long and empty subjectAltName values") {
  SECTION("not DER") {
    expect_invalid(CsrBuilder().raw_extension("2.5.29.17", {0x04, 0x02, 0x00}).pem(),
                   "subjectAltName extension is not valid DER");
  }
  SECTION("trailing bytes") {
    expect_invalid(CsrBuilder()
                       .raw_extension("2.5.29.17", {0x30, 0x03, 0x82, 0x01, 'a', 0x82, 0x01, 'b'})
                       .pem(),
                   "subjectAltName extension has trailing bytes");
  }
  SECTION("empty sequence") {
    expect_invalid(CsrBuilder().raw_extension("2.5.29.17", {0x30, 0x00}).pem(),
                   "subjectAltName extension is empty");
  }
}

TEST_CASE("SAN: IP addresses must be 4 or 16 bytes") {
  expect_invalid(CsrBuilder().ip_bytes({10, 0, 0}).pem(), "IP SAN has 3 bytes");
  // 8 bytes is an IPv4 name-constraint form, not an address.
  expect_invalid(CsrBuilder().ip_bytes({10, 0, 0, 0, 255, 0, 0, 0}).pem(), "IP SAN has 8 bytes");
  expect_invalid(CsrBuilder().ip_bytes({}).pem(), "IP SAN has 0 bytes");
}

TEST_CASE("SAN: DNS, email and URI values must be non-empty ASCII without NUL") {
  expect_invalid(CsrBuilder().dns("").pem(), "DNS SAN is empty");
  expect_invalid(CsrBuilder().dns(std::string("w\0.evil", 6)).pem(), "DNS SAN is not ASCII");
  expect_invalid(CsrBuilder().dns("w\xc3\xa4").pem(), "DNS SAN is not ASCII");
  expect_invalid(CsrBuilder().email("").pem(), "email SAN is empty");
  expect_invalid(CsrBuilder().uri("spiffe://\xff").pem(), "URI SAN is not ASCII");
}

TEST_CASE("subject: a NUL byte in the CN is rejected") {
  expect_invalid(CsrBuilder().common_name(std::string("system:node:a\0b", 15)).pem(),
                 "subject CN contains a NUL byte");
}

TEST_CASE("attributes: a second extensionRequest could hide SANs and is rejected") {
  expect_invalid(CsrBuilder::kubelet_serving("w")
                     .key_usage("digitalSignature")
                     .split_extension_request()
                     .pem(),
                 "more than one extensionRequest attribute");
}

TEST_CASE("attributes: the Microsoft extension request OID is rejected") {
  expect_invalid(CsrBuilder::kubelet_serving("w").microsoft_extension_request().pem(),
                 "Microsoft extension request");
}

TEST_CASE("extensions: a requested-extensions list that is not DER") {
  // An extension whose OID cannot be encoded is impossible to build through OpenSSL, so
  // corrupt the DER of a valid request instead: flip the SEQUENCE tag of the extensions.
  auto der = CsrBuilder().common_name("x").key_usage("digitalSignature").der();
  // OID 1.2.840.113549.1.9.14 (extensionRequest) followed by SET { SEQUENCE ...
  const std::vector<std::uint8_t> oid = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                         0xf7, 0x0d, 0x01, 0x09, 0x0e};
  auto it = std::search(der.begin(), der.end(), oid.begin(), oid.end());
  REQUIRE(it != der.end());
  auto seq = it + static_cast<long>(oid.size()) + 2;  // past the SET header
  REQUIRE(*seq == 0x30);
  *seq = 0x31;  // SET instead of SEQUENCE: no longer a list of extensions
  auto r = parse_csr_pem(der_to_pem(der, "CERTIFICATE REQUEST"));
  CHECK_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kInvalid);
}

TEST_CASE("failures leave this thread's OpenSSL error queue empty") {
  ERR_clear_error();
  auto der = CsrBuilder().common_name("x").der();
  der.resize(der.size() - 7);
  REQUIRE_FALSE(parse_csr_pem(der_to_pem(der, "CERTIFICATE REQUEST")).is_ok());
  CHECK(ERR_peek_error() == 0);
  REQUIRE_FALSE(parse_csr_pem(CsrBuilder().raw_extension("2.5.29.17", {0x04, 0x00}).pem()).is_ok());
  CHECK(ERR_peek_error() == 0);
  REQUIRE(parse_csr_pem(CsrBuilder().common_name("x").corrupt_signature().pem()).is_ok());
  CHECK(ERR_peek_error() == 0);
}

// parse_csr_pem on well-formed requests: every field comes out as the builder put it in.
#include "x509/csr_parser.h"

#include <catch2/catch.hpp>

#include "support/csr_builder.h"

using nca::test::CsrBuilder;
using nca::x509::KeyAlgorithm;
using nca::x509::parse_csr_pem;
using nca::x509::ParsedCsr;

namespace {

ParsedCsr parse_ok(const std::string& pem) {
  auto r = parse_csr_pem(pem);
  INFO(r.status().to_string());
  REQUIRE(r.is_ok());
  return std::move(r).value();
}

std::vector<std::string> ip_texts(const ParsedCsr& csr) {
  std::vector<std::string> out;
  for (const auto& ip : csr.sans.ips) out.push_back(ip.text);
  return out;
}

}  // namespace

TEST_CASE("a kubelet serving CSR: subject, SANs, key, valid signature") {
  auto csr = parse_ok(CsrBuilder::kubelet_serving("worker-0").ip("192.0.2.10").pem());
  CHECK(csr.common_names == std::vector<std::string>{"system:node:worker-0"});
  CHECK(csr.organizations == std::vector<std::string>{"system:nodes"});
  CHECK(csr.other_subject_attributes.empty());
  CHECK(csr.sans.dns == std::vector<std::string>{"worker-0"});
  CHECK(ip_texts(csr) == std::vector<std::string>{"192.0.2.10"});
  CHECK(csr.sans.ips[0].bytes == std::vector<std::uint8_t>{192, 0, 2, 10});
  CHECK(csr.sans.emails.empty());
  CHECK(csr.sans.uris.empty());
  CHECK(csr.sans.others.empty());
  CHECK(csr.other_extensions.empty());
  CHECK(csr.key.algorithm == KeyAlgorithm::kEcdsa);
  CHECK(csr.key.curve == "prime256v1");
  CHECK(csr.key.bits == 256);
  CHECK(csr.key.type_name == "EC");
  CHECK(csr.signature_valid);
}

TEST_CASE("a kubelet client CSR has no SANs and no extensions") {
  auto csr = parse_ok(CsrBuilder::kubelet_client("worker-1").pem());
  CHECK(csr.common_names == std::vector<std::string>{"system:node:worker-1"});
  CHECK(csr.sans.dns.empty());
  CHECK(csr.sans.ips.empty());
  CHECK(csr.other_extensions.empty());
  CHECK(csr.signature_valid);
}

TEST_CASE("subject: no CN, several CNs, every O in order, other attributes as SN=value") {
  SECTION("no CN") {
    auto csr = parse_ok(CsrBuilder().organization("system:nodes").pem());
    CHECK(csr.common_names.empty());
    CHECK(csr.organizations == std::vector<std::string>{"system:nodes"});
  }
  SECTION("two CNs, three Os, OU/C/L/serialNumber") {
    auto csr = parse_ok(CsrBuilder()
                            .subject("C", "DE")
                            .common_name("system:node:a")
                            .organization("system:nodes")
                            .subject("OU", "ops")
                            .organization("system:masters")
                            .common_name("system:node:b")
                            .organization("z")
                            .subject("L", "Berlin")
                            .subject("serialNumber", "42")
                            .pem());
    CHECK(csr.common_names == std::vector<std::string>{"system:node:a", "system:node:b"});
    CHECK(csr.organizations == std::vector<std::string>{"system:nodes", "system:masters", "z"});
    CHECK(csr.other_subject_attributes ==
          std::vector<std::string>{"C=DE", "OU=ops", "L=Berlin", "serialNumber=42"});
  }
  SECTION("UTF-8 survives") {
    auto csr = parse_ok(CsrBuilder()
                            .common_name("n\xc3\xb6"
                                         "de")
                            .pem());
    CHECK(csr.common_names == std::vector<std::string>{"n\xc3\xb6"
                                                       "de"});
  }
}

TEST_CASE("SANs by type, in order, including otherName and registeredID") {
  auto csr = parse_ok(CsrBuilder()
                          .common_name("x")
                          .dns("a.example.com")
                          .ip("2001:db8::10")
                          .email("root@example.com")
                          .dns("B.example.com.")
                          .uri("spiffe://cluster/ns/x")
                          .ip("::ffff:192.0.2.7")
                          .san_conf("otherName:1.3.6.1.4.1.311.20.2.3;UTF8:user@x")
                          .san_conf("RID:1.2.3.4")
                          .pem());
  CHECK(csr.sans.dns == std::vector<std::string>{"a.example.com", "B.example.com."});
  CHECK(ip_texts(csr) == std::vector<std::string>{"2001:db8::10", "192.0.2.7"});
  CHECK(csr.sans.ips[1].bytes.size() == 4);  // v4-mapped collapsed
  CHECK(csr.sans.emails == std::vector<std::string>{"root@example.com"});
  CHECK(csr.sans.uris == std::vector<std::string>{"spiffe://cluster/ns/x"});
  CHECK(csr.sans.others ==
        std::vector<std::string>{"otherName:1.3.6.1.4.1.311.20.2.3", "registeredID:1.2.3.4"});
}

TEST_CASE("directoryName, x400Address and ediPartyName SANs are described in others") {
  // GeneralNames { [4] Name { CN=x } , [3] {} , [5] { partyName [1] UTF8 "y" } }, in DER.
  const std::vector<std::uint8_t> san = {0x30, 0x19, 0xa4, 0x0e, 0x30, 0x0c, 0x31, 0x0a, 0x30,
                                         0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 'x',
                                         0xa3, 0x00, 0xa5, 0x05, 0xa1, 0x03, 0x0c, 0x01, 'y'};
  auto csr = parse_ok(CsrBuilder().common_name("a").raw_extension("2.5.29.17", san).pem());
  CHECK(csr.sans.others == std::vector<std::string>{"dirName:CN=x", "x400Address", "ediPartyName"});
  CHECK(csr.sans.dns.empty());
  CHECK(csr.signature_valid);
}

TEST_CASE("a wildcard DNS SAN is reported verbatim (the policy judges it)") {
  auto csr = parse_ok(CsrBuilder::kubelet_serving("w").dns("*.apps.example.com").pem());
  CHECK(csr.sans.dns == std::vector<std::string>{"w", "*.apps.example.com"});
}

TEST_CASE("requested extensions other than SAN are listed by OID") {
  auto csr = parse_ok(CsrBuilder::kubelet_serving("w")
                          .key_usage("critical,digitalSignature,keyEncipherment")
                          .extended_key_usage("serverAuth,clientAuth")
                          .extension("basicConstraints", "CA:TRUE")
                          .pem());
  CHECK(csr.other_extensions == std::vector<std::string>{"2.5.29.15", "2.5.29.37", "2.5.29.19"});
  CHECK(csr.sans.dns == std::vector<std::string>{"w"});
}

TEST_CASE("a challengePassword attribute is ignored, not an error") {
  auto csr = parse_ok(CsrBuilder::kubelet_client("w").challenge_password("secret").pem());
  CHECK(csr.signature_valid);
  CHECK(csr.other_extensions.empty());
}

TEST_CASE("key algorithms, sizes and curves") {
  struct Row {
    CsrBuilder builder;
    KeyAlgorithm algorithm;
    int bits;
    std::string curve;
    std::string type_name;
  };
  const std::vector<Row> rows = {
      {CsrBuilder().rsa(2048), KeyAlgorithm::kRsa, 2048, "", "RSA"},
      {CsrBuilder().rsa(3072), KeyAlgorithm::kRsa, 3072, "", "RSA"},
      {CsrBuilder().rsa(1024), KeyAlgorithm::kRsa, 1024, "", "RSA"},  // parses; policy rejects
      {CsrBuilder().ec_p256(), KeyAlgorithm::kEcdsa, 256, "prime256v1", "EC"},
      {CsrBuilder().ec_p384(), KeyAlgorithm::kEcdsa, 384, "secp384r1", "EC"},
      {CsrBuilder().ec_p521(), KeyAlgorithm::kEcdsa, 521, "secp521r1", "EC"},
      {CsrBuilder().ec_secp256k1(), KeyAlgorithm::kEcdsa, 256, "secp256k1", "EC"},
      {CsrBuilder().ed25519(), KeyAlgorithm::kEd25519, 256, "", "ED25519"},
  };
  for (const auto& row : rows) {
    auto csr = parse_ok(Row(row).builder.common_name("k").pem());
    INFO(row.type_name << " " << row.bits);
    CHECK(csr.key.algorithm == row.algorithm);
    CHECK(csr.key.bits == row.bits);
    CHECK(csr.key.curve == row.curve);
    CHECK(csr.key.type_name == row.type_name);
    CHECK(csr.signature_valid);
  }
}

TEST_CASE("RSA 4096 parses (key generated once per process)") {
  auto csr = parse_ok(CsrBuilder().rsa(4096).common_name("big").pem());
  CHECK(csr.key.bits == 4096);
  CHECK(csr.signature_valid);
}

TEST_CASE("a corrupted signature parses and reports signature_valid=false") {
  // Documented choice: the request is well-formed, so the parser returns it; the policy
  // turns signature_valid=false into its own reason code.
  for (auto builder : {CsrBuilder().rsa(2048), CsrBuilder().ec_p256(), CsrBuilder().ed25519()}) {
    auto csr = parse_ok(builder.common_name("system:node:w").corrupt_signature().pem());
    CHECK_FALSE(csr.signature_valid);
    CHECK(csr.common_names == std::vector<std::string>{"system:node:w"});
  }
}

TEST_CASE("SHA-384 and SHA-1 signatures verify") {
  CHECK(parse_ok(CsrBuilder().common_name("a").digest("SHA384").pem()).signature_valid);
  // SHA-1 is weak but the request is still authentic; OpenSSL 3 at its default security
  // level verifies it. The policy does not look at the digest.
  CHECK(parse_ok(CsrBuilder().rsa(2048).common_name("a").digest("SHA1").pem()).signature_valid);
}

TEST_CASE("whitespace around the block and CRLF line endings are accepted") {
  std::string pem = CsrBuilder::kubelet_client("w").pem();
  CHECK(parse_ok("\n\n  " + pem + "\n\t\n").signature_valid);
  std::string crlf;
  for (char c : pem) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  CHECK(parse_ok(crlf).common_names == std::vector<std::string>{"system:node:w"});
}

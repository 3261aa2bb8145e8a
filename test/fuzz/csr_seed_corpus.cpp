// Writes a seed corpus for csr_parser_fuzz into DIR: valid CSRs of every key type and
// SAN type, and the edge cases the parser rejects, each as PEM and as raw DER (the fuzz
// target reads inputs both ways). Generated at run time so no binary corpus is committed.
// Usage: csr_seed_corpus DIR
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "support/csr_builder.h"

using nca::test::CsrBuilder;

namespace {

void write(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::vector<std::pair<std::string, CsrBuilder>> csrs = {
      {"serving-ec", CsrBuilder::kubelet_serving("worker-0").ip("192.0.2.10").ip("2001:db8::10")},
      {"client-ec", CsrBuilder::kubelet_client("worker-0")},
      {"serving-rsa", CsrBuilder::kubelet_serving("w").rsa(2048).ip("::ffff:10.0.0.1")},
      {"rsa1024", CsrBuilder().rsa(1024).common_name("small")},
      {"p384", CsrBuilder().ec_p384().common_name("a").organization("b").subject("OU", "c")},
      {"p521", CsrBuilder().ec_p521().common_name("a")},
      {"k256", CsrBuilder().ec_secp256k1().common_name("a")},
      {"ed25519", CsrBuilder().ed25519().common_name("a").email("e@x").uri("spiffe://x/y")},
      {"others", CsrBuilder()
                     .common_name("a")
                     .san_conf("otherName:1.3.6.1.4.1.311.20.2.3;UTF8:u@x")
                     .san_conf("RID:1.2.3.4")},
      {"extensions", CsrBuilder::kubelet_serving("w")
                         .key_usage("critical,digitalSignature")
                         .extended_key_usage("serverAuth")},
      {"two-ext-req",
       CsrBuilder::kubelet_serving("w").key_usage("digitalSignature").split_extension_request()},
      {"ms-ext-req", CsrBuilder::kubelet_serving("w").microsoft_extension_request()},
      {"bad-sig", CsrBuilder::kubelet_serving("w").corrupt_signature()},
      {"bad-ip-len", CsrBuilder().ip_bytes({1, 2, 3})},
      {"dup-san", CsrBuilder().dns("a").raw_extension("2.5.29.17", {0x30, 0x03, 0x82, 0x01, 'b'})},
      {"dir-x400-edi", CsrBuilder().raw_extension(
                           "2.5.29.17", {0x30, 0x19, 0xa4, 0x0e, 0x30, 0x0c, 0x31, 0x0a, 0x30,
                                         0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 'x',
                                         0xa3, 0x00, 0xa5, 0x05, 0xa1, 0x03, 0x0c, 0x01, 'y'})},
      {"challenge", CsrBuilder().common_name("a").challenge_password("pw")},
  };
  for (const auto& [name, builder] : csrs) {
    const auto der = builder.der();
    write(dir, name + ".der", std::string(der.begin(), der.end()));
    write(dir, name + ".pem", nca::test::der_to_pem(der, "CERTIFICATE REQUEST"));
  }
  const std::string pem = CsrBuilder::kubelet_client("x").pem();
  write(dir, "two-blocks.pem", nca::test::concat_pem(pem, pem));
  write(dir, "trailing.pem", nca::test::with_trailing(pem, "junk"));
  write(dir, "certificate.pem", nca::test::self_signed_certificate_pem());
  write(dir, "ipv6.txt", "2001:db8::1");
  write(dir, "ipv4.txt", "192.0.2.1");
  std::printf("wrote %zu seeds to %s\n", csrs.size() * 2 + 5, dir.c_str());
  return 0;
}

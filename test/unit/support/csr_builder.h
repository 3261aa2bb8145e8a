// CsrBuilder: generates a PKCS#10 certificate request with OpenSSL at test time, so tests
// never carry binary fixtures and can say exactly what each CSR holds. Fluent: each setter
// returns *this; pem()/der() build a fresh, signed request every call.
//
//   auto pem = CsrBuilder::kubelet_serving("worker-0").ip("192.0.2.10").pem();
//   auto bad = CsrBuilder().rsa(1024).common_name("x").corrupt_signature().pem();
//
// Defaults: EC P-256 key, SHA-256, empty subject, no SANs, no extensions. RSA keys are
// generated once per size per process and shared (RSA 4096 takes seconds); EC and Ed25519
// keys are fresh each build. Failures (an OpenSSL error, a bad IP literal) throw
// std::runtime_error: this is test-only code and Catch reports the exception.
// Thread-safety: a builder is not synchronised; the RSA key cache is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nca::test {

enum class KeyType { kRsa, kEcP256, kEcP384, kEcP521, kEcSecp256k1, kEd25519 };

class CsrBuilder {
 public:
  CsrBuilder() = default;

  // What a kubelet sends: CN=system:node:NAME, O=system:nodes, EC P-256; serving adds
  // DNS SAN NAME (add IPs yourself), client has no SANs.
  static CsrBuilder kubelet_serving(std::string_view node_name);
  static CsrBuilder kubelet_client(std::string_view node_name);

  // Key.
  CsrBuilder& key(KeyType type, int rsa_bits = 2048);
  CsrBuilder& rsa(int bits = 2048) { return key(KeyType::kRsa, bits); }
  CsrBuilder& ec_p256() { return key(KeyType::kEcP256); }
  CsrBuilder& ec_p384() { return key(KeyType::kEcP384); }
  CsrBuilder& ec_p521() { return key(KeyType::kEcP521); }
  CsrBuilder& ec_secp256k1() { return key(KeyType::kEcSecp256k1); }
  CsrBuilder& ed25519() { return key(KeyType::kEd25519); }

  // Subject, in call order. Each call appends one attribute: call common_name twice for
  // two CNs. `short_name` is OpenSSL's ("OU", "C", "L", "ST", "serialNumber", …).
  CsrBuilder& common_name(std::string value) { return subject("CN", std::move(value)); }
  CsrBuilder& organization(std::string value) { return subject("O", std::move(value)); }
  CsrBuilder& subject(std::string short_name, std::string value);
  CsrBuilder& clear_subject();

  // subjectAltName entries, in call order, all in one extension.
  CsrBuilder& dns(std::string name);
  CsrBuilder& ip(std::string_view text);                // IPv4/IPv6 literal, as written
  CsrBuilder& ip_bytes(std::vector<std::uint8_t> raw);  // any length: malformed-SAN tests
  CsrBuilder& email(std::string address);
  CsrBuilder& uri(std::string uri);
  // An entry in OpenSSL config syntax: "RID:1.2.3.4", "otherName:1.2.3.4;UTF8:x".
  CsrBuilder& san_conf(std::string entry);
  CsrBuilder& clear_sans();

  // More requested extensions, after the SAN extension, in call order.
  // `value` in OpenSSL config syntax: extension("keyUsage", "critical,digitalSignature").
  CsrBuilder& extension(std::string name, std::string value);
  CsrBuilder& key_usage(std::string value) { return extension("keyUsage", std::move(value)); }
  CsrBuilder& extended_key_usage(std::string value) {
    return extension("extendedKeyUsage", std::move(value));
  }
  // An extension added verbatim: dotted OID and the DER of its value (e.g. a second
  // subjectAltName "2.5.29.17", or undecodable bytes).
  CsrBuilder& raw_extension(std::string oid, std::vector<std::uint8_t> der_value,
                            bool critical = false);

  // Attribute-level oddities.
  CsrBuilder& split_extension_request();      // non-SAN extensions in a 2nd extensionRequest
  CsrBuilder& microsoft_extension_request();  // use the MS OID 1.3.6.1.4.1.311.2.1.14
  CsrBuilder& challenge_password(std::string value);

  // Signature.
  CsrBuilder& digest(std::string name);           // "SHA256" (default), "SHA384", "SHA1", …
  CsrBuilder& corrupt_signature(bool on = true);  // flip one bit of the signature

  std::string pem() const;
  std::vector<std::uint8_t> der() const;

 private:
  struct SanEntry {
    enum Kind { kDns, kIp, kEmail, kUri, kConf } kind;
    std::string text;
    std::vector<std::uint8_t> bytes;
  };
  struct ExtEntry {
    std::string name_or_oid;
    std::string conf_value;
    std::vector<std::uint8_t> raw;
    bool raw_form = false;
    bool critical = false;
  };

  KeyType key_type_ = KeyType::kEcP256;
  int rsa_bits_ = 2048;
  std::vector<std::pair<std::string, std::string>> subject_;
  std::vector<SanEntry> sans_;
  std::vector<ExtEntry> extensions_;
  bool split_ext_req_ = false;
  bool ms_ext_req_ = false;
  std::string challenge_password_;
  std::string digest_ = "SHA256";
  bool corrupt_ = false;
};

// Framing helpers for rejection tests.
std::string der_to_pem(const std::vector<std::uint8_t>& der, std::string_view label);
std::string concat_pem(std::string_view first, std::string_view second);  // two blocks
std::string with_trailing(std::string_view pem, std::string_view garbage);
// A self-signed CERTIFICATE (P-256, CN=not-a-csr): the wrong PEM type for a CSR.
std::string self_signed_certificate_pem();

}  // namespace nca::test

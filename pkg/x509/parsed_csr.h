// ParsedCsr: what a PKCS#10 certificate request says, extracted with OpenSSL and held as
// plain values so the policy never touches OpenSSL. Produced by parse_csr_pem (csr_parser.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nca::x509 {

enum class KeyAlgorithm { kUnknown, kRsa, kEcdsa, kEd25519, kOther };

struct PublicKeyInfo {
  KeyAlgorithm algorithm = KeyAlgorithm::kUnknown;
  int bits = 0;           // RSA modulus size, EC field size
  std::string curve;      // ECDSA: OpenSSL short name, "prime256v1" | "secp384r1" | …
  std::string type_name;  // for messages: "RSA", "EC", "ED25519", or OpenSSL's name
};

// An IP address SAN in canonical form: 4 bytes for IPv4, 16 for IPv6 (as encoded).
struct IpAddress {
  std::vector<std::uint8_t> bytes;
  std::string text;  // canonical text: dotted quad, or RFC 5952 IPv6
};

struct SubjectAltNames {
  std::vector<std::string> dns;
  std::vector<IpAddress> ips;
  std::vector<std::string> emails;
  std::vector<std::string> uris;
  std::vector<std::string> others;  // otherName, dirName, registeredID, x400, ediParty: described
};

struct ParsedCsr {
  std::vector<std::string> common_names;              // every CN attribute (normally exactly one)
  std::vector<std::string> organizations;             // every O attribute, in order
  std::vector<std::string> other_subject_attributes;  // "OU=…", "C=…": anything else
  PublicKeyInfo key;
  SubjectAltNames sans;
  // Requested extension OIDs (dotted) other than subjectAltName; kubelets request none.
  std::vector<std::string> other_extensions;
  bool signature_valid = false;  // the request's self-signature verifies with its key
};

}  // namespace nca::x509

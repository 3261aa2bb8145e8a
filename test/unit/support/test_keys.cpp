#include "support/test_keys.h"

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

#include "x509/openssl_error.h"

namespace nca::test {

void throw_openssl(const std::string& what) {
  throw std::runtime_error("test support: " + what + ": " + x509::drain_openssl_errors());
}

namespace {

x509::ossl::Pkey generate(KeyType type, int rsa_bits) {
  EVP_PKEY* key = nullptr;
  switch (type) {
    case KeyType::kRsa:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(rsa_bits));
      break;
    case KeyType::kEcP256:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case KeyType::kEcP384:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
      break;
    case KeyType::kEcP521:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521");
      break;
    case KeyType::kEcSecp256k1:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1");
      break;
    case KeyType::kEd25519:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  if (key == nullptr) throw_openssl("key generation");
  return x509::ossl::Pkey(key);
}

}  // namespace

x509::ossl::Pkey make_test_key(KeyType type, int rsa_bits) {
  if (type != KeyType::kRsa) return generate(type, rsa_bits);
  static std::mutex mu;
  static std::map<int, x509::ossl::Pkey> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(rsa_bits);
  if (it == cache.end()) it = cache.emplace(rsa_bits, generate(type, rsa_bits)).first;
  if (EVP_PKEY_up_ref(it->second.get()) != 1) throw_openssl("EVP_PKEY_up_ref");
  return x509::ossl::Pkey(it->second.get());
}

}  // namespace nca::test

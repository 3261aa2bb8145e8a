// Key generation for test support, with a process-wide cache of RSA keys per size (RSA
// 4096 generation takes seconds; tests only need *a* key of that size). Thread-safe: the
// cache is guarded by a mutex; every call returns its own reference to the key.
#pragma once

#include <openssl/evp.h>

#include "support/csr_builder.h"
#include "x509/openssl_handles.h"

namespace nca::test {

// A private key of the given type; throws std::runtime_error when OpenSSL fails.
x509::ossl::Pkey make_test_key(KeyType type, int rsa_bits);

// Throws std::runtime_error with `what` and the OpenSSL error queue (which it clears).
[[noreturn]] void throw_openssl(const std::string& what);

}  // namespace nca::test

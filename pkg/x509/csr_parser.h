// parse_csr_pem: PEM text → ParsedCsr, with OpenSSL 3. Thread-safe (no shared state).
// Accepts exactly one "CERTIFICATE REQUEST" block (whitespace around it allowed), at most
// 64 KiB of input. Anything else — two blocks, trailing data, DER junk, a malformed or
// duplicated SAN, a second extensionRequest attribute — is an Invalid status with a message
// that names the problem. Never crashes on hostile input (fuzzed in test/fuzz).
// A well-formed request whose self-signature does not verify is NOT an error: it parses
// with signature_valid == false, so the policy can give it its own reason code (and
// `explain` can still show what it claims). Callers must check signature_valid.
#pragma once

#include <string_view>

#include "base/status.h"
#include "x509/parsed_csr.h"

namespace nca::x509 {

inline constexpr std::size_t kMaxCsrPemBytes = 64 * 1024;

Result<ParsedCsr> parse_csr_pem(std::string_view pem);

}  // namespace nca::x509

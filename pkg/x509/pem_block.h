// Strict PEM framing: the text must be exactly one block with the expected label, with
// only whitespace around it, no headers, and a body of padded base64. Stricter than
// OpenSSL's PEM reader on purpose: what we inspect must be exactly what the signer reads.
// Internal to pkg/x509. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace nca::x509 {

// The DER bytes of the single PEM block of type `label` that makes up `text`, or Invalid
// with a message naming what is wrong (another block type, a second block, trailing data,
// a missing END line, bad base64).
Result<std::vector<std::uint8_t>> decode_single_pem_block(std::string_view text,
                                                          std::string_view label);

// Strict base64 (RFC 4648 standard alphabet, padding required, whitespace between groups
// ignored). Exposed for tests.
Result<std::vector<std::uint8_t>> decode_base64(std::string_view text);

}  // namespace nca::x509

// Standard base64 (RFC 4648 §4, with padding), as the API server encodes []byte fields such
// as CSR spec.request. Decoding is strict: bad characters, bad padding or a bad length are
// an error, never a guess. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace nca::kube {

std::string base64_encode(std::string_view bytes);
Result<std::string> base64_decode(std::string_view text);

}  // namespace nca::kube

// Mapping API server answers to Status codes: the HTTP status, the metav1.Status body
// (reason, message, details.retryAfterSeconds) and the Retry-After header. The server's
// message is kept verbatim (e.g. `user not permitted to approve requests with signerName
// "…"`) because operators grep for it. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace nca::kube {

// The Code for an HTTP status and a metav1.Status reason ("" when unknown).
Code code_for(int http_status, std::string_view reason);

// A non-2xx response as a Status. `retry_after` is the Retry-After header, if any.
Status status_from_response(int http_status, std::string_view body,
                            std::optional<std::string> retry_after = std::nullopt);

// A metav1.Status object (a watch ERROR event's object) as a Status; a 410 is Gone.
Status status_from_api_status(const nlohmann::json& status);

// Retry-After in delta-seconds form; nullopt for anything else (HTTP dates are ignored).
std::optional<int> parse_retry_after(std::string_view header);

}  // namespace nca::kube

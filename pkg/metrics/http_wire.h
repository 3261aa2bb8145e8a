// The HTTP/1.1 text HttpServer reads and writes: parsing a request head and formatting an
// answer. Pure functions, no I/O; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "metrics/http_server.h"

namespace nca::metrics {

// `head` is everything up to and including the blank line. Nullopt when the request line
// or a header line is malformed.
std::optional<HttpRequest> parse_request_head(std::string_view head);

// Status line, headers (Content-Type, Content-Length, Connection: close, the extras) and,
// unless `head_only`, the body.
std::string format_response(const HttpResponse& response, bool head_only);

}  // namespace nca::metrics

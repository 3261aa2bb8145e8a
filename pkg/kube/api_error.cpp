#include "kube/api_error.h"

#include <charconv>

namespace nca::kube {

using nlohmann::json;

Code code_for(int http_status, std::string_view reason) {
  if (reason == "AlreadyExists") return Code::kAlreadyExists;
  if (reason == "Expired" || reason == "Gone") return Code::kGone;
  switch (http_status) {
    case 400:
    case 422:
      return Code::kInvalid;
    case 401:
      return Code::kUnauthorized;
    case 403:
      return Code::kForbidden;
    case 404:
      return Code::kNotFound;
    case 409:
      return Code::kConflict;
    case 410:
      return Code::kGone;
    case 429:
      return Code::kTooManyRequests;
    case 408:
    case 504:
      return Code::kTimeout;
    default:
      break;
  }
  if (reason == "Timeout" || reason == "ServerTimeout") return Code::kTimeout;
  if (http_status >= 500) return Code::kUnavailable;
  return Code::kInternal;  // an unexpected 1xx/3xx/other 4xx: a bug on one side
}

std::optional<int> parse_retry_after(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  int seconds = 0;
  auto [ptr, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
  if (ec != std::errc() || ptr != header.data() + header.size() || seconds < 0) return std::nullopt;
  return seconds;
}

namespace {

std::string string_member(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<int> retry_after_from_details(const json& status) {
  auto details = status.find("details");
  if (details == status.end() || !details->is_object()) return std::nullopt;
  auto r = details->find("retryAfterSeconds");
  if (r == details->end() || !r->is_number_integer()) return std::nullopt;
  auto v = r->get<std::int64_t>();
  if (v < 0 || v > 86400) return std::nullopt;
  return static_cast<int>(v);
}

}  // namespace

Status status_from_api_status(const json& status) {
  if (!status.is_object()) return {Code::kInternal, "malformed Status object from the server"};
  int code = 0;
  if (auto it = status.find("code"); it != status.end() && it->is_number_integer()) {
    code = it->get<int>();
  }
  std::string reason = string_member(status, "reason");
  std::string message = string_member(status, "message");
  if (message.empty()) message = reason.empty() ? "HTTP " + std::to_string(code) : reason;
  Status out(code_for(code, reason), message);
  if (auto r = retry_after_from_details(status)) out.with_retry_after(*r);
  return out;
}

Status status_from_response(int http_status, std::string_view body,
                            std::optional<std::string> retry_after) {
  Status out;
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.value("kind", "") == "Status") {
    out = status_from_api_status(parsed);
    if (out.code() == Code::kInternal || !parsed.contains("code")) {
      out = Status(code_for(http_status, string_member(parsed, "reason")), out.message());
    }
  } else {
    std::string text(body.substr(0, 256));
    out = Status(code_for(http_status, ""),
                 "HTTP " + std::to_string(http_status) + (text.empty() ? "" : ": " + text));
  }
  if (out.is_ok()) out = Status(Code::kInternal, "HTTP " + std::to_string(http_status));
  if (retry_after) {
    if (auto seconds = parse_retry_after(*retry_after)) out.with_retry_after(*seconds);
  }
  return out;
}

}  // namespace nca::kube

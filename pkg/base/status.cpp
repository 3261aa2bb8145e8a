#include "base/status.h"

namespace nca {

std::string_view code_name(Code code) {
  switch (code) {
    case Code::kOk:
      return "Ok";
    case Code::kInvalid:
      return "Invalid";
    case Code::kNotFound:
      return "NotFound";
    case Code::kAlreadyExists:
      return "AlreadyExists";
    case Code::kConflict:
      return "Conflict";
    case Code::kGone:
      return "Gone";
    case Code::kUnauthorized:
      return "Unauthorized";
    case Code::kForbidden:
      return "Forbidden";
    case Code::kTooManyRequests:
      return "TooManyRequests";
    case Code::kTimeout:
      return "Timeout";
    case Code::kUnavailable:
      return "Unavailable";
    case Code::kCancelled:
      return "Cancelled";
    case Code::kInternal:
      return "Internal";
  }
  return "Unknown";
}

bool is_transient(Code code) {
  return code == Code::kConflict || code == Code::kTooManyRequests || code == Code::kTimeout ||
         code == Code::kUnavailable;
}

std::string Status::to_string() const {
  if (is_ok()) return "Ok";
  std::string out(code_name(code_));
  if (!message_.empty()) out += ": " + message_;
  return out;
}

Status Status::annotate(std::string_view context) const {
  if (is_ok()) return *this;
  Status copy = *this;
  copy.message_ = std::string(context) + ": " + message_;
  return copy;
}

}  // namespace nca

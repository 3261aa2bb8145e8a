// Status and Result<T>: errors as values.
//
// Inside the project, failures travel as a Status (a Code with a documented meaning and a
// human message) instead of exceptions. Exceptions thrown by third-party libraries are
// caught in the adapter that calls them and turned into a Status there.
// Status and Result are plain values: not synchronised, safe to copy between threads.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nca {

enum class Code {
  kOk = 0,
  kInvalid,          // the input is malformed or violates a documented constraint; do not retry
  kNotFound,         // the named object does not exist
  kAlreadyExists,    // create of an object that exists
  kConflict,         // optimistic concurrency failure (HTTP 409): re-read and retry
  kGone,             // resourceVersion too old (HTTP 410 / watch ERROR 410): relist
  kUnauthorized,     // authentication failed (HTTP 401)
  kForbidden,        // authenticated but not allowed (HTTP 403)
  kTooManyRequests,  // throttled (HTTP 429); Status::retry_after_seconds may say when
  kTimeout,          // a deadline passed; transient
  kUnavailable,      // transport error or 5xx; transient
  kCancelled,        // the caller asked to stop
  kInternal,         // a bug or an impossible state
};

std::string_view code_name(Code code);

// True for codes where the same request may succeed later without any change.
bool is_transient(Code code);

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }

  bool is_ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Seconds the server asked us to wait (HTTP Retry-After), when it said.
  std::optional<int> retry_after_seconds() const { return retry_after_; }
  Status& with_retry_after(int seconds) {
    retry_after_ = seconds;
    return *this;
  }

  // "Code: message", for logs and error output.
  std::string to_string() const;

  // Returns a copy whose message is prefixed with `context: `.
  Status annotate(std::string_view context) const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::optional<int> retry_after_;
};

inline Status invalid(std::string message) { return {Code::kInvalid, std::move(message)}; }
inline Status not_found(std::string message) { return {Code::kNotFound, std::move(message)}; }
inline Status internal_error(std::string message) { return {Code::kInternal, std::move(message)}; }

// A value or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).is_ok() && "Result built from an OK status");
    if (std::get<Status>(v_).is_ok()) v_ = Status(Code::kInternal, "Result built from OK status");
  }

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }

  const Status& status() const {
    static const Status kOk;
    return is_ok() ? kOk : std::get<Status>(v_);
  }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace nca

// TokenSource: the bearer token for requests, either fixed or read from a file that is
// re-read whenever its modification time or size changes (bound service-account tokens
// are rotated by the kubelet about every hour). Thread-safe.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>

#include "base/status.h"

namespace nca::kube {

class TokenSource {
 public:
  TokenSource(std::string static_token, std::string token_file);

  // The current token ("" when none is configured), trimmed of trailing whitespace.
  // An unreadable or empty token file is an Unauthorized error naming the file.
  Result<std::string> token();

 private:
  std::string static_token_;
  std::string file_;
  std::mutex mu_;
  std::string cached_;
  std::filesystem::file_time_type mtime_{};
  std::uintmax_t size_ = 0;
  bool loaded_ = false;
};

}  // namespace nca::kube

#include "kube/token_source.h"

#include <fstream>
#include <sstream>

namespace nca::kube {

TokenSource::TokenSource(std::string static_token, std::string token_file)
    : static_token_(std::move(static_token)), file_(std::move(token_file)) {}

Result<std::string> TokenSource::token() {
  if (file_.empty()) return static_token_;
  std::lock_guard lock(mu_);
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(file_, ec);
  auto size = ec ? 0 : std::filesystem::file_size(file_, ec);
  if (ec) {
    if (loaded_) return cached_;  // keep the last good token through a rotation's rename
    return Status(Code::kUnauthorized, "cannot read token file " + file_ + ": " + ec.message());
  }
  if (loaded_ && mtime == mtime_ && size == size_) return cached_;
  std::ifstream in(file_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string t = text.str();
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
  if (!in || t.empty()) {
    if (loaded_) return cached_;
    return Status(Code::kUnauthorized, "token file " + file_ + " is empty or unreadable");
  }
  cached_ = std::move(t);
  mtime_ = mtime;
  size_ = size;
  loaded_ = true;
  return cached_;
}

}  // namespace nca::kube

// LineSplitter: turns the chunks of a streamed watch body into complete lines. A chunk is
// not an event boundary: one chunk may hold several lines and a line may span many chunks.
// Empty lines are skipped; a trailing "\r" is dropped. A line longer than `max_line` is an
// error (a broken or hostile server), not unbounded memory. Not thread-safe (one stream).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace nca::kube {

class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line = 128u << 20) : max_line_(max_line) {}

  // Calls `on_line` for every line completed by `chunk`; stops at the first non-OK Status
  // returned by `on_line` and returns it.
  Status feed(std::string_view chunk, const std::function<Status(std::string_view)>& on_line);

  // Bytes of an incomplete line held back (the stream ended mid-line when non-zero at EOF).
  std::size_t pending() const { return partial_.size(); }

 private:
  std::size_t max_line_;
  std::string partial_;
};

}  // namespace nca::kube

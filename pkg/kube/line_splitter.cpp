#include "kube/line_splitter.h"

namespace nca::kube {

Status LineSplitter::feed(std::string_view chunk,
                          const std::function<Status(std::string_view)>& on_line) {
  while (!chunk.empty()) {
    std::size_t nl = chunk.find('\n');
    if (nl == std::string_view::npos) {
      if (partial_.size() + chunk.size() > max_line_) {
        partial_.clear();
        return invalid("watch: event line longer than " + std::to_string(max_line_) + " bytes");
      }
      partial_.append(chunk);
      return Status::ok();
    }
    std::string_view line = chunk.substr(0, nl);
    chunk.remove_prefix(nl + 1);
    if (!partial_.empty()) {
      if (partial_.size() + line.size() > max_line_) {
        partial_.clear();
        return invalid("watch: event line longer than " + std::to_string(max_line_) + " bytes");
      }
      partial_.append(line);
      std::string whole = std::move(partial_);
      partial_.clear();
      std::string_view w = whole;
      if (!w.empty() && w.back() == '\r') w.remove_suffix(1);
      if (!w.empty()) {
        if (Status s = on_line(w); !s.is_ok()) return s;
      }
      continue;
    }
    if (line.size() > max_line_) {
      return invalid("watch: event line longer than " + std::to_string(max_line_) + " bytes");
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) {
      if (Status s = on_line(line); !s.is_ok()) return s;
    }
  }
  return Status::ok();
}

}  // namespace nca::kube

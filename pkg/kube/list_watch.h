// ListWatcher: the seam between the cache (reflector) and the API client. The REST
// client implements it over HTTP; tests use a fake that can drop a watch or answer 410.
// Objects cross this seam as raw JSON so pkg/cache never sees the HTTP library; the
// informer decodes them with a per-type decoder.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "base/status.h"

namespace nca::kube {

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  std::int64_t limit = 500;      // page size; 0 = no pagination
  std::string continue_token;    // from the previous page
  std::string resource_version;  // "" = most recent (quorum read)
};

struct ListPage {
  std::vector<nlohmann::json> items;
  std::string resource_version;  // of the list
  std::string continue_token;    // empty on the last page
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  // resume point: events after this version
  int timeout_seconds = 300;     // server closes the watch after this; a normal end
  bool allow_bookmarks = true;
  // Called (on the watching thread) once the server accepted the watch (2xx), before any
  // event: an open, quiet watch is a healthy one. Optional.
  std::function<void()> on_established;
};

struct WatchEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark, kError };
  Type type = Type::kAdded;
  nlohmann::json object;  // the object; for kError a metav1.Status
};

class ListWatcher {
 public:
  virtual ~ListWatcher() = default;

  // One page of the collection.
  virtual Result<ListPage> list(const ListOptions& options) = 0;

  // Streams events to `on_event` (called on the calling thread, in order; it may move
  // from the event, nothing reads it after) until the server ends the watch, an error
  // occurs, or `stop` is requested. Returns OK for a
  // normal end (server timeout, stop), Gone for "resource version too old" (HTTP 410 or
  // an ERROR event with code 410), and another error otherwise. ERROR events other than
  // 410 end the watch with the decoded status.
  virtual Status watch(const WatchOptions& options,
                       const std::function<void(WatchEvent&&)>& on_event, std::stop_token stop) = 0;
};

}  // namespace nca::kube

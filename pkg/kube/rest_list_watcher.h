// RestListWatcher: the ListWatcher of one Resource (optionally one namespace) over a
// RestClient. list() is one page; watch() streams `watch=1&allowWatchBookmarks=true`
// from a resourceVersion on a connection of its own, with an inactivity timeout above
// timeoutSeconds so a quiet watch ends normally. Thread-safe: concurrent calls are
// independent requests.
#pragma once

#include <memory>
#include <string>

#include "kube/client.h"
#include "kube/line_splitter.h"
#include "kube/list_watch.h"
#include "kube/resource.h"

namespace nca::kube {

class RestListWatcher final : public ListWatcher {
 public:
  RestListWatcher(std::shared_ptr<RestClient> client, Resource resource, std::string ns = "");

  Result<ListPage> list(const ListOptions& options) override;
  Status watch(const WatchOptions& options, const std::function<void(WatchEvent&&)>& on_event,
               std::stop_token stop) override;

  // The watch URL path and query for `options` (for logs and tests).
  std::string watch_path(const WatchOptions& options) const;

 private:
  std::shared_ptr<RestClient> client_;
  Resource resource_;
  std::string ns_;
};

// Feeds body chunks of a watch to `on_event`: splits lines, decodes events, and turns an
// ERROR event into its Status (410 → Gone). Pure apart from calling `on_event`; one
// instance per stream. Exposed for unit tests.
class WatchDecoder {
 public:
  explicit WatchDecoder(std::function<void(WatchEvent&&)> on_event);
  Status feed(std::string_view chunk);
  // Call at the end of the stream: an event cut off mid-line is an error.
  Status finish() const;

 private:
  std::function<void(WatchEvent&&)> on_event_;
  LineSplitter lines_;
};

}  // namespace nca::kube

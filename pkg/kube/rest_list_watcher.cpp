#include "kube/rest_list_watcher.h"

#include "kube/api_error.h"
#include "kube/watch_event.h"

namespace nca::kube {

WatchDecoder::WatchDecoder(std::function<void(WatchEvent&&)> on_event)
    : on_event_(std::move(on_event)) {}

Status WatchDecoder::feed(std::string_view chunk) {
  return lines_.feed(chunk, [this](std::string_view line) -> Status {
    auto ev = parse_watch_event(line);
    if (!ev) return ev.status();
    if (ev->type == WatchEvent::Type::kError) {
      Status s = status_from_api_status(ev->object);
      if (s.is_ok()) s = Status(Code::kInternal, "watch ERROR event without a status");
      return s.annotate("watch");
    }
    on_event_(std::move(*ev));
    return Status::ok();
  });
}

Status WatchDecoder::finish() const {
  if (lines_.pending() > 0)
    return {Code::kUnavailable, "watch stream ended in the middle of an event"};
  return Status::ok();
}

RestListWatcher::RestListWatcher(std::shared_ptr<RestClient> client, Resource resource,
                                 std::string ns)
    : client_(std::move(client)), resource_(std::move(resource)), ns_(std::move(ns)) {}

Result<ListPage> RestListWatcher::list(const ListOptions& options) {
  return client_->list(resource_, ns_, options);
}

std::string RestListWatcher::watch_path(const WatchOptions& o) const {
  return resource_.collection_path(ns_) +
         query_string(
             {{"watch", "1"},
              {"allowWatchBookmarks", o.allow_bookmarks ? "true" : ""},
              {"timeoutSeconds", o.timeout_seconds > 0 ? std::to_string(o.timeout_seconds) : ""},
              {"resourceVersion", o.resource_version},
              {"labelSelector", o.label_selector},
              {"fieldSelector", o.field_selector}});
}

Status RestListWatcher::watch(const WatchOptions& options,
                              const std::function<void(WatchEvent&&)>& on_event,
                              std::stop_token stop) {
  WatchDecoder decoder(on_event);
  // Idle for longer than the server's own timeout (plus slack) means the connection is dead.
  // Without timeoutSeconds the server picks up to 2 x --min-request-timeout (1 h by default).
  int server_timeout = options.timeout_seconds > 0 ? options.timeout_seconds : 3600;
  auto inactivity = std::chrono::seconds(server_timeout + 30);
  Status s = client_->stream(
      watch_path(options), inactivity,
      [&decoder](std::string_view chunk) { return decoder.feed(chunk); }, stop,
      options.on_established);
  if (!s.is_ok() || stop.stop_requested()) return s;
  return decoder.finish();
}

}  // namespace nca::kube

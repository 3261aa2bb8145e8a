#include "kube/watch_event.h"

namespace nca::kube {

Result<WatchEvent> parse_watch_event(std::string_view line) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return invalid("watch: event is not valid JSON");
  if (!j.is_object()) return invalid("watch: event is not a JSON object");
  auto type = j.find("type");
  if (type == j.end() || !type->is_string()) return invalid("watch: event has no type");
  auto object = j.find("object");
  if (object == j.end() || !object->is_object()) return invalid("watch: event has no object");
  WatchEvent ev;
  const auto& t = type->get_ref<const std::string&>();
  if (t == "ADDED") {
    ev.type = WatchEvent::Type::kAdded;
  } else if (t == "MODIFIED") {
    ev.type = WatchEvent::Type::kModified;
  } else if (t == "DELETED") {
    ev.type = WatchEvent::Type::kDeleted;
  } else if (t == "BOOKMARK") {
    ev.type = WatchEvent::Type::kBookmark;
  } else if (t == "ERROR") {
    ev.type = WatchEvent::Type::kError;
  } else {
    return invalid("watch: unknown event type \"" + t + "\"");
  }
  ev.object = std::move(*object);
  return ev;
}

}  // namespace nca::kube

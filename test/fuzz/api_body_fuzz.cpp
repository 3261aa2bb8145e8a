// libFuzzer target for everything that reads API server answers: list pages, discovery
// documents, watch streams (line splitting + event parsing + ERROR statuses) and every
// typed and inventory decoder. Besides "no crash, no exception, no sanitizer report", it
// checks the contracts callers rely on:
//  * decoders return errors as values (any exception escaping aborts);
//  * an object with a readable metadata.name is never refused by the lenient decoders
//    (decode_node, decode_unstructured): a relist must not forget it;
//  * a discovery answer that is not a document is an error, never "not served".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "inventory/object_decoder.h"
#include "inventory/static_inventory.h"
#include "kube/api_documents.h"
#include "kube/api_error.h"
#include "kube/decode.h"
#include "kube/line_splitter.h"
#include "kube/watch_event.h"

namespace {

using nlohmann::json;

void require(bool ok) {
  if (!ok) std::abort();  // an invariant broke: libFuzzer records the input
}

bool has_readable_name(const json& object) {
  if (!object.is_object()) return false;
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return false;
  auto name = meta->find("name");
  return name != meta->end() && name->is_string() && !name->get_ref<const std::string&>().empty();
}

void decode_object(const json& object) {
  (void)nca::kube::decode_meta(object);
  (void)nca::kube::raw_object_key(object);
  (void)nca::kube::decode_csr(object);
  (void)nca::kube::decode_lease(object);
  (void)nca::kube::decode_configmap(object);
  (void)nca::kube::decode_event(object);
  auto node = nca::kube::decode_node(object);
  auto u = nca::kube::decode_unstructured(object);
  if (has_readable_name(object)) require(node.is_ok() && u.is_ok());
  if (node.is_ok()) require(!node->metadata.name.empty());
  nca::inventory::Decoded d = nca::inventory::decode_inventory_object(object);
  if (!d.machine) require(!d.skipped.empty());
  if (d.degraded()) require(d.machine->node_name.empty() && d.machine->has_node_ref);
}

void decode_document(json doc) {
  require(!nca::kube::discovery_lists_resource(doc, "machines").is_ok() ||
          (doc.is_object() && doc.contains("resources")));
  (void)nca::inventory::decode_static_inventory(doc);
  if (auto items = nca::inventory::list_items(doc); items.is_ok()) {
    for (const json& item : *items) decode_object(item);
  }
  decode_object(doc);
  auto page = nca::kube::decode_list_page(std::move(doc), "fuzz");
  if (page.is_ok()) {
    for (const json& item : page->items) decode_object(item);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    // 1. The whole input as one answer body.
    json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_discarded()) decode_document(std::move(doc));

    // 2. The input as a watch stream, cut into two chunks at a data-dependent point.
    nca::kube::LineSplitter lines(1u << 16);
    auto on_line = [](std::string_view line) -> nca::Status {
      auto ev = nca::kube::parse_watch_event(line);
      if (!ev.is_ok()) return nca::Status::ok();  // an error value: fine, keep going
      if (ev->type == nca::kube::WatchEvent::Type::kError) {
        (void)nca::kube::status_from_api_status(ev->object);
      } else {
        decode_object(ev->object);
      }
      return nca::Status::ok();
    };
    const std::size_t cut = size > 0 ? data[0] % (size + 1) : 0;
    (void)lines.feed(text.substr(0, cut), on_line);
    (void)lines.feed(text.substr(cut), on_line);
  } catch (...) {
    require(false);  // no exception may escape a decoder
  }
  return 0;
}

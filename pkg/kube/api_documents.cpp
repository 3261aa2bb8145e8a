#include "kube/api_documents.h"

namespace nca::kube {

using nlohmann::json;

namespace {

// The string member `key` of `obj` ("" when absent or null); Invalid when mistyped.
Result<std::string> optional_string(const json& obj, const char* key, std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return invalid(std::string(where) + "." + key + ": expected string, got " + it->type_name());
  }
  return it->get<std::string>();
}

}  // namespace

Result<ListPage> decode_list_page(json body, std::string_view what) {
  const std::string name(what);
  if (!body.is_object()) return invalid(name + ": expected an object, got " + body.type_name());
  ListPage page;
  if (auto meta = body.find("metadata"); meta != body.end() && !meta->is_null()) {
    if (!meta->is_object()) {
      return invalid(name + ": metadata: expected object, got " + meta->type_name());
    }
    auto rv = optional_string(*meta, "resourceVersion", "metadata");
    if (!rv) return rv.status().annotate(name);
    auto cont = optional_string(*meta, "continue", "metadata");
    if (!cont) return cont.status().annotate(name);
    page.resource_version = std::move(rv).value();
    page.continue_token = std::move(cont).value();
  }
  auto items = body.find("items");
  if (items != body.end() && !items->is_null()) {
    if (!items->is_array()) return invalid(name + ": items is not an array");
    page.items.reserve(items->size());
    for (auto& item : *items) page.items.push_back(std::move(item));
  }
  return page;
}

Result<bool> discovery_lists_resource(const json& document, std::string_view resource) {
  if (!document.is_object()) {
    return invalid(std::string("discovery: expected an object, got ") + document.type_name());
  }
  auto resources = document.find("resources");
  if (resources == document.end() || !resources->is_array()) {
    return invalid("discovery: the answer has no resources list");
  }
  std::size_t unreadable = 0;
  for (const json& entry : *resources) {
    auto name = entry.is_object() ? entry.find("name") : entry.end();
    if (!entry.is_object() || name == entry.end() || !name->is_string()) {
      ++unreadable;
      continue;
    }
    if (name->get_ref<const std::string&>() == resource) return true;
  }
  if (unreadable > 0) {
    return invalid("discovery: " + std::to_string(unreadable) +
                   " resource entries without a string name; cannot tell whether \"" +
                   std::string(resource) + "\" is served");
  }
  return false;
}

}  // namespace nca::kube

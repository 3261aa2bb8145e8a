#include "kube/resource.h"

namespace nca::kube {

std::string escape_path_segment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // A segment "." or ".." would be a path step: its dots are escaped too.
  const bool dot_segment = segment == "." || segment == "..";
  std::string out;
  out.reserve(segment.size());
  for (unsigned char c : segment) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~' ||
                            (c == '.' && !dot_segment);
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string Resource::collection_path(const std::string& ns) const {
  std::string out = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  if (namespaced && !ns.empty()) out += "/namespaces/" + escape_path_segment(ns);
  out += "/" + resource;
  return out;
}

std::string Resource::object_path(const std::string& ns, const std::string& name,
                                  const std::string& subresource) const {
  std::string out = collection_path(ns) + "/" + escape_path_segment(name);
  if (!subresource.empty()) out += "/" + escape_path_segment(subresource);
  return out;
}

std::string Resource::qualified_name() const {
  return group.empty() ? resource : resource + "." + group;
}

namespace resources {
Resource csrs() { return {"certificates.k8s.io", "v1", "certificatesigningrequests", false}; }
Resource nodes() { return {"", "v1", "nodes", false}; }
Resource leases() { return {"coordination.k8s.io", "v1", "leases", true}; }
Resource events() { return {"", "v1", "events", true}; }
Resource configmaps() { return {"", "v1", "configmaps", true}; }
}  // namespace resources

}  // namespace nca::kube

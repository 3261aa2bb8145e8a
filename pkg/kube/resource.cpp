#include "kube/resource.h"

namespace nca::kube {

std::string Resource::collection_path(const std::string& ns) const {
  std::string out = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  if (namespaced && !ns.empty()) out += "/namespaces/" + ns;
  out += "/" + resource;
  return out;
}

std::string Resource::object_path(const std::string& ns, const std::string& name,
                                  const std::string& subresource) const {
  std::string out = collection_path(ns) + "/" + name;
  if (!subresource.empty()) out += "/" + subresource;
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

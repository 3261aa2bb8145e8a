// Resource: where a kind of object lives in the API (group, version, plural resource)
// and how to build its paths. A plain value.
#pragma once

#include <string>
#include <string_view>

namespace nca::kube {

struct Resource {
  std::string group;     // "" for the core group
  std::string version;   // "v1"
  std::string resource;  // plural, lower case: "certificatesigningrequests"
  bool namespaced = false;

  // "/api/v1/nodes", "/apis/coordination.k8s.io/v1/namespaces/NS/leases"; `ns` ignored for
  // cluster-scoped resources, and for namespaced ones an empty `ns` means all namespaces.
  // Namespace, name and subresource are percent-encoded (escape_path_segment): a name
  // read from the API ("a/b", "..", "x?watch=1") can never change which path is asked.
  std::string collection_path(const std::string& ns = "") const;
  // collection_path(ns) + "/" + name (+ "/" + subresource).
  std::string object_path(const std::string& ns, const std::string& name,
                          const std::string& subresource = "") const;
  // "certificatesigningrequests.certificates.k8s.io", for logs and metrics labels.
  std::string qualified_name() const;
};

// Percent-encodes every byte but the RFC 3986 unreserved A-Z a-z 0-9 - . _ ~ (so "/",
// "?", "#", "%" never survive), and the dots of a segment "." or "..".
std::string escape_path_segment(std::string_view segment);

namespace resources {
Resource csrs();        // certificates.k8s.io/v1 certificatesigningrequests
Resource nodes();       // v1 nodes
Resource leases();      // coordination.k8s.io/v1 leases (namespaced)
Resource events();      // v1 events (namespaced)
Resource configmaps();  // v1 configmaps (namespaced)
}  // namespace resources

}  // namespace nca::kube

// FakeApi: an in-memory kube::ApiClient for live explain tests. Serves objects and lists
// from maps and records writes (explain must make none). Not thread-safe.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "kube/client.h"
#include "kube/resource.h"

namespace nca::app::testing {

namespace kube = nca::kube;
using nca::Status;

// Serves objects and lists from maps; any write fails the test (explain only reads).
class FakeApi final : public kube::ApiClient {
 public:
  std::map<std::string, nlohmann::json> objects;             // object path → object
  std::map<std::string, std::vector<nlohmann::json>> lists;  // collection path → items
  std::map<std::string, Status> errors;                      // path → error
  std::set<std::string> served;                              // "group/version/resource"
  int writes = 0;

  nca::Result<nlohmann::json> get(const kube::Resource& r, const std::string& ns,
                                  const std::string& name) override {
    const std::string path = r.object_path(ns, name);
    if (auto e = errors.find(path); e != errors.end()) return e->second;
    auto it = objects.find(path);
    if (it == objects.end()) return nca::not_found(path + " not found");
    return it->second;
  }
  nca::Result<kube::ListPage> list(const kube::Resource& r, const std::string& ns,
                                   const kube::ListOptions&) override {
    const std::string path = r.collection_path(ns);
    if (auto e = errors.find(path); e != errors.end()) return e->second;
    return kube::ListPage{lists[path], "1", ""};
  }
  nca::Result<nlohmann::json> create(const kube::Resource&, const std::string&,
                                     const nlohmann::json&) override {
    return write();
  }
  nca::Result<nlohmann::json> update(const kube::Resource&, const std::string&, const std::string&,
                                     const nlohmann::json&, const std::string&) override {
    return write();
  }
  nca::Result<nlohmann::json> patch(const kube::Resource&, const std::string&, const std::string&,
                                    kube::PatchType, const nlohmann::json&,
                                    const std::string&) override {
    return write();
  }
  Status remove(const kube::Resource&, const std::string&, const std::string&) override {
    return write().status();
  }
  nca::Result<bool> has_resource(const std::string& group, const std::string& version,
                                 const std::string& resource) override {
    if (auto e = errors.find("discovery " + group); e != errors.end()) return e->second;
    return served.count(group + "/" + version + "/" + resource) > 0;
  }

  void add_csr(const nlohmann::json& csr) {
    objects[kube::resources::csrs().object_path("", csr["metadata"]["name"])] = csr;
    lists[kube::resources::csrs().collection_path()].push_back(csr);
  }
  void add_node(const std::string& name, const std::string& ip) {
    lists[kube::resources::nodes().collection_path()].push_back(
        {{"apiVersion", "v1"},
         {"kind", "Node"},
         {"metadata", {{"name", name}, {"creationTimestamp", "2026-11-20T10:00:00Z"}}},
         {"status",
          {{"addresses",
            {{{"type", "InternalIP"}, {"address", ip}},
             {{"type", "Hostname"}, {"address", name}}}}}}});
  }
  void add_config_map(std::map<std::string, std::string> data, const std::string& name = "cfg") {
    objects[kube::resources::configmaps().object_path("node-csr-approver", name)] = {
        {"apiVersion", "v1"},
        {"kind", "ConfigMap"},
        {"metadata", {{"name", name}, {"namespace", "node-csr-approver"}}},
        {"data", data}};
  }

 private:
  nca::Result<nlohmann::json> write() {
    ++writes;
    return nca::internal_error("explain must not write");
  }
};

}  // namespace nca::app::testing

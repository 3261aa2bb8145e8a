#include "app/explain_live.h"

#include <chrono>

#include "app/cluster_error.h"
#include "app/explain_config.h"
#include "daemon/cluster_network_tracker.h"
#include "daemon/config_tracker.h"
#include "daemon/inventory_tracker.h"
#include "inventory/node_machine.h"
#include "inventory/object_decoder.h"
#include "inventory/snapshot_builder.h"
#include "kube/decode.h"
#include "kube/kubeconfig.h"

namespace nca::app {

namespace {

// Every item of a cluster-scoped collection, all pages.
Result<std::vector<nlohmann::json>> list_items(kube::ApiClient& client, const kube::Resource& r,
                                               const std::string& what) {
  auto page = kube::list_all(client, r, "", kube::ListOptions{});
  if (!page) return cluster_error(page.status(), what);
  return std::move(page->items);
}

std::string object_name(const kube::ObjectMeta& meta) {
  return meta.namespace_.empty() ? meta.name : meta.namespace_ + "/" + meta.name;
}

// Nodes and each served machine API into `builder`, as daemon::InventoryTracker does.
Status load_cluster_inventory(kube::ApiClient& client, inventory::SnapshotBuilder& builder,
                              std::vector<std::string>& sources) {
  auto nodes = list_items(client, kube::resources::nodes(), "Nodes");
  if (!nodes) return nodes.status();
  sources.push_back("Nodes (" + std::to_string(nodes->size()) + ")");
  for (const nlohmann::json& item : *nodes) {
    auto node = kube::decode_node(item);
    if (!node) {
      builder.add(inventory::Decoded::skip(node.status().message()), "a Node");
      continue;
    }
    builder.add(inventory::node_machine(*node), "Node " + node->metadata.name);
  }
  for (const auto& group : daemon::known_inventory_apis()) {
    for (const daemon::InventoryApi& api : group) {
      const kube::Resource& r = api.resource;
      auto served = client.has_resource(r.group, r.version, r.resource);
      // An API we cannot check could hold the inventory that narrows what Nodes may claim:
      // answering without it could show an approval the controller would not give.
      if (!served) return cluster_error(served.status(), "API discovery for " + api.label);
      if (!*served) continue;
      auto items = list_items(client, r, api.label);
      if (!items) return items.status();
      builder.inventory_source_present();
      sources.push_back(api.label + " (" + std::to_string(items->size()) + ")");
      for (const nlohmann::json& item : *items) {
        auto object = kube::decode_unstructured(item);
        if (!object) {
          builder.add(inventory::Decoded::skip(object.status().message()), api.label + " item");
          continue;
        }
        builder.add(inventory::decode_inventory_object(*object),
                    object->kind + " " + object_name(object->metadata));
      }
      break;  // the most specific served version of this group only
    }
  }
  return Status::ok();
}

}  // namespace

Result<std::shared_ptr<kube::ApiClient>> live_client(const ExplainOptions& options) {
  Result<kube::ClientConfig> cfg = options.kubeconfig.empty()
                                       ? kube::in_cluster_config()
                                       : kube::load_kubeconfig(options.kubeconfig, options.context);
  if (!cfg) {
    return Status(cfg.status().code(),
                  (options.kubeconfig.empty() ? "no --kubeconfig and no in-cluster configuration: "
                                              : "--kubeconfig " + options.kubeconfig + ": ") +
                      cfg.status().message());
  }
  cfg->timeout = std::chrono::seconds(15);
  auto client = kube::RestClient::create(std::move(*cfg), real_clock());
  if (!client) return client.status().annotate("cannot create the Kubernetes client");
  return std::shared_ptr<kube::ApiClient>(std::move(*client));
}

Result<ExplainInputs> load_live_inputs(const ExplainOptions& options, kube::ApiClient& client) {
  ExplainInputs in;
  const std::string what = "CertificateSigningRequest " + options.name;
  auto doc = client.get(kube::resources::csrs(), "", options.name);
  if (!doc) {
    if (doc.status().code() == Code::kNotFound) {
      return not_found(what + " not found in the cluster");
    }
    return cluster_error(doc.status(), what);
  }
  auto csr = kube::decode_csr(*doc);
  if (!csr) return csr.status().annotate(what);
  in.csr = std::move(*csr);

  auto config = load_live_config(options, client, in.notes);
  if (!config) return config.status();
  in.config = std::move(config->config);
  in.config_source = std::move(config->config_source);
  in.config_error = std::move(config->config_error);

  inventory::SnapshotBuilder builder;
  if (Status s = load_cluster_inventory(client, builder, in.inventory_sources); !s.is_ok()) {
    return s;
  }
  if (config->static_machines) {
    builder.inventory_source_present();
    in.inventory_sources.push_back("static inventory from " + config->static_source + " (" +
                                   std::to_string(config->static_machines->size()) + ")");
    builder.add(std::move(*config->static_machines));
  }
  in.snapshot = builder.build();
  auto network = daemon::read_cluster_network(client);  // as the daemon's informers see it
  if (!network) return cluster_error(network.status(), "the cluster network");
  in.snapshot.cluster_network = std::move(*network);
  for (const std::string& note : builder.notes()) in.notes.push_back(note);

  // Every CSR, as the controller's cache holds them: the flood guard, the newest serving
  // CSR of a node and one client certificate per node look at them.
  auto csrs = list_items(client, kube::resources::csrs(), "CertificateSigningRequests");
  if (!csrs) return csrs.status();
  for (const nlohmann::json& item : *csrs) {
    auto other = kube::decode_csr(item);
    if (other) in.other_csrs.push_back(std::move(*other));
  }
  return in;
}

}  // namespace nca::app

#include "app/explain_live.h"

#include <chrono>

#include "config/policy_config.h"
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

// "reading WHAT from SERVER: ..." with a hint for the usual failures.
Status cluster_error(const Status& status, const std::string& what) {
  std::string message = "cannot read " + what + ": " + status.message();
  switch (status.code()) {
    case Code::kUnavailable:
    case Code::kTimeout:
      message = "cannot reach the API server while reading " + what + ": " + status.message();
      break;
    case Code::kUnauthorized:
      message += " (check the kubeconfig's credentials)";
      break;
    case Code::kForbidden:
      message +=
          " (explain needs the approver's read rights: get/list CSRs, Nodes and "
          "machine APIs, get ConfigMaps in the --config-map namespace)";
      break;
    default:
      break;
  }
  return {status.code(), message};
}

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

struct LiveConfig {
  policy::PolicyConfig config;
  std::string config_source = "built-in defaults";
  std::optional<std::vector<inventory::Machine>> static_machines;  // set: a static inventory
  std::string static_source;
  std::string config_error;  // the controller's config could not be read: why
};

Result<std::string> read_text(const std::string& flag, const std::string& path) {
  Result<std::string> text = read_input_file(path);
  if (!text) return Status(text.status().code(), flag + " " + text.status().message());
  return text;
}

// --config and --inventory files, then the ConfigMap's keys over them, as the daemon does
// (daemon::ConfigTracker::apply and the controller's static-inventory choice). Without
// --config-map, the Deployment's ConfigMap (kDeployedConfigMap) is read, unless
// --no-config-map. A ConfigMap that cannot be read is not an error here: it sets
// config_error, and the answer is then never approve.
Result<LiveConfig> load_config(const ExplainOptions& o, kube::ApiClient& client,
                               std::vector<std::string>& notes) {
  LiveConfig out;
  if (!o.config_file.empty()) {
    auto text = read_text("--config", o.config_file);
    if (!text) return text.status();
    auto parsed = config::parse_policy_config(*text, "--config " + o.config_file);
    if (!parsed) return parsed.status();
    out.config = std::move(*parsed);
    out.config_source = "--config " + o.config_file;
  }
  if (!o.inventory_file.empty()) {
    auto text = read_text("--inventory", o.inventory_file);
    if (!text) return text.status();
    auto machines = daemon::parse_static_inventory(*text);
    if (!machines) return machines.status().annotate("--inventory " + o.inventory_file);
    out.static_machines = std::move(*machines);
    out.static_source = "--inventory " + o.inventory_file;
  }
  if (o.no_config_map) return out;
  const bool deployed = o.config_map.empty();
  const std::string config_map = deployed ? std::string(kDeployedConfigMap) : o.config_map;

  const auto slash = config_map.find('/');
  const std::string ns = config_map.substr(0, slash), name = config_map.substr(slash + 1);
  const std::string what = "ConfigMap " + config_map;
  auto doc = client.get(kube::resources::configmaps(), ns, name);
  if (!doc) {
    if (doc.status().code() == Code::kNotFound && !deployed) {
      // The controller runs with the file/default config while the ConfigMap is absent.
      notes.push_back(what + " does not exist; using the --config/--inventory files or defaults");
      return out;
    }
    if (doc.status().code() == Code::kNotFound) {
      out.config_error = "the Deployment's " + what +
                         " does not exist, so the controller's config is unknown (name the "
                         "controller's ConfigMap with --config-map, or pass --no-config-map)";
    } else {
      out.config_error = cluster_error(doc.status(), what).message();
    }
    notes.push_back(out.config_error);
    return out;
  }
  auto cm = kube::decode_configmap(*doc);
  if (!cm) return cm.status().annotate(what);
  if (auto it = cm->data.find(std::string(daemon::kConfigKey)); it != cm->data.end()) {
    auto parsed = config::parse_policy_config(it->second, what + " " + it->first);
    if (!parsed) return parsed.status();
    out.config = std::move(*parsed);
    out.config_source = what + " " + it->first;
  } else {
    out.config_source += " (" + what + " has no " + std::string(daemon::kConfigKey) + ")";
  }
  if (auto it = cm->data.find(std::string(daemon::kInventoryKey)); it != cm->data.end()) {
    auto machines = daemon::parse_static_inventory(it->second);
    if (!machines) return machines.status().annotate(what + " " + it->first);
    out.static_machines = std::move(*machines);
    out.static_source = what + " " + it->first;
  }
  return out;
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

  auto config = load_config(options, client, in.notes);
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

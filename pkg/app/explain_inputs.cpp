#include "app/explain_inputs.h"

#include <fstream>
#include <iterator>

#include "config/policy_config.h"
#include "config/yaml_json.h"
#include "inventory/node_machine.h"
#include "inventory/object_decoder.h"
#include "inventory/snapshot_builder.h"
#include "inventory/static_inventory.h"
#include "kube/decode.h"

namespace nca::app {

namespace {

// "--flag " + the message, which already starts with the file's path.
Status with_flag(const std::string& flag, const Status& status) {
  return {status.code(), flag + " " + status.message()};
}

std::string kind_of(const nlohmann::json& doc) {
  if (!doc.is_object()) return "";
  auto it = doc.find("kind");
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string item_name(const nlohmann::json& item, std::size_t index) {
  std::string name = "item " + std::to_string(index);
  if (item.is_object() && item.contains("metadata") && item["metadata"].is_object()) {
    const auto& meta = item["metadata"];
    auto n = meta.find("name");
    if (n != meta.end() && n->is_string()) {
      auto ns = meta.find("namespace");
      name = kind_of(item) + " " +
             (ns != meta.end() && ns->is_string() ? ns->get<std::string>() + "/" : "") +
             n->get<std::string>();
    }
  }
  return name;
}

Status load_nodes(const std::string& path, inventory::SnapshotBuilder& builder) {
  Result<nlohmann::json> doc = read_object_stream("--nodes", path);
  if (!doc) return doc.status();
  Result<std::vector<nlohmann::json>> items = inventory::list_items(*doc);
  if (!items) return items.status().annotate("--nodes " + path);
  for (std::size_t i = 0; i < items->size(); ++i) {
    const nlohmann::json& item = (*items)[i];
    const std::string kind = kind_of(item);
    if (!kind.empty() && kind != "Node") {
      return invalid("--nodes " + path + ": " + item_name(item, i) + " is a " + kind +
                     ", not a Node");
    }
    inventory::Decoded d = inventory::decode_node_object(item);
    if (!d.machine) {
      return invalid("--nodes " + path + ": " + item_name(item, i) + ": " + d.skipped);
    }
    const std::string what = "--nodes " + path + ": Node " + d.machine->name;
    builder.add(std::move(d), what);
  }
  return Status::ok();
}

// A static inventory ({machines: [...]}, or empty), else Kubernetes objects or lists.
Status load_inventory(const std::string& path, inventory::SnapshotBuilder& builder) {
  Result<nlohmann::json> doc = read_object_stream("--inventory", path);
  if (!doc) return doc.status();
  builder.inventory_source_present();
  if (doc->is_null() || (doc->is_object() && !doc->contains("kind"))) {
    Result<std::vector<inventory::Machine>> machines = inventory::decode_static_inventory(*doc);
    if (!machines) return machines.status().annotate("--inventory " + path);
    builder.add(std::move(*machines));
    return Status::ok();
  }
  Result<std::vector<nlohmann::json>> items = inventory::list_items(*doc);
  if (!items) return items.status().annotate("--inventory " + path);
  for (std::size_t i = 0; i < items->size(); ++i) {
    const nlohmann::json& item = (*items)[i];
    const std::string what = "--inventory " + path + ": " + item_name(item, i);
    if (!inventory::is_inventory_object_type(item)) {
      return invalid(what + ": not a static inventory, Node, Machine or BareMetalHost");
    }
    builder.add(inventory::decode_inventory_object(item), what);
  }
  return Status::ok();
}

}  // namespace

Result<std::string> read_input_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid(path + ": cannot open file");
  std::string text;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxInputFileBytes) {
      return invalid(path + ": larger than " + std::to_string(kMaxInputFileBytes) + " bytes");
    }
  }
  if (in.bad()) return invalid(path + ": read error");
  return text;
}

Result<nlohmann::json> read_document(const std::string& flag, const std::string& path) {
  Result<std::string> text = read_input_file(path);
  if (!text) return with_flag(flag, text.status());
  Result<nlohmann::json> doc = config::yaml_to_json(*text);
  if (!doc) return doc.status().annotate(flag + " " + path);
  return doc;
}

Result<nlohmann::json> read_object_stream(const std::string& flag, const std::string& path) {
  Result<std::string> text = read_input_file(path);
  if (!text) return with_flag(flag, text.status());
  Result<std::vector<nlohmann::json>> docs = config::yaml_documents_to_json(*text);
  if (!docs) return docs.status().annotate(flag + " " + path);
  if (docs->empty()) return nlohmann::json(nullptr);
  if (docs->size() == 1) return std::move((*docs)[0]);
  return nlohmann::json{{"apiVersion", "v1"}, {"kind", "List"}, {"items", std::move(*docs)}};
}

Result<kube::CertificateSigningRequest> csr_from_document(const nlohmann::json& doc,
                                                          const std::string& path) {
  const std::string where = "--csr " + path;
  if (!doc.is_object()) return invalid(where + ": not a Kubernetes object");
  const nlohmann::json* object = &doc;
  if (kind_of(doc).ends_with("List")) {
    auto items = doc.find("items");
    if (items == doc.end() || !items->is_array() || items->size() != 1) {
      return invalid(where + ": a list must hold exactly one CertificateSigningRequest");
    }
    object = &(*items)[0];
  }
  const std::string kind = kind_of(*object);
  if (!kind.empty() && kind != "CertificateSigningRequest") {
    return invalid(where + ": a " + kind + ", not a CertificateSigningRequest");
  }
  Result<kube::CertificateSigningRequest> csr = kube::decode_csr(*object);
  if (!csr) return csr.status().annotate(where);
  if (csr->request_pem.empty()) return invalid(where + ": spec.request is missing or empty");
  return csr;
}

Result<ExplainInputs> load_explain_inputs(const ExplainOptions& options) {
  ExplainInputs in;
  Result<nlohmann::json> csr_doc = read_document("--csr", options.csr_file);
  if (!csr_doc) return csr_doc.status();
  Result<kube::CertificateSigningRequest> csr = csr_from_document(*csr_doc, options.csr_file);
  if (!csr) return csr.status();
  in.csr = std::move(*csr);

  inventory::SnapshotBuilder builder;
  if (!options.nodes_file.empty()) {
    if (Status s = load_nodes(options.nodes_file, builder); !s.is_ok()) return s;
    in.inventory_sources.push_back("--nodes " + options.nodes_file);
  }
  if (!options.inventory_file.empty()) {
    if (Status s = load_inventory(options.inventory_file, builder); !s.is_ok()) return s;
    in.inventory_sources.push_back("--inventory " + options.inventory_file);
  }
  in.snapshot = builder.build();
  in.notes = builder.notes();

  if (!options.config_file.empty()) {
    Result<std::string> text = read_input_file(options.config_file);
    if (!text) return with_flag("--config", text.status());
    Result<policy::PolicyConfig> config =
        config::parse_policy_config(*text, "--config " + options.config_file);
    if (!config) return config.status();
    in.config = std::move(*config);
    in.config_source = "--config " + options.config_file;
  }
  return in;
}

}  // namespace nca::app

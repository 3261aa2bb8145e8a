// Loads the files `explain` is given into what policy::evaluate needs: the CSR object, an
// inventory Snapshot (Nodes plus the static inventory or Machine/BareMetalHost objects)
// and the policy config. Every file is YAML or JSON as kubectl prints it. An input that
// cannot be used is an Invalid status whose message names the file and the problem;
// things merely skipped inside a usable file (a BareMetalHost with no consumer, an
// unparsable Node address) become notes. Pure apart from reading the files; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/explain_options.h"
#include "base/status.h"
#include "inventory/machine.h"
#include "kube/objects.h"
#include "policy/config.h"

namespace nca::app {

inline constexpr std::size_t kMaxInputFileBytes = 64 * 1024 * 1024;

struct ExplainInputs {
  kube::CertificateSigningRequest csr;
  inventory::Snapshot snapshot;
  policy::PolicyConfig config;     // defaults when no --config
  std::vector<std::string> notes;  // non-fatal findings, for stderr
  // The other CSRs the decision looks at (flood guard, newest serving CSR of a node, one
  // client certificate per node): the cluster's, live; none offline, where the CSR
  // itself is the only one known.
  std::vector<kube::CertificateSigningRequest> other_csrs;
  // Where the config and the inventory came from, for the output ("built-in defaults",
  // "--config FILE", "ConfigMap NS/NAME config.yaml"; "Nodes", "--inventory FILE", ...).
  std::string config_source = "built-in defaults";
  std::vector<std::string> inventory_sources;
  // Non-empty when the controller's config could not be read (why): the decision is then
  // never approve (reason ConfigUnavailable).
  std::string config_error;
};

// The whole file (at most kMaxInputFileBytes). Errors name the path.
Result<std::string> read_input_file(const std::string& path);

// read_input_file + YAML/JSON → JSON. Errors start with "FLAG PATH: ".
Result<nlohmann::json> read_document(const std::string& flag, const std::string& path);

// Like read_document, but a "---"-separated stream of several documents becomes one
// {"apiVersion": "v1", "kind": "List", "items": [...]}; an empty file is null.
Result<nlohmann::json> read_object_stream(const std::string& flag, const std::string& path);

// A CertificateSigningRequest object, or a List holding exactly one.
Result<kube::CertificateSigningRequest> csr_from_document(const nlohmann::json& doc,
                                                          const std::string& path);

Result<ExplainInputs> load_explain_inputs(const ExplainOptions& options);

}  // namespace nca::app

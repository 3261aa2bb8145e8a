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
  // Pending client bootstrap CSRs for the flood guard (live mode counts the cluster's,
  // as the controller does); unset offline, where the CSR itself is the only one known.
  std::optional<std::int64_t> pending_bootstrap_csrs;
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

// Loading a ClientConfig from a kubeconfig file (current-context or a named context) and
// from the in-cluster service-account environment. Errors are Invalid (or NotFound for a
// missing file) with a message naming the file and field. Pure functions apart from file
// and environment reads; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "kube/client_config.h"

namespace nca::kube {

// Reads a kubeconfig (YAML or JSON). Relative certificate and token paths are resolved
// against the file's directory; file contents are read now (except tokenFile).
// `context` "" means current-context. insecure-skip-tls-verify is an error unless
// `allow_insecure` is true.
Result<ClientConfig> load_kubeconfig(const std::string& path, const std::string& context = "",
                                     bool allow_insecure = false);

// The same from an already parsed document; `base_dir` resolves relative paths.
Result<ClientConfig> kubeconfig_from_json(const nlohmann::json& doc, const std::string& base_dir,
                                          const std::string& context = "",
                                          bool allow_insecure = false);

// YAML text to JSON (every scalar becomes a string). Used for kubeconfig files only.
Result<nlohmann::json> kubeconfig_yaml_to_json(const std::string& text);

// In-cluster config: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT, the CA and
// namespace under `root` + "/var/run/secrets/kubernetes.io/serviceaccount/", and the token
// file there (re-read on change). `root` is "" in production, a temp dir in tests.
Result<ClientConfig> in_cluster_config(const std::string& root = "");

}  // namespace nca::kube

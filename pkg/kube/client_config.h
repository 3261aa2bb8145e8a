// ClientConfig: everything needed to reach one API server (address, TLS material,
// credentials, client-side limits), as a plain value. Built by load_kubeconfig or
// in_cluster_config, or by hand in tests. PEM material is held in memory; a token file is
// kept as a path because bound service-account tokens rotate and are re-read.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace nca::kube {

struct ClientConfig {
  std::string server;  // "https://127.0.0.1:6443" (no trailing slash)
  std::string ca_pem;  // trusted roots for the server; empty = the system roots
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string token;       // static bearer token
  std::string token_file;  // bearer token re-read when the file changes; wins over `token`
  // Skipping server verification is refused unless `allow_insecure` was also set by the
  // program (a flag), never by a kubeconfig alone.
  bool insecure_skip_tls_verify = false;
  bool allow_insecure = false;
  std::string default_namespace = "default";

  double qps = 20;  // client-side token bucket
  int burst = 40;
  std::chrono::seconds timeout{30};  // per request (inactivity of the connection)
  std::string user_agent;            // empty = "node-csr-approver/<version>"
  // Called after every non-streaming request with the verb and the HTTP code (0 for a
  // transport error): the hook for the api_requests_total metric. Must be thread-safe.
  std::function<void(std::string_view verb, int code)> on_response;
};

// "node-csr-approver/<version>".
std::string default_user_agent();

}  // namespace nca::kube

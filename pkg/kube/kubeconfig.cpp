#include "kube/kubeconfig.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kube/base64.h"

namespace nca::kube {

using nlohmann::json;
namespace fs = std::filesystem;

#ifndef NCA_VERSION
#define NCA_VERSION "dev"
#endif

std::string default_user_agent() { return std::string("node-csr-approver/") + NCA_VERSION; }

namespace {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute() || base_dir.empty()) return path;
  return (fs::path(base_dir) / path).string();
}

Result<std::string> str(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return invalid(where + "." + key + ": expected a string");
  return it->get<std::string>();
}

Result<bool> flag(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return false;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string() && (*it == "true" || *it == "false")) return *it == "true";
  return invalid(where + "." + key + ": expected true or false");
}

// The entry called `name` in the list `key` ("clusters") of the document, returning its
// `field` ("cluster") object.
Result<json> named(const json& doc, const char* key, const char* field, const std::string& name) {
  auto list = doc.find(key);
  if (list == doc.end() || !list->is_array()) return invalid(std::string(key) + ": missing list");
  for (const json& entry : *list) {
    if (!entry.is_object() || entry.value("name", json()) != name) continue;
    auto body = entry.find(field);
    if (body == entry.end() || body->is_null()) return json::object();
    if (!body->is_object()) return invalid(std::string(key) + "[" + name + "]: expected object");
    return *body;
  }
  return invalid(std::string(key) + ": no entry named \"" + name + "\"");
}

// PEM from `<key>-data` (base64) or `<key>` (a file path).
Result<std::string> material(const json& obj, const std::string& key, const std::string& where,
                             const std::string& base_dir) {
  auto data = str(obj, (key + "-data").c_str(), where);
  if (!data) return data.status();
  if (!data->empty()) {
    auto decoded = base64_decode(*data);
    if (!decoded) return decoded.status().annotate(where + "." + key + "-data");
    return decoded;
  }
  auto file = str(obj, key.c_str(), where);
  if (!file) return file.status();
  if (file->empty()) return std::string();
  auto content = read_file(resolve(base_dir, *file));
  if (!content) return content.status().annotate(where + "." + key);
  return content;
}

}  // namespace

Result<ClientConfig> kubeconfig_from_json(const json& doc, const std::string& base_dir,
                                          const std::string& context, bool allow_insecure) {
  if (!doc.is_object()) return invalid("kubeconfig: expected a mapping at the top level");
  std::string ctx_name = context;
  if (ctx_name.empty()) {
    auto current = str(doc, "current-context", "kubeconfig");
    if (!current) return current.status();
    if (current->empty()) return invalid("kubeconfig: no current-context and no context given");
    ctx_name = *current;
  }
  auto ctx = named(doc, "contexts", "context", ctx_name);
  if (!ctx) return ctx.status();
  std::string where = "context " + ctx_name;
  auto cluster_name = str(*ctx, "cluster", where);
  auto user_name = str(*ctx, "user", where);
  auto ns = str(*ctx, "namespace", where);
  if (!cluster_name) return cluster_name.status();
  if (!user_name) return user_name.status();
  if (!ns) return ns.status();
  if (cluster_name->empty()) return invalid(where + ": no cluster");

  ClientConfig cfg;
  cfg.allow_insecure = allow_insecure;
  if (!ns->empty()) cfg.default_namespace = *ns;

  auto cluster = named(doc, "clusters", "cluster", *cluster_name);
  if (!cluster) return cluster.status();
  where = "cluster " + *cluster_name;
  auto server = str(*cluster, "server", where);
  if (!server) return server.status();
  if (server->empty()) return invalid(where + ": no server");
  cfg.server = *server;
  while (!cfg.server.empty() && cfg.server.back() == '/') cfg.server.pop_back();
  auto ca = material(*cluster, "certificate-authority", where, base_dir);
  if (!ca) return ca.status();
  cfg.ca_pem = *ca;
  auto insecure = flag(*cluster, "insecure-skip-tls-verify", where);
  if (!insecure) return insecure.status();
  cfg.insecure_skip_tls_verify = *insecure;
  if (cfg.insecure_skip_tls_verify && !allow_insecure) {
    return invalid(where +
                   ": insecure-skip-tls-verify is refused (the server would be unverified)");
  }

  if (!user_name->empty()) {
    auto user = named(doc, "users", "user", *user_name);
    if (!user) return user.status();
    where = "user " + *user_name;
    auto cert = material(*user, "client-certificate", where, base_dir);
    if (!cert) return cert.status();
    auto key = material(*user, "client-key", where, base_dir);
    if (!key) return key.status();
    if (cert->empty() != key->empty()) {
      return invalid(where + ": client-certificate and client-key must be given together");
    }
    cfg.client_cert_pem = *cert;
    cfg.client_key_pem = *key;
    auto token = str(*user, "token", where);
    if (!token) return token.status();
    cfg.token = *token;
    auto token_file = str(*user, "tokenFile", where);
    if (!token_file) return token_file.status();
    cfg.token_file = resolve(base_dir, *token_file);
    bool has_credential =
        !cfg.client_cert_pem.empty() || !cfg.token.empty() || !cfg.token_file.empty();
    if (!has_credential && (user->contains("exec") || user->contains("auth-provider"))) {
      return invalid(where + ": exec and auth-provider credential plugins are not supported");
    }
  }
  return cfg;
}

Result<ClientConfig> load_kubeconfig(const std::string& path, const std::string& context,
                                     bool allow_insecure) {
  auto text = read_file(path);
  if (!text) return text.status();
  auto doc = kubeconfig_yaml_to_json(*text);  // JSON is a subset of YAML
  if (!doc) return doc.status().annotate(path);
  auto cfg =
      kubeconfig_from_json(*doc, fs::path(path).parent_path().string(), context, allow_insecure);
  if (!cfg) return cfg.status().annotate(path);
  return cfg;
}

Result<ClientConfig> in_cluster_config(const std::string& root) {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || port == nullptr || *host == '\0' || *port == '\0') {
    return invalid("not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set");
  }
  std::string dir = root + "/var/run/secrets/kubernetes.io/serviceaccount/";
  ClientConfig cfg;
  std::string h = host;
  if (h.find(':') != std::string::npos) h = "[" + h + "]";  // IPv6 literal
  cfg.server = "https://" + h + ":" + port;
  auto ca = read_file(dir + "ca.crt");
  if (!ca) return ca.status().annotate("in-cluster CA");
  cfg.ca_pem = *ca;
  cfg.token_file = dir + "token";
  auto token = read_file(cfg.token_file);
  if (!token) return token.status().annotate("in-cluster token");
  if (auto ns = read_file(dir + "namespace"); ns && !ns->empty()) {
    std::string n = *ns;
    while (!n.empty() && (n.back() == '\n' || n.back() == ' ')) n.pop_back();
    cfg.default_namespace = n;
  }
  return cfg;
}

}  // namespace nca::kube

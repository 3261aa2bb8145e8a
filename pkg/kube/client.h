// ApiClient: the seam between the approver and the API server. Objects go in and come
// out as raw JSON (decode with decode.h) so that a write can send back exactly what was
// read plus a change. Every method returns a typed Status on failure (see api_error.h):
// NotFound, Conflict/AlreadyExists, Gone, Unauthorized, Forbidden (server message kept
// verbatim), TooManyRequests (+Retry-After), Unavailable (5xx, transport), Timeout.
// RestClient is the HTTP implementation; tests use a fake. Implementations are thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "kube/client_config.h"
#include "kube/list_watch.h"
#include "kube/resource.h"

namespace nca::kube {

enum class PatchType {
  kMerge,           // application/merge-patch+json
  kStrategicMerge,  // application/strategic-merge-patch+json (built-in types only)
  kJsonPatch,       // application/json-patch+json
};

class ApiClient {
 public:
  virtual ~ApiClient() = default;

  // `ns` is ignored for cluster-scoped resources; `subresource` e.g. "status", "approval".
  virtual Result<nlohmann::json> get(const Resource& r, const std::string& ns,
                                     const std::string& name) = 0;
  // One page (ListOptions::limit, continue_token).
  virtual Result<ListPage> list(const Resource& r, const std::string& ns,
                                const ListOptions& options) = 0;
  virtual Result<nlohmann::json> create(const Resource& r, const std::string& ns,
                                        const nlohmann::json& body) = 0;
  // PUT; the body's metadata.resourceVersion makes it conditional (409 Conflict if stale).
  virtual Result<nlohmann::json> update(const Resource& r, const std::string& ns,
                                        const std::string& name, const nlohmann::json& body,
                                        const std::string& subresource = "") = 0;
  virtual Result<nlohmann::json> patch(const Resource& r, const std::string& ns,
                                       const std::string& name, PatchType type,
                                       const nlohmann::json& patch,
                                       const std::string& subresource = "") = 0;
  virtual Status remove(const Resource& r, const std::string& ns, const std::string& name) = 0;
  // Whether GROUP/VERSION serves RESOURCE (API discovery; a missing group is false).
  virtual Result<bool> has_resource(const std::string& group, const std::string& version,
                                    const std::string& resource) = 0;

  // get() and patch() bounded by `timeout` (> 0), the client's own waits (rate limit)
  // included: past it the call returns Timeout, and a request that could not be sent in
  // time is not sent at all. For writes that must not outlive a deadline (leadership).
  // A request already on the wire may still be applied by the server later (its bytes
  // cannot be recalled): only a conditional write (resourceVersion) makes that safe.
  // A client that cannot bound its calls keeps these defaults, which refuse (Internal).
  virtual Result<nlohmann::json> get_within(const Resource& r, const std::string& ns,
                                            const std::string& name,
                                            std::chrono::milliseconds timeout);
  virtual Result<nlohmann::json> patch_within(const Resource& r, const std::string& ns,
                                              const std::string& name, PatchType type,
                                              const nlohmann::json& patch,
                                              const std::string& subresource,
                                              std::chrono::milliseconds timeout);
};

// Lists every page by following `continue` tokens; the result's resource_version is the
// first page's (the snapshot the pages belong to). A Gone while paging (the continue token
// expired) is returned to the caller, who relists.
Result<ListPage> list_all(ApiClient& client, const Resource& r, const std::string& ns,
                          ListOptions options);

// Sizes cpprestsdk's shared I/O thread pool, which runs every client's network completions
// (its default is 40 threads). Call before the first RestClient exists; once the pool has
// started this does nothing.
void set_transport_threads(std::size_t threads);

class RestClient final : public ApiClient {
 public:
  // Invalid when the TLS material does not load or insecure mode is not allowed.
  static Result<std::shared_ptr<RestClient>> create(ClientConfig config,
                                                    std::shared_ptr<Clock> clock);
  ~RestClient() override;

  Result<nlohmann::json> get(const Resource& r, const std::string& ns,
                             const std::string& name) override;
  Result<ListPage> list(const Resource& r, const std::string& ns,
                        const ListOptions& options) override;
  Result<nlohmann::json> create(const Resource& r, const std::string& ns,
                                const nlohmann::json& body) override;
  Result<nlohmann::json> update(const Resource& r, const std::string& ns, const std::string& name,
                                const nlohmann::json& body,
                                const std::string& subresource = "") override;
  Result<nlohmann::json> patch(const Resource& r, const std::string& ns, const std::string& name,
                               PatchType type, const nlohmann::json& patch,
                               const std::string& subresource = "") override;
  Status remove(const Resource& r, const std::string& ns, const std::string& name) override;
  Result<bool> has_resource(const std::string& group, const std::string& version,
                            const std::string& resource) override;
  Result<nlohmann::json> get_within(const Resource& r, const std::string& ns,
                                    const std::string& name,
                                    std::chrono::milliseconds timeout) override;
  Result<nlohmann::json> patch_within(const Resource& r, const std::string& ns,
                                      const std::string& name, PatchType type,
                                      const nlohmann::json& patch, const std::string& subresource,
                                      std::chrono::milliseconds timeout) override;

  // Any request: `path_and_query` starts with "/", `body` is sent when non-null. A
  // positive `timeout` bounds the whole request (rate-limit wait, connect, send, answer):
  // a request the rate limit would hold past it is not sent; past it the connection is
  // abandoned and the result is Timeout. Zero: only config().timeout, which bounds
  // inactivity.
  Result<nlohmann::json> request(std::string_view method, const std::string& path_and_query,
                                 const nlohmann::json* body = nullptr,
                                 std::string_view content_type = "application/json",
                                 std::chrono::milliseconds timeout = {});

  // A streaming GET on its own connection (one per watch): `on_chunk` gets the body as it
  // arrives until the server ends it, `on_chunk` returns an error, or `stop` is requested.
  // Once the server has answered 2xx, a connection idle for longer than `inactivity` ends
  // with OK (a quiet watch; re-watch); before that it is a Timeout. A stop ends with OK.
  // Non-2xx answers are returned as typed errors. `on_open`, when set, is called once the
  // server has answered 2xx, before the first chunk.
  Status stream(const std::string& path_and_query, std::chrono::seconds inactivity,
                const std::function<Status(std::string_view)>& on_chunk, std::stop_token stop,
                const std::function<void()>& on_open = {});

  const ClientConfig& config() const;

  struct Impl;

 private:
  explicit RestClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "?a=1&b=x%2Fy" from pairs whose value is non-empty ("" when none). Values are encoded.
std::string query_string(std::initializer_list<std::pair<std::string_view, std::string>> params);

}  // namespace nca::kube

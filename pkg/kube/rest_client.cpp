// RestClient over cpprestsdk: ordinary requests share one http_client (its connection
// pool); watches open their own (rest_stream.cpp). Calls block the calling thread on the
// returned task, never inside a continuation.
#include <cpprest/http_client.h>
#include <pplx/threadpool.h>

#include <atomic>
#include <system_error>

#include "kube/api_documents.h"
#include "kube/api_error.h"
#include "kube/rest_internal.h"

namespace nca::kube {

namespace http = web::http;
using nlohmann::json;

RestClient::Impl::Impl(ClientConfig c, std::shared_ptr<Clock> clk)
    : config(std::move(c)),
      clock(std::move(clk)),
      bucket(clock, config.qps, config.burst),
      tokens(config.token, config.token_file) {}

RestClient::Impl::~Impl() {
  http.reset();
  wait_transport_quiet(transport, std::chrono::seconds(2));
}

void set_transport_threads(std::size_t threads) {
  try {
    crossplat::threadpool::initialize_with_threads(threads);
  } catch (const std::exception&) {
    // Already started (a request was made): it keeps its size.
  }
}

RestClient::RestClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RestClient::~RestClient() = default;

const ClientConfig& RestClient::config() const { return impl_->config; }

Result<std::shared_ptr<RestClient>> RestClient::create(ClientConfig config,
                                                       std::shared_ptr<Clock> clock) {
  if (config.server.rfind("https://", 0) != 0 &&
      !(config.allow_insecure && config.server.rfind("http://", 0) == 0)) {
    return invalid("server must be an https:// URL, got \"" + config.server + "\"");
  }
  while (!config.server.empty() && config.server.back() == '/') config.server.pop_back();
  if (config.user_agent.empty()) config.user_agent = default_user_agent();
  if (Status s = validate_tls_material(config); !s.is_ok()) return s;
  install_counting_scheduler();
  auto impl = std::make_unique<Impl>(std::move(config), std::move(clock));
  try {
    http::client::http_client_config hc;
    auto sentinel = make_transport_sentinel();
    impl->transport = sentinel;
    configure_http(impl->config, impl->config.timeout, std::move(sentinel), hc);
    impl->http = std::make_unique<http::client::http_client>(
        web::uri(utility::conversions::to_string_t(impl->config.server)), hc);
  } catch (const std::exception& e) {
    return invalid("cannot use server \"" + impl->config.server + "\": " + e.what());
  }
  return std::shared_ptr<RestClient>(new RestClient(std::move(impl)));
}

Status add_common_headers(RestClient::Impl& impl, http::http_request& request) {
  auto& h = request.headers();
  h.add(U("User-Agent"), utility::conversions::to_string_t(impl.config.user_agent));
  h.add(U("Accept"), U("application/json"));
  auto token = impl.tokens.token();
  if (!token) return token.status();
  if (!token->empty()) {
    h.add(U("Authorization"), utility::conversions::to_string_t("Bearer " + *token));
  }
  return Status::ok();
}

Status transport_error(const std::exception& e, const std::string& server) {
  std::string what = e.what();
  if (const auto* he = dynamic_cast<const http::http_exception*>(&e)) {
    if (he->error_code() == std::errc::timed_out) {
      return {Code::kTimeout, "request to " + server + " timed out: " + what};
    }
    if (what.find("handshake") != std::string::npos) {
      std::string reason = take_tls_verify_error();
      return {Code::kUnavailable,
              "TLS handshake with " + server + " failed: " +
                  (reason.empty() ? what
                                  : "server certificate verify failed: " + reason +
                                        " (is the configured CA the server's?)")};
    }
  }
  return {Code::kUnavailable, "cannot reach " + server + ": " + what};
}

Status explain_unauthorized(const RestClient::Impl& impl, Status s) {
  if (s.code() != Code::kUnauthorized) return s;
  std::string hint;
  if (!impl.config.client_cert_pem.empty()) {
    hint = client_cert_problem(impl.config.client_cert_pem);
    if (hint.empty()) hint = "the client certificate was not accepted";
  }
  if (!impl.config.token.empty() || !impl.config.token_file.empty()) {
    if (!hint.empty()) hint += "; ";
    hint += "the bearer token was rejected (revoked, expired or wrong)";
  }
  if (hint.empty()) hint = "no credentials are configured";
  return Status(Code::kUnauthorized,
                "authentication failed: " + hint + " (server said: " + s.message() + ")");
}

Result<json> RestClient::request(std::string_view method, const std::string& path_and_query,
                                 const json* body, std::string_view content_type,
                                 std::chrono::milliseconds timeout) {
  Impl& impl = *impl_;
  if (timeout > std::chrono::milliseconds::zero()) {
    // The rate-limit wait counts against the deadline; a request it would hold past the
    // deadline is not sent.
    const Duration wait = impl.bucket.reserve();
    if (wait >= timeout) {
      return Status(Code::kTimeout, "not sent to " + impl.config.server +
                                        ": the client's rate limit would hold it past its " +
                                        std::to_string(timeout.count()) + " ms deadline");
    }
    if (wait > Duration::zero()) {
      impl.clock->sleep_for(wait);
      timeout -= std::chrono::ceil<std::chrono::milliseconds>(wait);
      if (timeout <= std::chrono::milliseconds::zero()) timeout = std::chrono::milliseconds(1);
    }
  } else {
    impl.bucket.wait();
  }
  pplx::cancellation_token_source cancel;
  std::atomic<bool> timed_out{false};
  // Cancels the request at `timeout` unless it finished first. Real time, as the transport's;
  // a timer on the process clock's thread, not a thread per request. Destroyed before
  // `cancel` and `timed_out`: cancelling waits for a timer that is running.
  struct Deadline {
    std::shared_ptr<Clock> clock;
    TimerId id = 0;
    ~Deadline() {
      if (id != 0) clock->cancel(id);
    }
  } deadline;
  if (timeout > std::chrono::milliseconds::zero()) {
    deadline.clock = real_clock();
    deadline.id = deadline.clock->schedule(deadline.clock->now() + timeout, [&cancel, &timed_out] {
      timed_out = true;
      cancel.cancel();
    });
  }
  auto timeout_status = [&] {
    return Status(Code::kTimeout, "request to " + impl.config.server + " timed out after " +
                                      std::to_string(timeout.count()) + " ms");
  };
  try {
    http::http_request req(utility::conversions::to_string_t(std::string(method)));
    req.set_request_uri(utility::conversions::to_string_t(path_and_query));
    if (Status s = add_common_headers(impl, req); !s.is_ok()) return s;
    if (body != nullptr) {
      req.set_body(body->dump(), std::string(content_type));
    }
    http::http_response resp = impl.http->request(req, cancel.get_token()).get();
    std::string text = resp.extract_utf8string(true).get();
    if (timed_out) return timeout_status();
    auto code = resp.status_code();
    if (impl.config.on_response) impl.config.on_response(method, code);
    if (code >= 200 && code < 300) {
      if (text.empty()) return json::object();
      json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) return invalid("the server answered with invalid JSON");
      return parsed;
    }
    std::optional<std::string> retry_after;
    auto it = resp.headers().find(U("Retry-After"));
    if (it != resp.headers().end()) retry_after = utility::conversions::to_utf8string(it->second);
    return explain_unauthorized(impl, status_from_response(code, text, retry_after));
  } catch (const pplx::task_canceled&) {
    if (impl.config.on_response) impl.config.on_response(method, 0);
    return timeout_status();  // only the deadline cancels
  } catch (const std::exception& e) {
    if (impl.config.on_response) impl.config.on_response(method, 0);
    if (timed_out) return timeout_status();
    return transport_error(e, impl.config.server);
  }
}

std::string query_string(std::initializer_list<std::pair<std::string_view, std::string>> params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (value.empty()) continue;
    out += out.empty() ? '?' : '&';
    out += key;
    out += '=';
    out += utility::conversions::to_utf8string(
        web::uri::encode_data_string(utility::conversions::to_string_t(value)));
  }
  return out;
}

Result<json> RestClient::get(const Resource& r, const std::string& ns, const std::string& name) {
  return request("GET", r.object_path(ns, name));
}

Result<ListPage> RestClient::list(const Resource& r, const std::string& ns, const ListOptions& o) {
  std::string q = query_string({{"labelSelector", o.label_selector},
                                {"fieldSelector", o.field_selector},
                                {"limit", o.limit > 0 ? std::to_string(o.limit) : ""},
                                {"continue", o.continue_token},
                                {"resourceVersion", o.resource_version}});
  auto body = request("GET", r.collection_path(ns) + q);
  if (!body) return body.status();
  return decode_list_page(std::move(body).value(), "list of " + r.qualified_name());
}

Result<json> RestClient::create(const Resource& r, const std::string& ns, const json& body) {
  return request("POST", r.collection_path(ns), &body);
}

Result<json> RestClient::update(const Resource& r, const std::string& ns, const std::string& name,
                                const json& body, const std::string& subresource) {
  return request("PUT", r.object_path(ns, name, subresource), &body);
}

namespace {
std::string_view patch_content_type(PatchType type) {
  return type == PatchType::kMerge            ? "application/merge-patch+json"
         : type == PatchType::kStrategicMerge ? "application/strategic-merge-patch+json"
                                              : "application/json-patch+json";
}
}  // namespace

Result<json> RestClient::patch(const Resource& r, const std::string& ns, const std::string& name,
                               PatchType type, const json& patch, const std::string& subresource) {
  return request("PATCH", r.object_path(ns, name, subresource), &patch, patch_content_type(type));
}

Status RestClient::remove(const Resource& r, const std::string& ns, const std::string& name) {
  auto out = request("DELETE", r.object_path(ns, name));
  return out ? Status::ok() : out.status();
}

Result<bool> RestClient::has_resource(const std::string& group, const std::string& version,
                                      const std::string& resource) {
  auto doc = request("GET", group.empty() ? "/api/" + version : "/apis/" + group + "/" + version);
  if (!doc) {
    if (doc.status().code() == Code::kNotFound) return false;
    return doc.status();
  }
  return discovery_lists_resource(*doc, resource);
}

Result<json> RestClient::get_within(const Resource& r, const std::string& ns,
                                    const std::string& name, std::chrono::milliseconds timeout) {
  if (timeout <= std::chrono::milliseconds::zero()) {
    return Status(Code::kTimeout, "not sent: no time left for GET " + r.object_path(ns, name));
  }
  return request("GET", r.object_path(ns, name), nullptr, "application/json", timeout);
}

Result<json> RestClient::patch_within(const Resource& r, const std::string& ns,
                                      const std::string& name, PatchType type, const json& patch,
                                      const std::string& subresource,
                                      std::chrono::milliseconds timeout) {
  const std::string path = r.object_path(ns, name, subresource);
  if (timeout <= std::chrono::milliseconds::zero()) {
    return Status(Code::kTimeout, "not sent: no time left for PATCH " + path);
  }
  return request("PATCH", path, &patch, patch_content_type(type), timeout);
}

Result<json> ApiClient::get_within(const Resource& r, const std::string& ns,
                                   const std::string& name, std::chrono::milliseconds) {
  return internal_error("this API client cannot bound a call in time: GET " +
                        r.object_path(ns, name) + " not sent");
}

Result<json> ApiClient::patch_within(const Resource& r, const std::string& ns,
                                     const std::string& name, PatchType, const json&,
                                     const std::string& subresource, std::chrono::milliseconds) {
  return internal_error("this API client cannot bound a call in time: PATCH " +
                        r.object_path(ns, name, subresource) + " not sent");
}

Result<ListPage> list_all(ApiClient& client, const Resource& r, const std::string& ns,
                          ListOptions options) {
  ListPage all;
  bool first = true;
  while (true) {
    auto page = client.list(r, ns, options);
    if (!page) return page.status();
    if (first) all.resource_version = page->resource_version;
    first = false;
    for (auto& item : page->items) all.items.push_back(std::move(item));
    if (page->continue_token.empty()) break;
    options.continue_token = page->continue_token;
    options.resource_version.clear();  // the continue token pins the snapshot
  }
  return all;
}

}  // namespace nca::kube

// RestClient::stream: a long-lived GET (a watch) on a connection of its own. The body is
// read as it arrives; cancellation goes through a pplx token tied to the std::stop_token,
// which closes the socket and wakes the blocked read.
#include <cpprest/http_client.h>

#include <algorithm>
#include <system_error>
#include <vector>

#include "kube/api_error.h"
#include "kube/rest_internal.h"

namespace nca::kube {

namespace http = web::http;

Status RestClient::stream(const std::string& path_and_query, std::chrono::seconds inactivity,
                          const std::function<Status(std::string_view)>& on_chunk,
                          std::stop_token stop, const std::function<void()>& on_open) {
  Impl& impl = *impl_;
  if (!impl.bucket.wait(stop)) return Status::ok();
  pplx::cancellation_token_source cancel;
  bool streaming = false;  // the server answered 2xx and the body is being read
  std::stop_callback on_stop(stop, [&cancel] { cancel.cancel(); });
  // Declared before the client so that it runs after the client is destroyed: returns only
  // once this watch's connection and cpprestsdk's work on it are finished.
  struct QuietOnExit {
    std::weak_ptr<void> transport;
    ~QuietOnExit() { wait_transport_quiet(transport, std::chrono::seconds(1)); }
  } quiet;
  try {
    http::client::http_client_config hc;
    auto sentinel = make_transport_sentinel();
    quiet.transport = sentinel;
    configure_http(impl.config, inactivity, std::move(sentinel), hc);
    http::client::http_client client(
        web::uri(utility::conversions::to_string_t(impl.config.server)), hc);
    http::http_request req(http::methods::GET);
    req.set_request_uri(utility::conversions::to_string_t(path_and_query));
    if (Status s = add_common_headers(impl, req); !s.is_ok()) return s;

    http::http_response resp = client.request(req, cancel.get_token()).get();
    auto code = resp.status_code();
    if (code < 200 || code >= 300) {
      std::string text = resp.extract_utf8string(true).get();
      std::optional<std::string> retry_after;
      auto it = resp.headers().find(U("Retry-After"));
      if (it != resp.headers().end()) {
        retry_after = utility::conversions::to_utf8string(it->second);
      }
      return explain_unauthorized(impl, status_from_response(code, text, retry_after));
    }
    streaming = true;
    if (on_open) on_open();
    auto body = resp.body().streambuf();
    std::vector<std::uint8_t> buf(64 * 1024);
    while (!stop.stop_requested()) {
      // The body buffer completes a read only when it can fill it, so wait for one byte
      // and then take whatever else has arrived: events are delivered as they come.
      std::size_t n = body.getn(buf.data(), 1).get();
      if (n == 0) break;  // the server ended the watch (timeoutSeconds): a normal end
      std::size_t more = std::min<std::size_t>(body.in_avail(), buf.size() - 1);
      if (more > 0) n += body.getn(buf.data() + 1, more).get();
      std::string_view chunk(reinterpret_cast<const char*>(buf.data()), n);
      if (Status s = on_chunk(chunk); !s.is_ok()) {
        cancel.cancel();
        return s;
      }
    }
    return Status::ok();
  } catch (const pplx::task_canceled&) {
    return Status::ok();  // only our stop cancels
  } catch (const std::exception& e) {
    if (stop.stop_requested()) return Status::ok();
    if (const auto* he = dynamic_cast<const http::http_exception*>(&e);
        streaming && he != nullptr && he->error_code() == std::errc::timed_out) {
      return Status::ok();  // a quiet watch past the inactivity timeout: re-watch
    }
    return transport_error(e, impl.config.server);
  }
}

}  // namespace nca::kube
